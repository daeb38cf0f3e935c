import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { Request, RequestHandler, Response } from "express";
import { isLoopbackAddress, isLoopbackHost } from "../http/is-loopback-address.js";
import type { Logger } from "../logger.js";

export type CreateSetupMiddlewareOptions = {
  /** where the server listens, for the welcome message */
  host: string;
  port: number;
  log: Logger;
  /** writes the app's credentials (default: Probot's, into ./.env and process.env) */
  updateEnv?: (env: Record<string, string>) => unknown;
  /** smee.io's client, for a webhook proxy channel when WEBHOOK_PROXY_URL is unset (Probot tries npx without it) */
  SmeeClient?: unknown;
};

type SetupHandler = (req: unknown, res: unknown) => Promise<boolean>;
type SetupAppFactory = (options: Record<string, unknown>) => () => Promise<SetupHandler>;

/**
 * Probot's manifest setup flow as Express middleware, answering browsers on this machine only (it writes the app's
 * credentials to .env): GET / redirects to /probot, which registers the GitHub App from
 * app.yml; /probot/setup exchanges GitHub's code for the app's id, private key and webhook secret and writes them to
 * .env. Probot 14 runs it only inside its own server (`run()`), and its package exports neither the factory nor that
 * file, so the factory is loaded from Probot's installed files, next to its entry point.
 */
export async function createSetupMiddleware(options: CreateSetupMiddlewareOptions): Promise<RequestHandler> {
  const probotEntry = createRequire(import.meta.url).resolve("probot");
  const setupUrl = new URL("./apps/setup.js", pathToFileURL(probotEntry));
  const { setupAppFactory } = (await import(setupUrl.href)) as { setupAppFactory: SetupAppFactory };
  const handler = await setupAppFactory({
    host: options.host,
    port: options.port,
    log: options.log,
    ...(options.updateEnv ? { updateEnv: options.updateEnv } : {}),
    ...(options.SmeeClient ? { SmeeClient: options.SmeeClient } : {}),
  })();
  return async (req, res, next) => {
    try {
      if (isSetupPath(req.path) && !fromThisMachine(req)) {
        // the flow writes the app's credentials to .env: nobody else on the network may drive it
        refuse(
          res,
          `The GitHub App setup answers only on this machine: open http://localhost:${options.port}/probot here, or set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET by hand (see README).`,
        );
        return;
      }
      const forged = forgedRequest(req);
      if (forged) {
        refuse(res, forged);
        return;
      }
      if (req.method === "GET" && (req.path === "/probot" || req.path === "/probot/import")) {
        issueNonce(req, res);
      }
      if (!(await handler(req, res))) next();
    } catch (error) {
      next(error);
    }
  };
}

// The browser's proof that a credential-writing request comes from this flow's own pages: a random value in a cookie
// (HttpOnly, so no script reads it) that the request must repeat — as the `state` GitHub sends back after creating the
// app, or as the cookie itself on the import page's same-origin POST. Another site can make the browser send a request
// here, but cannot read or set this value.
const NONCE_COOKIE = "project_sync_setup";

/** Why a request that would write credentials to .env is refused (cross-site, or without the flow's nonce), or null. */
function forgedRequest(req: Request): string | null {
  const nonce = cookieOf(req, NONCE_COOKIE);
  if (req.method === "POST" && req.path === "/probot/import") {
    const site = req.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      return "Credentials can be imported only from this setup's own page (a request from another site was refused).";
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !isSameOrigin(origin, req.headers.host)) {
      return "Credentials can be imported only from this setup's own page (a request from another origin was refused).";
    }
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json")) {
      return "The import takes JSON from this setup's own page.";
    }
    if (!nonce)
      return "Open /probot/import on this machine and import from that page (this request has no setup session).";
    return null;
  }
  if (req.method === "GET" && req.path === "/probot/setup" && typeof req.query.code === "string") {
    // GitHub sends the browser back here with the `state` the manifest form carried (a cross-site navigation, so only
    // the state can tell it from a link on another site that carries an attacker's code)
    if (!nonce || req.query.state !== nonce) {
      return "This setup link was not started from this machine's /probot page (its state does not match); start again at /probot.";
    }
  }
  return null;
}

/** Gives the browser a fresh nonce and puts it in the page's manifest form as GitHub's `state` parameter. */
function issueNonce(req: Request, res: Response): void {
  const nonce = randomBytes(24).toString("hex");
  // Lax: GitHub's redirect back to /probot/setup is a top-level navigation from github.com, which Lax cookies survive
  res.cookie(NONCE_COOKIE, nonce, { httpOnly: true, sameSite: "lax", path: "/probot" });
  if (req.path !== "/probot") return;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    const body =
      typeof chunk === "string"
        ? chunk.replace(/(<form action="[^"?]*\/settings\/apps\/new)"/, `$1?state=${nonce}"`)
        : chunk;
    return end(body, ...rest);
  }) as Response["end"];
}

function refuse(res: Response, message: string): void {
  res.status(403).type("text/plain").send(`${message}\n`);
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return undefined;
}

function isSameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function isSetupPath(path: string): boolean {
  return path === "/" || path === "/probot" || path.startsWith("/probot/");
}

/** A browser on this machine, addressing this server by a loopback name (not a DNS-rebound one). */
function fromThisMachine(req: Request): boolean {
  const host = req.headers.host;
  return isLoopbackAddress(req.ip) && (host === undefined || isLoopbackHost(host));
}
