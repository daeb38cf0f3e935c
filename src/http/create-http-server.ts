import express, { type Express, type RequestHandler } from "express";
import type { Registry } from "prom-client";
import type { AuthDeps } from "../auth/auth-deps.js";
import { createAuthRouter } from "../auth/create-auth-router.js";
import { isSecureOrigin, type SignInConfig } from "../auth/sign-in-config.js";
import type { Db } from "../db/create-prisma-client.js";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { createAccessGuard, principalOf } from "./create-access-guard.js";
import type { Readiness } from "./create-readiness.js";
import { createHttpErrorHandler, notFoundHandler } from "./handle-http-error.js";
import { securityHeaders } from "./security-headers.js";

export type CreateHttpServerOptions = {
  db: Db;
  log: Logger;
  /** the running release (package.json version), reported by /healthz */
  version: string;
  /**
   * Mounted after /healthz and before the JSON 404, in order — e.g. Probot's `createNodeMiddleware(appFn, { probot })`.
   * Keep body parsers out of the way of the webhook middleware: it needs the raw body to verify the signature.
   */
  middleware?: RequestHandler[];
  /** the REST API (createApiRouter), mounted at /api/v1 behind the access guard */
  api?: RequestHandler;
  /** the MCP server's Streamable HTTP endpoint (createMcpHttpHandler), at /mcp behind the same guard as the API */
  mcp?: RequestHandler;
  /** the status page (createWebRouter), mounted at / behind the access guard, after the API */
  web?: RequestHandler;
  /** API_TOKEN: required on /api/v1 when set; unset: the API and the page answer loopback clients only */
  apiToken?: string;
  /** `/readyz`: database, migrations, worker and inbox (absent: ready when the database answers) */
  readiness?: () => Promise<Readiness>;
  /** `/metrics` in Prometheus's text format, behind the same access rule as the API */
  metrics?: Registry;
  /**
   * TRUST_PROXY: the reverse proxies (addresses, subnets, `loopback`…) whose X-Forwarded-For names the client, which
   * `req.ip` (and so the loopback-only rule) then reports; empty or absent: X-Forwarded-* is ignored
   */
  trustProxy?: readonly string[];
  /**
   * Sign in with GitHub (GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, SESSION_SECRET, PUBLIC_URL): /auth/* routes, and the
   * API, MCP and /metrics answer API_TOKEN, personal tokens and sessions; absent: API_TOKEN or loopback, as before
   */
  signIn?: { deps: AuthDeps; config: SignInConfig };
};

export type HealthBody = {
  status: "ok" | "degraded";
  database: "ok" | "unreachable";
  version: string;
};

/**
 * The app's HTTP server as an Express app, not yet listening (main.ts listens; tests use supertest). In order:
 * /healthz and /readyz, `middleware` (webhooks: no body parser before them), /metrics, the API at /api/v1 (the only
 * JSON body parser), MCP at /mcp, the page, a JSON 404, the error handler. Webhooks, /healthz and /readyz are open; /metrics, the API,
 * MCP and the page are behind the access guard (see createAccessGuard).
 * @example createHttpServer({ db, log, version: "0.1.0" }).listen(3000)
 */
export function createHttpServer(options: CreateHttpServerOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", options.trustProxy?.length ? [...options.trustProxy] : false);

  app.get("/healthz", async (_req, res) => {
    const database = await checkDatabase(options);
    const body: HealthBody = {
      status: database === "ok" ? "ok" : "degraded",
      database,
      version: options.version,
    };
    res
      .set("Cache-Control", "no-store")
      .status(database === "ok" ? 200 : 503)
      .json(body);
  });

  app.get("/readyz", async (_req, res) => {
    const readiness = options.readiness
      ? await options.readiness()
      : await checkDatabase(options).then(
          (database): Readiness => ({
            status: database === "ok" ? "ready" : "not_ready",
            checks: { database, migrations: "unknown", worker: "web_only", inbox: "off" },
          }),
        );
    res
      .set("Cache-Control", "no-store")
      .status(readiness.status === "ready" ? 200 : 503)
      .json(readiness);
  });

  for (const handler of options.middleware ?? []) app.use(handler);
  // what /metrics, the API and MCP answer behind: the API's headers and its access rule
  const signIn = options.signIn && {
    apiToken: options.apiToken,
    auth: options.signIn.deps,
    secureCookie: isSecureOrigin(options.signIn.config),
  };
  const guarded = [
    securityHeaders("api"),
    createAccessGuard({ apiToken: options.apiToken, area: "api", signIn }),
  ];
  const registry = options.metrics;
  if (registry) {
    app.get("/metrics", ...guarded, operatorOnly, async (_req, res) => {
      res
        .set("Content-Type", registry.contentType)
        .set("Cache-Control", "no-store")
        .send(await registry.metrics());
    });
  }
  if (options.api) app.use("/api/v1", ...guarded, options.api);
  if (options.mcp) app.all("/mcp", ...guarded, options.mcp);
  if (options.signIn)
    app.use("/auth", securityHeaders("api"), createAuthRouter(options.signIn.deps, options.signIn.config));
  if (options.web) {
    app.use(
      securityHeaders("page"),
      createAccessGuard({ apiToken: options.apiToken, area: "page", signIn }),
      options.web,
    );
  }

  app.use(notFoundHandler);
  app.use(createHttpErrorHandler(options.log));
  return app;
}

/** /metrics: API_TOKEN or the laptop, not signed-in people (it counts every repository's work). */
const operatorOnly: RequestHandler = (_req, res, next) => {
  if (principalOf(res.locals).kind === "person") {
    throw new AppError(
      "FORBIDDEN",
      "This endpoint is the operator's (API_TOKEN), not open to personal tokens or sessions.",
    );
  }
  next();
};

async function checkDatabase({ db, log }: CreateHttpServerOptions): Promise<HealthBody["database"]> {
  try {
    await db.$queryRaw`SELECT 1`;
    return "ok";
  } catch (error) {
    log.warn(
      `Health check: the database is unreachable (${error instanceof Error ? error.message : String(error)})`,
    );
    return "unreachable";
  }
}
