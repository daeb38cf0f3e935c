import type { RecordSyncDeps } from "../queue/record-sync.js";
import type { TaskTracker } from "./create-task-tracker.js";

/** What the Probot app function needs; main wires the real ones, tests pass recording fakes for reporter and worker. */
export type ProjectSyncAppDeps = RecordSyncDeps & {
  /** this GitHub App's id: only its own check runs are re-run */
  appId: number;
  tasks: TaskTracker;
};
