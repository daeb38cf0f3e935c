import { type Response, Router } from "express";
import { loadWebAssets } from "./load-web-assets.js";
import { ASSETS_PATH, renderPageShell } from "./render-page-shell.js";

export type CreateWebRouterOptions = {
  /** where the page's script finds the REST API and SSE */
  apiBase?: string;
};

// The API's own middleware sets the app-wide policy; this one only applies when the router is used alone.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; object-src 'none'";

/**
 * The status page: `GET /`, `GET /syncs/:syncId`, its `/changes` and `/compare/:to`, and
 * `/repos/:owner/:repo/file` and `/search`, `/settings/tokens` (one HTML shell; the script routes on the path and query) and its static
 * assets under /assets (mounted behind the API's auth).
 * @example app.use(createWebRouter({ apiBase: "/api/v1" }))
 */
export function createWebRouter(options: CreateWebRouterOptions = {}): Router {
  const router = Router();
  const shell = renderPageShell({ apiBase: options.apiBase ?? "/api/v1" });
  const assets = loadWebAssets();

  const sendShell = (_req: unknown, res: Response) => {
    secure(res);
    res.set("Cache-Control", "no-cache").type("html").send(shell);
  };
  router.get("/", sendShell);
  router.get("/syncs/:syncId", sendShell);
  router.get("/syncs/:syncId/changes", sendShell);
  router.get("/syncs/:syncId/compare/:to", sendShell);
  router.get("/repos/:owner/:repo/file", sendShell);
  router.get("/repos/:owner/:repo/search", sendShell);
  router.get("/settings/tokens", sendShell);

  router.get(`${ASSETS_PATH}/:name`, (req, res, next) => {
    const asset = assets.get(req.params.name);
    if (!asset) {
      next();
      return;
    }
    secure(res);
    // no-cache: the browser revalidates with the ETag Express computes, so a new release is picked up at once
    res.set("Cache-Control", "no-cache").set("Content-Type", asset.contentType).send(asset.body);
  });
  return router;
}

function secure(res: Response): void {
  if (!res.getHeader("Content-Security-Policy")) res.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
}
