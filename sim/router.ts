import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import type { Reply } from "./reply.js";
import type { SimulatorState } from "./simulator-state.js";

/** What a route handler gets: decoded path parameters, the query, the parsed JSON body, and the raw exchange. */
export type RouteContext = {
  sim: SimulatorState;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  request: IncomingMessage;
  response: ServerResponse;
};

export type RouteHandler = (context: RouteContext) => Reply | Promise<Reply>;

/** A route: `name` is how stats and faults call it, e.g. `GET /repos/{owner}/{repo}/git/trees/{tree_sha}`. */
export type Route = {
  name: string;
  method: string;
  handler: RouteHandler;
  /** whether requests are kept in the simulator's `recorded` list (writes the app makes: check runs, comments) */
  record: boolean;
  /** whether requests count toward GitHub's secondary limits on content creation (see secondary-limits.ts) */
  contentCreating: boolean;
  match(path: string): Record<string, string> | null;
};

export type RouteOptions = {
  /** matched before the template but kept out of the route's name, e.g. "/api/v3" */
  prefix?: string;
  record?: boolean;
  contentCreating?: boolean;
};

/**
 * A route from a template. `{param}` matches one path segment; `{param+}` matches the rest of the path, slashes
 * included (branch names may come unencoded). Parameters are percent-decoded, so `feature%2Fx` is `feature/x`.
 * @example defineRoute("GET", "/repos/{owner}/{repo}/branches/{branch+}", getBranch, { prefix: "/api/v3" })
 */
export function defineRoute(
  method: string,
  template: string,
  handler: RouteHandler,
  options: RouteOptions = {},
): Route {
  const { prefix = "", record = false, contentCreating = false } = options;
  const keys: string[] = [];
  const source = template
    .split(/(\{\w+\+?\})/)
    .map((part) => {
      const param = /^\{(\w+)(\+?)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      keys.push(param[1] as string);
      return param[2] ? "(.+)" : "([^/]+)";
    })
    .join("");
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${source}/?$`);
  return {
    name: `${method} ${template.replace(/\+\}/g, "}")}`,
    method,
    handler,
    record,
    contentCreating,
    match(path) {
      const found = pattern.exec(path);
      if (!found) return null;
      const params: Record<string, string> = {};
      try {
        keys.forEach((key, index) => {
          params[key] = decodeURIComponent(found[index + 1] as string);
        });
      } catch {
        return null;
      }
      return params;
    },
  };
}

/** The first route that matches method and path, with its parameters. */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.method !== method) continue;
    const params = route.match(path);
    if (params) return { route, params };
  }
  return null;
}
