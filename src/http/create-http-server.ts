import express, { type Express, type RequestHandler } from "express";
import { createAccessGuard } from "../api/create-access-guard.js";
import { securityHeaders } from "../api/security-headers.js";
import type { Db } from "../db/create-prisma-client.js";
import type { Logger } from "../logger.js";
import { createHttpErrorHandler, notFoundHandler } from "./handle-http-error.js";

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
  /** the status page (createWebRouter), mounted at / behind the access guard, after the API */
  web?: RequestHandler;
  /** API_TOKEN: required on /api/v1 when set; unset: the API and the page answer loopback clients only */
  apiToken?: string;
};

export type HealthBody = {
  status: "ok" | "degraded";
  database: "ok" | "unreachable";
  version: string;
};

/**
 * The app's HTTP server as an Express app, not yet listening (main.ts listens; tests use supertest). In order:
 * /healthz, `middleware` (webhooks: no body parser before them), the API at /api/v1 (the only JSON body parser), the
 * page, a JSON 404, the error handler. Webhooks and /healthz are open; the API and the page are behind the access
 * guard (see createAccessGuard).
 * @example createHttpServer({ db, log, version: "0.1.0" }).listen(3000)
 */
export function createHttpServer(options: CreateHttpServerOptions): Express {
  const app = express();
  app.disable("x-powered-by");

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

  for (const handler of options.middleware ?? []) app.use(handler);
  if (options.api) {
    app.use(
      "/api/v1",
      securityHeaders("api"),
      createAccessGuard({ apiToken: options.apiToken, area: "api" }),
      options.api,
    );
  }
  if (options.web) {
    app.use(
      securityHeaders("page"),
      createAccessGuard({ apiToken: options.apiToken, area: "page" }),
      options.web,
    );
  }

  app.use(notFoundHandler);
  app.use(createHttpErrorHandler(options.log));
  return app;
}

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
