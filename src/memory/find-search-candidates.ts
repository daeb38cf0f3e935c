import { z } from "zod";
import type { Db } from "../db/create-prisma-client.js";
import { Prisma } from "../generated/prisma/client.js";
import { escapeLike, memoryStateSql } from "./read-memory-entries.js";

/** Whose memory a search reads: one branch (now, or as of a generation), or every branch's current memory. */
export type SearchScope = {
  repositoryId: string;
  /** null: the current memory of every branch */
  branch: string | null;
  asOfGeneration?: number;
  /** only paths starting with this */
  pathPrefix?: string;
};

/** A stored text blob of the scope that may match, with the paths (and branches) that hold it. */
export type SearchCandidate = {
  sha: string;
  content: string;
  /** the first `maxLocations` paths holding the blob, by path */
  locations: { branch: string; path: string }[];
  /** how many paths of the scope hold it */
  locationCount: number;
};

export type FindSearchCandidatesOptions = {
  scope: SearchScope;
  /** AND of OR groups: a candidate's text contains one string of every group */
  literals: readonly (readonly string[])[];
  caseInsensitive: boolean;
  /** blobs with a SHA after this one ("" from the start) … */
  after: string;
  /** … and before this (a hex prefix; null: to the end) */
  before: string | null;
  limit: number;
  maxLocations: number;
  /** the database gives up after this long (the search answers partial) */
  timeoutMs: number;
};

const rowSchema = z.object({
  sha: z.string(),
  content: z.string(),
  locations: z.array(z.object({ branch: z.string(), path: z.string() })),
  total: z.coerce.number(),
});

// Trigram search needs 3 characters; a shorter literal is checked without the index (`strpos`), so that PostgreSQL
// never reads the whole GIN index for it.
const TRIGRAM = 3;

/**
 * The blobs of a search scope, in SHA order within (`after`, `before`), whose text holds the literals. Indexed blobs
 * are found through the trigram index; blobs the indexer has not reached yet (the backlog) are read through their own
 * index, so the answer is complete whatever the index's lag. Regular files only (as `git grep`: no symlinks, no
 * submodules); binary and too-large blobs have no text and are never candidates.
 */
export async function findSearchCandidates(
  db: Db,
  options: FindSearchCandidatesOptions,
): Promise<SearchCandidate[]> {
  const { scope } = options;
  const range = Prisma.sql`f."repositoryId" = ${scope.repositoryId}::uuid AND f.content IS NOT NULL
    AND f.sha > ${options.after}${options.before === null ? Prisma.empty : Prisma.sql` AND f.sha < ${options.before}`}`;
  const text = contentCondition(options.literals, options.caseInsensitive);
  const held = Prisma.sql`EXISTS (SELECT 1 FROM "MemoryEntry" e WHERE ${entryCondition(scope, Prisma.sql`f.sha`)})`;
  const query = Prisma.sql`
    WITH hits AS (
      (SELECT f.sha FROM "RepositoryFile" f WHERE f."searchIndexed" AND ${range} AND ${text} AND ${held}
        ORDER BY f.sha LIMIT ${options.limit})
      UNION ALL
      (SELECT f.sha FROM "RepositoryFile" f WHERE NOT f."searchIndexed" AND ${range} AND ${text} AND ${held}
        ORDER BY f.sha LIMIT ${options.limit})
      ORDER BY sha LIMIT ${options.limit}
    )
    SELECT h.sha, f.content, COALESCE(loc.locations, '[]'::json) AS locations, loc.total
    FROM hits h
    JOIN "RepositoryFile" f ON f."repositoryId" = ${scope.repositoryId}::uuid AND f.sha = h.sha
    CROSS JOIN LATERAL (
      SELECT json_agg(json_build_object('branch', x.branch, 'path', x.path) ORDER BY x.n)
               FILTER (WHERE x.n <= ${options.maxLocations}) AS locations,
             count(*) AS total
      FROM (SELECT e.branch, e.path, row_number() OVER (ORDER BY e.path, e.branch) AS n
            FROM "MemoryEntry" e WHERE ${entryCondition(scope, Prisma.sql`h.sha`)}) x
    ) loc
    ORDER BY h.sha`;
  const timeout = Math.max(1, Math.ceil(options.timeoutMs));
  const [, rows] = await db.$transaction([
    db.$executeRawUnsafe(`SET LOCAL statement_timeout = ${timeout}`),
    db.$queryRaw<unknown[]>(query),
  ]);
  return rows.map((row) => {
    const parsed = rowSchema.parse(row);
    return {
      sha: parsed.sha,
      content: parsed.content,
      locations: parsed.locations,
      locationCount: parsed.total,
    };
  });
}

/** The entries of the scope holding blob `sha`: regular files of the branch (or every branch) in the state asked. */
function entryCondition(scope: SearchScope, sha: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`e."repositoryId" = ${scope.repositoryId}::uuid AND e."blobSha" = ${sha}
    AND e.mode IN ('100644', '100755') AND ${scopeSql(scope)}`;
}

/** The entries (alias `e`) of a scope's branch (or every branch's current memory) under its path prefix. */
export function scopeSql(scope: SearchScope): Prisma.Sql {
  const branch =
    scope.branch === null
      ? Prisma.sql`e.status = 'active'`
      : Prisma.sql`e.branch = ${scope.branch} AND ${memoryStateSql(scope.asOfGeneration)}`;
  const prefix = scope.pathPrefix
    ? Prisma.sql` AND e.path LIKE ${`${escapeLike(scope.pathPrefix)}%`}`
    : Prisma.empty;
  return Prisma.sql`${branch}${prefix}`;
}

function contentCondition(
  literals: FindSearchCandidatesOptions["literals"],
  caseInsensitive: boolean,
): Prisma.Sql {
  if (literals.length === 0) return Prisma.sql`TRUE`;
  const groups = literals.map((group) => {
    const indexable = group.every((literal) => literal.length >= TRIGRAM);
    const alternatives = group.map((literal) => {
      if (indexable) {
        const pattern = `%${escapeLike(literal)}%`;
        return caseInsensitive
          ? Prisma.sql`f.content ILIKE ${pattern}`
          : Prisma.sql`f.content LIKE ${pattern}`;
      }
      return caseInsensitive
        ? Prisma.sql`strpos(lower(f.content), ${literal.toLowerCase()}) > 0`
        : Prisma.sql`strpos(f.content, ${literal}) > 0`;
    });
    return Prisma.sql`(${Prisma.join(alternatives, " OR ")})`;
  });
  return Prisma.join(groups, " AND ");
}

/** Whether a search can use the trigram index: the extension exists and so does the index. */
export async function hasTrigramIndex(db: Db): Promise<boolean> {
  const rows = await db.$queryRaw<{ found: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'RepositoryFile_content_trgm') AS found`;
  return rows[0]?.found === true;
}
