import type { DeliveryStatus, WebhookDelivery } from "../generated/prisma/client.js";

/** A stored delivery as the API, the CLI and the page show it (never its payload, which can be 25 MB). */
export type DeliveryView = {
  id: string;
  event: string;
  action: string | null;
  status: DeliveryStatus;
  attempts: number;
  repositoryGithubId: number | null;
  installationId: number | null;
  receivedAt: string;
  /** pending: when the next attempt is due */
  nextAttemptAt: string | null;
  processedAt: string | null;
  /** the last failure (kept on a parked delivery; on a processed one, why there was nothing to do) */
  error: { code: string; message: string } | null;
};

export function toDeliveryView(row: Omit<WebhookDelivery, "payload" | "claimedBy">): DeliveryView {
  return {
    id: row.id,
    event: row.event,
    action: row.action,
    status: row.status,
    attempts: row.attempts,
    repositoryGithubId: row.repositoryGithubId === null ? null : Number(row.repositoryGithubId),
    installationId: row.installationId === null ? null : Number(row.installationId),
    receivedAt: row.receivedAt.toISOString(),
    nextAttemptAt: row.status === "pending" ? row.runAfter.toISOString() : null,
    processedAt: row.processedAt?.toISOString() ?? null,
    error: row.errorCode ? { code: row.errorCode, message: row.error ?? "" } : null,
  };
}

/** The columns of a delivery view (everything but the payload). */
export const DELIVERY_VIEW_FIELDS = {
  id: true,
  event: true,
  action: true,
  status: true,
  attempts: true,
  installationId: true,
  repositoryGithubId: true,
  receivedAt: true,
  runAfter: true,
  processedAt: true,
  errorCode: true,
  error: true,
} as const;
