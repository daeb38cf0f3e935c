import type { RequestHandler } from "express";
import type { AuthDeps } from "../auth/auth-deps.js";
import type { UserAccess } from "../auth/create-user-access.js";
import type { RecordSyncDeps } from "../queue/record-sync.js";

/** What the REST API needs; the composition root (start-app.ts) passes the app's own, tests pass recording fakes. */
export type ApiDeps = RecordSyncDeps & {
  /** `GET /events/project-sync/:syncId` once its id is valid: the SSE stream (createSyncEventsHandler) */
  events: RequestHandler;
  /** the running release, shown in the OpenAPI document */
  version: string;
  /** outbound webhooks: WEBHOOK_ALLOW_PRIVATE_TARGETS (absent: private targets refused) */
  webhooks?: { allowPrivateTargets: boolean };
  /** sign-in is set up: what each signed-in person may read and do, as GitHub says */
  userAccess?: UserAccess;
  /** sign-in is set up: sessions and personal tokens */
  auth?: AuthDeps;
};
