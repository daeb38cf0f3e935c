import { AppError } from "../errors.js";
import type { Repository } from "../generated/prisma/client.js";
import { compileGlobs, globProblem } from "../glob/compile-globs.js";
import { countNotSearched, type NotSearched } from "../memory/count-not-searched.js";
import {
  findSearchCandidates,
  findSearchIndexKind,
  type SearchCandidate,
  type SearchIndexKind,
  type SearchScope,
} from "../memory/find-search-candidates.js";
import { compileSearchPattern, type SearchPattern } from "../search/compile-search-pattern.js";
import { findLineMatches, type LineMatch } from "../search/find-line-matches.js";
import {
  BUCKETS,
  bucketBound,
  bucketOf,
  decodeSearchCursor,
  encodeSearchCursor,
  type SearchCursor,
} from "../search/search-cursor.js";
import { resolveScope } from "./read-memory.js";
import type { ServiceDeps } from "./service-deps.js";

export type SearchMemoryOptions = {
  repository: Repository;
  query: string;
  regex?: boolean;
  caseSensitive?: boolean;
  /** the default branch when absent (unless `allBranches`) */
  branch?: string;
  /** the current memory of every branch: each result names the branches holding it */
  allBranches?: boolean;
  /** a successful sync: the memory as it was right after it */
  asOfSyncId?: string;
  /** a path prefix (`src/`) or a glob (`src/**\/*.ts`) */
  path?: string;
  /** files per page (default 20, at most 100) */
  limit?: number;
  cursor?: string;
  /** the search stops after this long and answers what it found, partial (default 3 s) */
  budgetMs?: number;
};

/** One file (blob) that matches: the paths holding it in the scope, and its matching lines. */
export type SearchResult = {
  blobSha: string;
  /** the first path holding the blob */
  path: string;
  /** every path (and branch) holding it, at most MAX_LOCATIONS */
  paths: { branch: string; path: string }[];
  pathCount: number;
  matches: LineMatch[];
  /** how many lines match (counted up to 1,000: `lineCountCapped`) */
  lineCount: number;
  lineCountCapped: boolean;
};

export type SearchPage = {
  results: SearchResult[];
  /** more may match: ask again with this cursor */
  nextCursor: string | null;
  /** the time budget ran out before the page was full: what was found so far, and a cursor to go on */
  partial: boolean;
  /** how the search ran: "trigram" (through the index) or "scan" (no usable literal, or no pg_trgm index) */
  method: "trigram" | "scan";
  /** why it scanned, when it did */
  scanReason: string | null;
  /** paths no search reads, counted on the first page (null on later pages) */
  notSearched: NotSearched | null;
  scope: { branch: string | null; asOfSyncId: string | null };
  elapsedMs: number;
};

export const MAX_LOCATIONS = 20;
const LINE_LIMITS = { maxLines: 10, maxRangesPerLine: 20, maxLineLength: 400, countLimit: 1000 };
// a glob is checked here after the database narrowed by its literal prefix: enough paths to find the ones it matches
const GLOB_LOCATIONS = 1000;

/**
 * Searches a repository's memory — a branch now, as of any past sync, or every branch — for a literal or an RE2 regular
 * expression, line by line like `git grep`. Pages by blob SHA; each page is bounded in files, lines and time: what the
 * budget cut is answered as partial with a cursor that goes on from there.
 */
export async function searchMemory(
  deps: Pick<ServiceDeps, "db">,
  options: SearchMemoryOptions,
): Promise<SearchPage> {
  const started = performance.now();
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new AppError("BAD_INPUT", "limit must be a whole number from 1 to 100.");
  }
  const pattern = compileSearchPattern({
    query: options.query,
    regex: options.regex ?? false,
    caseSensitive: options.caseSensitive ?? true,
  });
  const filter = pathFilter(options.path);
  const cursor = decodeSearchCursor(options.cursor);
  const { scope, label } = await searchScope(deps, options, filter.prefix);
  const indexKind = await findSearchIndexKind(deps.db);
  const usable = pattern.literals.some((group) => group.every((literal) => literal.length >= 3));
  const indexed = indexKind !== null;
  // the first page also says what no search reads: counted while the search runs
  const notSearched = options.cursor ? Promise.resolve(null) : countNotSearched(deps.db, scope);
  notSearched.catch(() => {}); // awaited below, after the search: not an unhandled rejection meanwhile
  const collected = await collect(deps, {
    scope,
    pattern,
    index: usable ? indexKind : null,
    filter,
    cursor,
    limit,
    deadline: started + (options.budgetMs ?? 3000),
  });
  return {
    results: collected.results,
    nextCursor: collected.next ? encodeSearchCursor(collected.next) : null,
    partial: collected.partial,
    method: indexed && usable ? "trigram" : "scan",
    scanReason: !indexed
      ? "the pg_trgm trigram index is not installed in this database"
      : usable
        ? null
        : "the query holds no literal of 3 characters the index could use",
    notSearched: await notSearched,
    scope: label,
    elapsedMs: Math.round(performance.now() - started),
  };
}

type PathFilter = { prefix: string | undefined; matches: ((path: string) => boolean) | null };

