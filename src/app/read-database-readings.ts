import type { Db } from "../db/create-prisma-client.js";
import { readInboxSummary } from "../inbox/read-inbox-summary.js";
import type { DatabaseReadings } from "../metrics/register-database-gauges.js";
import { readQueueSummary } from "../queue/read-queue-summary.js";

/** The inbox and queue gauges, read from the tables their rooms own. */
export async function readDatabaseReadings(db: Db, now: Date = new Date()): Promise<DatabaseReadings> {
  const [inbox, queue] = await Promise.all([readInboxSummary(db, now), readQueueSummary(db, now)]);
  return { inbox, queue };
}
