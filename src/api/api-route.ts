import type { RequestHandler } from "express";
import type { z } from "zod";
import type { Principal } from "../auth/principal.js";
import type { ApiDeps } from "./api-deps.js";

/** Error statuses a route may answer besides 400, 401, 403 and 500, which every route may. */
export type RouteErrorStatus = 404 | 409 | 502 | 503;

type RouteCommon = {
  method: "get" | "post" | "delete";
  /** Express path under /api/v1, e.g. "/repos/:owner/:repo/syncs" */
  path: string;
  operationId: string;
  summary: string;
  /** more than the summary, in the OpenAPI document (operator-only routes get a note saying so) */
  description?: string;
  /** zod objects (strict: unknown fields are bad input) for the path parameters, query string and JSON body */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodObject;
  errors: RouteErrorStatus[];
  /**
   * The route applies a signed-in person's GitHub access itself (filters what they cannot read, checks write or admin
   * at an action, through the request's AccessGate). Without it the route is the operator's: people (sessions,
   * personal tokens) are refused (403), only API_TOKEN and the laptop may use it.
   */
  forPeople?: true;
};

export type RouteInput<P, Q, B> = { params: P; query: Q; body: B };

/** A route answering JSON: `handle` gets the validated input, its result is sent with `status`. */
export type JsonRoute = RouteCommon & {
  kind: "json";
  status: 200 | 201 | 202;
  response: z.ZodType;
  handle: (
    input: RouteInput<unknown, unknown, unknown>,
    deps: ApiDeps,
    principal: Principal,
  ) => Promise<unknown>;
};

/** A route answering a stream (SSE): `handler` runs once the input is valid. */
export type StreamRoute = RouteCommon & {
  kind: "stream";
  contentType: string;
  description: string;
  handler: (deps: ApiDeps) => RequestHandler;
};

export type ApiRoute = JsonRoute | StreamRoute;

type Output<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/**
 * A JSON route whose handler is typed by its own schemas.
 * @example jsonRoute({ method: "get", path: "/syncs/:syncId", params: syncIdParams, ..., handle: ({ params }) => ... })
 */
export function jsonRoute<
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodObject | undefined = undefined,
>(
  route: Omit<JsonRoute, "kind" | "handle" | "params" | "query" | "body"> & {
    params?: P;
    query?: Q;
    body?: B;
    handle: (
      input: RouteInput<Output<P>, Output<Q>, Output<B>>,
      deps: ApiDeps,
      principal: Principal,
    ) => Promise<unknown>;
  },
): JsonRoute {
  return { ...route, kind: "json" } as JsonRoute;
}
