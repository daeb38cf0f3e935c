import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { Prisma } from "../generated/prisma/client.js";
import { memoryStateSql } from "./read-memory-entries.js";

/** One version of a path: its mode, blob and what memory stores of the blob. */
export type MemoryFileSide = {
  mode: string;
  blobSha: string;
  size: number;
  /** why content is not stored (binary, too_large, submodule); null when it is */
  omitted: "binary" | "too_large" | "submodule" | null;
};

/** A path whose blob or mode differs between two memory states; a side is null where the path does not exist. */
export type MemoryDifference = { path: string; old: MemoryFileSide | null; new: MemoryFileSide | null };

/** A branch's memory as of a lineage generation (the memory right after the sync of that generation). */
export type MemoryState = { branch: string; generation: number };

export type DiffMemoryStatesOptions = {
  repositoryId: string;
  /** null: no memory at all (everything of `to` is added) */
  from: MemoryState | null;
  to: MemoryState;
  /** only paths starting with this string */
  pathPrefix?: string;
};

const omitted = z.enum(["binary", "too_large", "submodule"]).nullable();
const rowSchema = z.object({
  path: z.string(),
  old_mode: z.string().nullable(),
  old_sha: z.string().nullable(),
  old_size: z.coerce.number().nullable(),
  old_omitted: omitted,
  new_mode: z.string().nullable(),
  new_sha: z.string().nullable(),
  new_size: z.coerce.number().nullable(),
  new_omitted: omitted,
});
type Row = z.infer<typeof rowSchema>;

/**
 * The paths that differ between two memory states of one repository (any branches, any generations), in byte
 * order of the path: a FULL JOIN of the two entry sets in PostgreSQL, so only the differences leave the database.
 * @example await diffMemoryStates(db, { repositoryId, from: { branch: "main", generation: 3 }, to: { branch: "main", generation: 7 } })
 */
export async function diffMemoryStates(
  db: Db,
  options: DiffMemoryStatesOptions,
): Promise<MemoryDifference[]> {
  const prefix = options.pathPrefix ?? "";
  const entries = (state: MemoryState | null) =>
    state === null
      ? Prisma.sql`SELECT NULL::text AS path, NULL::text AS mode, NULL::text AS sha WHERE false`
      : Prisma.sql`SELECT path, mode, "blobSha" AS sha FROM "MemoryEntry"
          WHERE "repositoryId" = ${options.repositoryId}::uuid AND branch = ${state.branch}
            AND ${memoryStateSql(state.generation)} AND starts_with(path, ${prefix})`;
  const rows = await db.$queryRaw<unknown[]>`
    WITH a AS (${entries(options.from)}), b AS (${entries(options.to)})
    SELECT COALESCE(a.path, b.path) AS path,
           a.mode AS old_mode, a.sha AS old_sha, fa.size AS old_size, fa.omitted::text AS old_omitted,
           b.mode AS new_mode, b.sha AS new_sha, fb.size AS new_size, fb.omitted::text AS new_omitted
    FROM a FULL JOIN b ON a.path = b.path
    LEFT JOIN "RepositoryFile" fa ON fa."repositoryId" = ${options.repositoryId}::uuid AND fa.sha = a.sha
    LEFT JOIN "RepositoryFile" fb ON fb."repositoryId" = ${options.repositoryId}::uuid AND fb.sha = b.sha
    WHERE a.sha IS DISTINCT FROM b.sha OR a.mode IS DISTINCT FROM b.mode
    ORDER BY COALESCE(a.path, b.path) COLLATE "C"`;
  return rows.map((raw) => {
    const row = rowSchema.parse(raw);
    return {
      path: row.path,
      old: sideOf(row.old_mode, row.old_sha, row.old_size, row.old_omitted),
      new: sideOf(row.new_mode, row.new_sha, row.new_size, row.new_omitted),
    };
  });
}

function sideOf(
  mode: Row["old_mode"],
  sha: Row["old_sha"],
  size: Row["old_size"],
  omitted: Row["old_omitted"],
): MemoryFileSide | null {
  if (sha === null) return null;
  return { mode: mode ?? "", blobSha: sha, size: size ?? 0, omitted };
}
