import type { SyncReporter } from "../checks/sync-reporter.js";
import type { SyncWorker } from "../queue/sync-worker.js";
import type { ServiceDeps } from "../service/service-deps.js";
import type { TaskTracker } from "./create-task-tracker.js";

/** What the Probot app function needs; main wires the real ones, tests pass recording fakes for reporter and worker. */
export type ProjectSyncAppDeps = {
  service: ServiceDeps;
  /** mirrors each sync on GitHub (check run, comment reaction) */
  reporter: Pick<SyncReporter, "enqueued" | "settled">;
  /** the queue's worker in this process: woken when a handler queued a sync */
  worker: Pick<SyncWorker, "wake">;
  /** this GitHub App's id: only its own check runs are re-run */
  appId: number;
  tasks: TaskTracker;
};