/** A prefix goes to the database as is; a glob goes as its literal start, and is checked here on every path. */
function pathFilter(path: string | undefined): PathFilter {
  if (!path) return { prefix: undefined, matches: null };
  if (path.length > 1000) throw new AppError("BAD_INPUT", "path is longer than 1000 characters.");
  const special = path.search(/[*?[\]{}\\!]/);
  if (special < 0) return { prefix: path, matches: null };
  const problem = globProblem(path);
  if (problem) throw new AppError("BAD_INPUT", `path is not a usable glob: ${problem}`);
  return { prefix: path.slice(0, special) || undefined, matches: compileGlobs([path]) };
}

async function searchScope(
  deps: Pick<ServiceDeps, "db">,
  options: SearchMemoryOptions,
  pathPrefix: string | undefined,
): Promise<{ scope: SearchScope; label: SearchPage["scope"] }> {
  if (options.allBranches) {
    if (options.asOfSyncId || options.branch) {
      throw new AppError(
        "BAD_INPUT",
        "Searching every branch reads their current memory: leave out branch and asOf.",
      );
    }
    return {
      scope: { repositoryId: options.repository.id, branch: null, pathPrefix },
      label: { branch: null, asOfSyncId: null },
    };
  }
  const resolved = await resolveScope(deps, options);
  return {
    scope: { ...resolved, pathPrefix },
    label: { branch: resolved.branch, asOfSyncId: options.asOfSyncId ?? null },
  };
}

type Collect = {
  scope: SearchScope;
  pattern: SearchPattern;
  index: SearchIndexKind;
  filter: PathFilter;
  cursor: SearchCursor;
  limit: number;
  deadline: number;
};

/**
 * Reads the scope's candidates in SHA order, a run of buckets at a time: the run grows while it holds few matches (a
 * rare literal crosses the 256 buckets in a few queries) and shrinks to what a common literal needs to fill the page,
 * so that each query finds and rechecks only its buckets' candidates. Through the text-only index, every query would
 * read every candidate anyway: the run is all that is left.
 */
async function collect(
  deps: Pick<ServiceDeps, "db">,
  input: Collect,
): Promise<{ results: SearchResult[]; next: SearchCursor | null; partial: boolean }> {
  const results: SearchResult[] = [];
  let { after, width } = input.cursor;
  if (input.index === "text") width = BUCKETS;
  for (;;) {
    const remaining = input.deadline - performance.now();
    if (remaining <= 0) return { results, next: { after, width }, partial: true };
    const from = bucketOf(after);
    const to = Math.min(BUCKETS, from + width);
    const need = Math.max(input.limit - results.length, 10);
    const rows = await candidates(deps, input, { after, buckets: { from, to }, need, remaining });
    if (rows === null) return { results, next: { after, width }, partial: true };
    const before = results.length;
    for (const row of rows) {
      const result = check(row, input);
      after = row.sha;
      if (result) results.push(result);
      if (results.length >= input.limit) return { results, next: { after, width }, partial: false };
    }
    if (rows.length < need) {
      // the run is done: on to the next, as wide as the matches found so far say the page still needs
      const bound = bucketBound(to);
      if (bound === null) return { results, next: null, partial: false };
      after = bound;
      width = nextWidth(width, to - from, results.length - before, input.limit - results.length);
    }
  }
}

/** Buckets for the next query: enough at the density just seen to fill the page, growing at most 4× at a time. */
function nextWidth(width: number, read: number, found: number, wanted: number): number {
  const grown = Math.min(BUCKETS, width * 4);
  if (found === 0) return grown;
  return Math.max(1, Math.min(grown, Math.ceil(((wanted * read) / found) * 1.25)));
}

async function candidates(
  deps: Pick<ServiceDeps, "db">,
  input: Collect,
  range: { after: string; buckets: { from: number; to: number }; need: number; remaining: number },
): Promise<SearchCandidate[] | null> {
  try {
    return await findSearchCandidates(deps.db, {
      scope: input.scope,
      literals: input.pattern.literals,
      caseInsensitive: input.pattern.caseInsensitive,
      after: range.after,
      buckets: range.buckets,
      index: input.index,
      limit: range.need,
      maxLocations: input.filter.matches ? GLOB_LOCATIONS : MAX_LOCATIONS,
      timeoutMs: range.remaining,
    });
  } catch (error) {
    if (isStatementTimeout(error)) return null;
    throw error;
  }
}

function check(row: SearchCandidate, input: Collect): SearchResult | null {
  const locations = input.filter.matches
    ? row.locations.filter((location) => input.filter.matches?.(location.path))
    : row.locations;
  if (locations.length === 0) return null;
  const found = findLineMatches(row.content, input.pattern, LINE_LIMITS);
  if (found.lineCount === 0) return null;
  const first = locations[0] as { path: string };
  return {
    blobSha: row.sha,
    path: first.path,
    paths: locations.slice(0, MAX_LOCATIONS),
    pathCount: input.filter.matches ? locations.length : row.locationCount,
    matches: found.matches,
    lineCount: found.lineCount,
    lineCountCapped: found.countCapped,
  };
}

/** PostgreSQL's "canceling statement due to statement timeout" (57014), however the driver wrapped it. */
function isStatementTimeout(error: unknown): boolean {
  const text = `${String(error)} ${JSON.stringify(error, Object.getOwnPropertyNames(error ?? {}))}`;
  return text.includes("57014") || text.includes("statement timeout");
}
