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

/**
 * The trigram index a database has: "bucketed" holds the repository and the SHA's bucket beside the text (btree_gin),
 * "text" the text only (no btree_gin), null none (no pg_trgm: search reads rows).
 */
export type SearchIndexKind = "bucketed" | "text" | null;

export type FindSearchCandidatesOptions = {
  scope: SearchScope;
  /** AND of OR groups: a candidate's text contains one string of every group */
  literals: readonly (readonly string[])[];
  caseInsensitive: boolean;
  /** blobs with a SHA after this one ("" from the start) … */
  after: string;
  /** … in these buckets (first two hex digits of the SHA; `to` excluded, 256 = the end) */
  buckets: { from: number; to: number };
  /** the index to find the literals through (null: read the range's rows in SHA order) */
  index: SearchIndexKind;
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
  const query = Prisma.sql`
    WITH hits AS (
      (${indexedHits(options)})
      UNION ALL
      (SELECT f.sha FROM "RepositoryFile" f WHERE NOT f."searchIndexed" AND ${shaRange(options)}
        AND ${contentCondition(options)} AND ${held(scope)}
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
  // The planner costs a LIKE as one cheap operator, unaware that it detoasts a whole file: on a small repository it
  // would rather read every blob (once per bucket) than ask the trigram index, and the literal comes before the
  // bucket in the filter. Every read this query makes has an index; a sequential scan is never the cheap one.
  const [, rows] = await db.$transaction([
    db.$queryRaw`SELECT set_config('statement_timeout', ${String(timeout)}, true),
      set_config('enable_seqscan', 'off', true)`,
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

/**
 * The indexed blobs that hold the literals. Through the bucketed index, one bucket at a time (a lateral join): the
 * index finds a bucket's candidates by equality on its key, which is cheap however common the literal's trigrams are,
 * whereas a SHA range read from the same index walks every key of the range. Otherwise one query over the SHA range.
 */
function indexedHits(options: FindSearchCandidatesOptions): Prisma.Sql {
  const { scope } = options;
  if (options.index !== "bucketed") {
    return Prisma.sql`SELECT f.sha FROM "RepositoryFile" f WHERE f."searchIndexed" AND ${shaRange(options)}
      AND ${contentCondition(options)} AND ${held(scope)} ORDER BY f.sha LIMIT ${options.limit}`;
  }
  const { from, to } = options.buckets;
  // The fence (OFFSET 0, and no condition on the SHA but its bucket inside it) keeps the planner on the trigram index
  // whatever its statistics say: a freshly synced repository has none, and the planner would rather check the
  // literal on every entry of the branch, or on every blob after `after`, once per bucket.
  const buckets = Array.from({ length: to - from }, (_, index) => from + index);
  const names = buckets.map((bucket) => bucket.toString(16).padStart(2, "0"));
  // the bound after the last bucket ("ff") is "g": every SHA is below it
  const ends = buckets.map((bucket) => (bucket === 255 ? "g" : (bucket + 1).toString(16).padStart(2, "0")));
  // each bucket both as the index's key (`left(sha, 2)`) and as a SHA range, which the planner can read from the
  // primary key where a repository is too small for the trigram index to pay; and either is checked before the text
  return Prisma.sql`SELECT x.sha FROM unnest(${names}::text[], ${ends}::text[]) b(name, next)
    CROSS JOIN LATERAL (
      SELECT c.sha FROM (
        SELECT f.sha FROM "RepositoryFile" f
        WHERE f."searchIndexed" AND f."repositoryId" = ${scope.repositoryId}::uuid
          AND left(f.sha, 2) = b.name AND f.sha >= b.name AND f.sha < b.next AND ${contentCondition(options)}
        OFFSET 0
      ) c
      WHERE c.sha > ${options.after} AND ${held(scope, Prisma.sql`c.sha`)}
      ORDER BY c.sha LIMIT ${options.limit}
    ) x
    ORDER BY x.sha LIMIT ${options.limit}`;
}

/** The blobs of the repository with text, after `after` and before the end of the last bucket. */
function shaRange(options: FindSearchCandidatesOptions): Prisma.Sql {
  const { to } = options.buckets;
  const before = to >= 256 ? null : to.toString(16).padStart(2, "0");
  return Prisma.sql`f."repositoryId" = ${options.scope.repositoryId}::uuid AND f.content IS NOT NULL
    AND f.sha > ${options.after}${before === null ? Prisma.empty : Prisma.sql` AND f.sha < ${before}`}`;
}

/** Some path of the scope holds the blob `sha` (by default the row `f`'s). */
function held(scope: SearchScope, sha = Prisma.sql`f.sha`): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "MemoryEntry" e WHERE ${entryCondition(scope, sha)})`;
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

function contentCondition({ literals, caseInsensitive }: FindSearchCandidatesOptions): Prisma.Sql {
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

/** Which trigram index the database has (see SearchIndexKind). */
export async function findSearchIndexKind(db: Db): Promise<SearchIndexKind> {
  const rows = await db.$queryRaw<{ definition: string }[]>`
    SELECT indexdef AS definition FROM pg_indexes WHERE indexname = 'RepositoryFile_content_trgm'`;
  const definition = rows[0]?.definition;
  if (definition === undefined) return null;
  return /left"?\(sha, 2\)/.test(definition) ? "bucketed" : "text";
}
