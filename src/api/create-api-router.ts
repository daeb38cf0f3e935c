import express, { type Request, type RequestHandler, Router } from "express";
import { AppError } from "../errors.js";
import { principalOf } from "../http/create-access-guard.js";
import { notFoundHandler } from "../http/handle-http-error.js";
import type { ApiDeps } from "./api-deps.js";
import type { ApiRoute } from "./api-route.js";
import { buildOpenApiDocument } from "./build-openapi-document.js";
import { createApiRoutes } from "./create-api-routes.js";
import { parseRequestPart } from "./parse-request-part.js";

// Request bodies are a handful of fields; anything bigger is not a request this API understands.
const BODY_LIMIT = "16kb";

/**
 * The REST API (mount at /api/v1, behind the access guard): every route of `createApiRoutes`, its input validated
 * with the route's zod schemas, JSON bodies parsed here only (never in front of the webhook middleware), and a JSON
 * 404 for any other path below /api/v1.
 * @example app.use("/api/v1", createAccessGuard({ apiToken, area: "api" }), createApiRouter(deps))
 */
export function createApiRouter(deps: ApiDeps): Router {
  let document: unknown;
  const routes = createApiRoutes({
    openApiDocument: () => {
      document ??= buildOpenApiDocument(routes, { version: deps.version });
      return document;
    },
  });
  const router = Router({ strict: false });
  router.use(express.json({ limit: BODY_LIMIT }));
  for (const route of routes) router[route.method](route.path, validated(route), answer(route, deps));
  router.use(notFoundHandler);
  return router;
}

/** The routes' input checks, as `res.locals.input` for the handler. */
function validated(route: ApiRoute): RequestHandler {
  return (req, res, next) => {
    if (!route.forPeople && principalOf(res.locals).kind === "person") {
      throw new AppError(
        "FORBIDDEN",
        `${route.operationId} is the operator's (API_TOKEN), not open to signed-in people or personal tokens.`,
      );
    }
    res.locals.input = {
      params: route.params ? parseRequestPart(route.params, { ...req.params }, "path") : {},
      query: route.query ? parseRequestPart(route.query, req.query, "query") : {},
      body: route.method === "post" && route.body ? parseRequestPart(route.body, bodyOf(req), "body") : {},
    };
    next();
  };
}

function answer(route: ApiRoute, deps: ApiDeps): RequestHandler {
  if (route.kind === "stream") return route.handler(deps);
  return async (_req, res) => {
    const result = await route.handle(res.locals.input, deps, principalOf(res.locals));
    res.set("Cache-Control", "no-store").status(route.status).json(result);
  };
}

/** The parsed JSON body; an empty body is `{}`, a body that is not JSON is bad input. */
function bodyOf(req: Request): unknown {
  if (req.body !== undefined) return req.body;
  const length = Number(req.headers["content-length"] ?? 0);
  if (length > 0 || req.headers["transfer-encoding"]) {
    throw new AppError("BAD_INPUT", "The body must be JSON, sent with Content-Type: application/json.");
  }
  return {};
}
