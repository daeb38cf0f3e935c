import type { Express } from "express";
import { type RequestHandler, Router } from "express";
import { createApiRouter } from "../../src/api/create-api-router.js";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import type { UserAccess } from "../../src/auth/create-user-access.js";
import type { SignInConfig } from "../../src/auth/sign-in-config.js";
import { createHttpServer } from "../../src/http/create-http-server.js";
import { silentLogger } from "../../src/logger.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";

/** What the API told the rest of the process, in order: `enqueued:<id>`, `settled:<id>`, `wake`, `events:<id>`. */
export type ApiCalls = string[];

export type ApiTestServerOptions = {
  service: ServiceDeps;
  apiToken?: string;
  /** runs before the API and the page (after /healthz), e.g. to pose as a remote client */
  middleware?: RequestHandler[];
  /** the SSE handler (default: a one-event stream that records the sync id) */
  events?: RequestHandler;
  /** the page (default: a stand-in serving `/` and `/assets/app.js`) */
  web?: RequestHandler;
  /** outbound webhooks' settings (WEBHOOK_ALLOW_PRIVATE_TARGETS) */
  webhooks?: { allowPrivateTargets: boolean };
  /** TRUST_PROXY, parsed */
  trustProxy?: readonly string[];
  /** sign in with GitHub, and what each person may access */
  signIn?: { deps: AuthDeps; config: SignInConfig; access: UserAccess };
};

/** The app's HTTP server with the REST API over a real database, the reporter and worker recording their calls. */
export function createApiTestServer(options: ApiTestServerOptions): { app: Express; calls: ApiCalls } {
  const calls: ApiCalls = [];
  const api = createApiRouter({
    service: options.service,
    reporter: {
      enqueued: (id) => calls.push(`enqueued:${id}`),
      settled: (id) => calls.push(`settled:${id}`),
      forget: (id) => calls.push(`forget:${id}`),
    },
    worker: { wake: () => calls.push("wake") },
    events:
      options.events ??
      ((req, res) => {
        calls.push(`events:${String(req.params.syncId)}`);
        res.type("text/event-stream").send("data: {}\n\n");
      }),
    version: "9.9.9-test",
    webhooks: options.webhooks,
    ...(options.signIn ? { userAccess: options.signIn.access, auth: options.signIn.deps } : {}),
  });
  const app = createHttpServer({
    db: options.service.db,
    log: silentLogger,
    version: "9.9.9-test",
    middleware: options.middleware,
    api,
    web: options.web ?? standInPage(),
    apiToken: options.apiToken,
    trustProxy: options.trustProxy,
    ...(options.signIn ? { signIn: options.signIn } : {}),
  });
  return { app, calls };
}

/** Poses every request as coming from `address` (the socket's own address, which the access guard judges by). */
export function remoteClient(address: string): RequestHandler {
  return (req, _res, next) => {
    Object.defineProperty(req.socket, "remoteAddress", { value: address, configurable: true });
    next();
  };
}

function standInPage(): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    res.type("html").send('<!doctype html><script type="module" src="/assets/app.js"></script>');
  });
  router.get("/assets/app.js", (_req, res) => {
    res.type("js").send("export {};");
  });
  return router;
}
