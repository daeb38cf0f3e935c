import { Router } from "express";

export type CreateWebRouterOptions = {
  /** where the page's script finds the REST API and SSE */
  apiBase?: string;
};

/**
 * The status page: `GET /`, `GET /syncs/:syncId` and its static assets (mounted behind the API's auth).
 * CONTRACT STUB — implemented by the page work (issue 5).
 */
export function createWebRouter(_options: CreateWebRouterOptions = {}): Router {
  return Router();
}
