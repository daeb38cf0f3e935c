import type { z } from "zod";
import { formatZodIssues } from "../format-zod-issues.js";
import { checkRunSchema } from "../handlers/handle-check-run.js";
import { commentSchema } from "../handlers/handle-issue-comment.js";
import { pushSchema } from "../handlers/handle-push.js";
import type { WebhookEvents } from "../inbox/create-webhook-intake.js";
import { installationSchema } from "../installations/handle-installation.js";
import { installationRepositoriesSchema } from "../installations/handle-installation-repositories.js";

type Handled = { actions: readonly string[] | null; schema: z.ZodType };

/**
 * The deliveries the app acts on (createProjectSyncApp registers a handler for each) with the payload schema its
 * handler parses. Anything else — GitHub's `ping`, the `check_run.created/completed` of the app's own check runs,
 * edited comments — is answered and not stored.
 */
const HANDLED: Record<string, Handled> = {
  push: { actions: null, schema: pushSchema },
  issue_comment: { actions: ["created"], schema: commentSchema },
  check_run: { actions: ["rerequested", "requested_action"], schema: checkRunSchema },
  installation: { actions: ["created", "deleted", "suspend", "unsuspend"], schema: installationSchema },
  installation_repositories: { actions: ["added", "removed"], schema: installationRepositoriesSchema },
};

// A payload problem is named by its first issue; GitHub's payloads are large and one path is enough to act on.
const MAX_PROBLEM_LENGTH = 300;

/** The app's webhook events for the intake: what it stores, and whether a payload is readable by its handler. */
export const webhookEvents: WebhookEvents = {
  handles(event, action) {
    const handled = HANDLED[event];
    if (!handled) return false;
    return handled.actions === null || (action !== null && handled.actions.includes(action));
  },
  validate(event, payload) {
    const handled = HANDLED[event];
    if (!handled) return null;
    const parsed = handled.schema.safeParse(payload);
    if (parsed.success) return null;
    return formatZodIssues(parsed.error.issues, { limit: 1, subject: (path) => path || "payload" }).slice(
      0,
      MAX_PROBLEM_LENGTH,
    );
  },
};
