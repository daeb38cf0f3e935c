import type { RequestHandler } from "express";
import type { SyncReporter } from "../checks/sync-reporter.js";
import type { SyncWorker } from "../queue/sync-worker.js";
import type { ServiceDeps } from "../service/service-deps.js";

/** What the REST API needs; the composition root (start-app.ts) passes the app's own, tests pass recording fakes. */
export type ApiDeps = {
  service: ServiceDeps;
  /** a queued sync gets its check run; syncs it superseded get theirs completed */
  reporter: Pick<SyncReporter, "enqueued" | "settled">;
  /** this process's queue worker, woken when the API queued a sync (a no-op in a web-only process) */
  worker: Pick<SyncWorker, "wake">;
  /** `GET /events/project-sync/:syncId` once its id is valid: the SSE stream (createSyncEventsHandler) */
  events: RequestHandler;
  /** the running release, shown in the OpenAPI document */
  version: string;
};
