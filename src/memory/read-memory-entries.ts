import type { Db } from "../db/create-prisma-client.js";
import { Prisma } from "../generated/prisma/client.js";
import { ENTRY_SELECT, type MemoryEntryView, toEntryView } from "./memory-entry-view.js";

export type ReadMemoryEntriesOptions = {
  repositoryId: string;
  branch: string;
  /** only paths starting with this string */
  pathPrefix?: string;
  /** the memory as it was right after the sync with this lineage generation; current memory when absent */
  asOfGeneration?: number;
  /** page size (default 1000) */
  limit?: number;
  /** the last path of the previous page */
  after?: string;
};

export type MemoryEntryPage = { entries: MemoryEntryView[]; nextCursor: string | null };

/**
 * The one way to list memory. Current memory is the `active` entries; past memory is the entries whose validity range
 * holds the generation — superseded entries are never returned for the present.
 */
export async function readMemoryEntries(db: Db, options: ReadMemoryEntriesOptions): Promise<MemoryEntryPage> {
  const limit = options.limit ?? 1000;
  const where: Prisma.MemoryEntryWhereInput = {
    repositoryId: options.repositoryId,
    branch: options.branch,
    ...memoryStateFilter(options.asOfGeneration),
    path: {
      // Prisma's startsWith is LIKE 'prefix%' without escaping: `_` and `%` in a path would match anything
      ...(options.pathPrefix ? { startsWith: escapeLike(options.pathPrefix) } : {}),
      ...(options.after !== undefined ? { gt: options.after } : {}),
    },
  };
  const rows = await db.memoryEntry.findMany({
    where,
    select: ENTRY_SELECT,
    orderBy: { path: "asc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { entries: page.map(toEntryView), nextCursor: rows.length > limit && last ? last.path : null };
}

/** Every entry of a listing, page after page (the CLI prints all matching entries, however many). */
export async function* readAllMemoryEntries(
  db: Db,
  options: Omit<ReadMemoryEntriesOptions, "after">,
): AsyncGenerator<MemoryEntryView[]> {
  let after: string | undefined;
  do {
    const page = await readMemoryEntries(db, { ...options, after });
    if (page.entries.length > 0) yield page.entries;
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
}

/** `status: "active"` for the present, the validity range for a past generation: the filter lives here, once. */
export function memoryStateFilter(asOfGeneration?: number): Prisma.MemoryEntryWhereInput {
  if (asOfGeneration === undefined) return { status: "active" };
  return {
    validFrom: { lte: asOfGeneration },
    OR: [{ validTo: null }, { validTo: { gt: asOfGeneration } }],
  };
}

/** The same filter as SQL, for the hot paths that read a whole branch with one raw query. */
export function memoryStateSql(asOfGeneration?: number): Prisma.Sql {
  if (asOfGeneration === undefined) return Prisma.sql`status = 'active'`;
  return Prisma.sql`"validFrom" <= ${asOfGeneration} AND ("validTo" IS NULL OR "validTo" > ${asOfGeneration})`;
}

/** A literal string inside a LIKE pattern (PostgreSQL's default escape character is the backslash). */
export function escapeLike(literal: string): string {
  return literal.replace(/[\\%_]/g, (character) => `\\${character}`);
}
