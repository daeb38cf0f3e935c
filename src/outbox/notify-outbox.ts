import type { Db } from "../db/create-prisma-client.js";

/** The payload on the `project_sync` channel that wakes every process's dispatcher (the outbox trigger sends it too). */
export const OUTBOX_NOTIFICATION = "outbox";

/** Wakes the dispatchers of every process (after a redelivery or an endpoint enabled), at commit. */
export async function notifyOutbox(db: Db): Promise<void> {
  await db.$executeRaw`SELECT pg_notify('project_sync', ${OUTBOX_NOTIFICATION})`;
}
