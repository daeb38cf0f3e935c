import type { Db } from "../db/create-prisma-client.js";
import type { AppError } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";

export type FailRunningSyncOptions = {
  syncId: string;
  /** "cancelled" when the run was aborted (a shutdown, a cancel), else "failed" */
  status: "failed" | "cancelled";
  error: Pick<AppError, "code" | "message">;
  now: Date;
  /** what the run got to record with its end (config digest, fetch and request counts) */
  fields?: Pick<
    Prisma.ProjectSyncUpdateManyMutationInput,
    "configDigest" | "filesFetched" | "bytesFetched" | "githubRequests"
  >;
};

/**
 * A running sync ends without changing memory: running → failed or cancelled, with its error. Only a sync still
 * running is changed: one another process already declared dead keeps what it was given. Returns whether it was.
 */
export async function failRunningSync(db: Db, options: FailRunningSyncOptions): Promise<boolean> {
  const { count } = await db.projectSync.updateMany({
    where: { id: options.syncId, status: "running" },
    data: {
      status: options.status,
      errorCode: options.error.code,
      error: options.error.message,
      ...options.fields,
      finishedAt: options.now,
    },
  });
  return count > 0;
}
