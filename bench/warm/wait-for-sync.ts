import type pg from "pg";

export type SyncDone = { id: string; status: string; spanMs: number };

const CHANNEL = "project_sync";
// a backstop for a notification the LISTEN connection missed; the bench's figures come from notifications
const POLL_MS = 1000;
const TIMEOUT_MS = 600_000;

/**
 * Resolves when a sync of `headSha` has succeeded (rejects when it failed): woken by the `project_sync` NOTIFY the
 * database sends on each sync status change, so the wait adds well under a millisecond. Call before pushing: a sync
 * that ends before the listener is set would otherwise be seen only by the poll.
 */
export function waitForSyncOf(client: pg.Client, headSha: string): Promise<SyncDone> {
  return new Promise<SyncDone>((resolve, reject) => {
    let settled = false;
    let checking = false;
    const check = async () => {
      if (settled || checking) return;
      checking = true;
      try {
        const { rows } = await client.query<{ id: string; status: string; spanMs: number }>(
          `SELECT id, status::text AS status,
                  (extract(epoch FROM "finishedAt" - "createdAt") * 1000)::float8 AS "spanMs"
           FROM "ProjectSync" WHERE "headSha" = $1 AND status NOT IN ('queued', 'running')
           ORDER BY "createdAt" DESC LIMIT 1`,
          [headSha],
        );
        const row = rows[0];
        if (row)
          finish(row.status === "succeeded" ? null : new Error(`the sync of ${headSha} ${row.status}`), row);
      } catch (error) {
        finish(error as Error, null);
      } finally {
        checking = false;
        if (!settled && recheck) {
          recheck = false;
          void check();
        }
      }
    };
    let recheck = false;
    const onNotification = (message: pg.Notification) => {
      if (message.channel !== CHANNEL) return;
      if (checking) recheck = true;
      else void check();
    };
    const poll = setInterval(() => void check(), POLL_MS);
    const timeout = setTimeout(
      () => finish(new Error(`no sync of ${headSha} ended within ${TIMEOUT_MS} ms`), null),
      TIMEOUT_MS,
    );
    const finish = (error: Error | null, row: SyncDone | null) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(timeout);
      client.off("notification", onNotification);
      if (error || !row) reject(error ?? new Error("no sync"));
      else resolve(row);
    };
    client.on("notification", onNotification);
  });
}

/** Starts listening on the channel the database's sync triggers notify. */
export async function listenForSyncs(client: pg.Client): Promise<void> {
  await client.query(`LISTEN ${CHANNEL}`);
}
