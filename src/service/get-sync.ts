import { z } from "zod";
import { AppError } from "../errors.js";
import { type SyncView, toSyncView } from "../sync/sync-view.js";
import type { ServiceDeps } from "./service-deps.js";

const syncIdSchema = z.uuid();

/** A sync id as typed by a user or sent in a URL; BAD_INPUT when it cannot be one. */
export function parseSyncId(input: string): string {
  const parsed = syncIdSchema.safeParse(input.trim().toLowerCase());
  if (!parsed.success) throw new AppError("BAD_INPUT", `"${input}" is not a sync id (a UUID).`);
  return parsed.data;
}

/** One sync, as every surface shows it (the seed's `status`). */
export async function getSync(deps: Pick<ServiceDeps, "db">, syncId: string): Promise<SyncView> {
  const id = parseSyncId(syncId);
  const sync = await deps.db.projectSync.findUnique({
    where: { id },
    include: { repository: { select: { owner: true, name: true } } },
  });
  if (!sync) throw new AppError("SYNC_NOT_FOUND", `No sync with id ${id}.`);
  return toSyncView(sync);
}
