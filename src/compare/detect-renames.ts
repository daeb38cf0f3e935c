import { basenameOf, basenameSame } from "./basename-same.js";
import {
  DEFAULT_RENAME_SCORE,
  estimateSimilarity,
  isRegularFile,
  MAX_SCORE,
  sizesCanMatch,
} from "./estimate-similarity.js";
import type { SpanSignature } from "./span-signature.js";

/** A removed (source) or added (destination) path; `hasContent` is false when memory keeps no content for it. */
export type RenameSide = { path: string; mode: string; sha: string; size: number; hasContent: boolean };

/** A rename: indexes into the sources and destinations, and git's score (MAX_SCORE for an exact rename). */
export type RenameMatch = { source: number; destination: number; score: number };

export type DetectRenamesOptions = {
  /** removed paths, in git's order (byte order of the path) */
  sources: readonly RenameSide[];
  /** added paths, in the same order */
  destinations: readonly RenameSide[];
  /** the fingerprints of the blobs asked for (those with content); called at most twice */
  loadSignatures: (sides: readonly RenameSide[]) => Promise<Map<string, SpanSignature>>;
  /** git's diff.renameLimit: no inexact matrix when remaining sources × destinations exceed its square (1000) */
  renameLimit?: number;
  /** no inexact matrix either when its blobs would be more bytes than this (memory, not git, sets this bound) */
  maxContentBytes?: number;
};

export type DetectRenamesResult = {
  renames: RenameMatch[];
  /** whether every inexact candidate was compared, as git does; else why not (then renames are exact or basename) */
  inexact: { complete: boolean; reason: string | null };
};

type State = DetectRenamesOptions & {
  sourceUsed: boolean[];
  destinationRenamed: boolean[];
  renames: RenameMatch[];
  signatures: Map<string, SpanSignature>;
};

const DEFAULT_RENAME_LIMIT = 1000;
const DEFAULT_MAX_CONTENT_BYTES = 256 * 1024 * 1024;

/**
 * `git diff -M` rename detection (git 2.39 diffcore-rename.c, default 50% threshold, no copies, no breaks): exact
 * renames first (same blob; a same-named source preferred), then pairs whose file names are unique on both sides
 * (at 75%), then the matrix of the rest, best score first, each source and destination used once.
 */
export async function detectRenames(options: DetectRenamesOptions): Promise<DetectRenamesResult> {
  const state: State = {
    ...options,
    sourceUsed: options.sources.map(() => false),
    destinationRenamed: options.destinations.map(() => false),
    renames: [],
    signatures: new Map(),
  };
  if (options.sources.length === 0 || options.destinations.length === 0) return done(state);
  findExactRenames(state);
  await findBasenameMatches(state);
  const sources = indexesWhere(state.sourceUsed, false);
  const destinations = indexesWhere(state.destinationRenamed, false);
  if (sources.length === 0 || destinations.length === 0) return done(state);
  const limit = options.renameLimit ?? DEFAULT_RENAME_LIMIT;
  if (sources.length * destinations.length > limit * limit) {
    return done(
      state,
      `${sources.length} removed × ${destinations.length} added paths exceed git's diff.renameLimit (${limit}): renames are exact (or same-name) only`,
    );
  }
  const wanted = matrixBlobs(state, sources, destinations);
  const bytes = wanted.reduce((total, side) => total + side.size, 0);
  const maxBytes = options.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES;
  if (bytes > maxBytes) {
    return done(
      state,
      `the ${wanted.length} candidate files hold ${bytes} bytes, over the ${maxBytes} compared at most: renames are exact (or same-name) only`,
    );
  }
  await loadInto(state, wanted);
  findInexactRenames(state, sources, destinations);
  return done(state);
}

function done(state: State, reason: string | null = null): DetectRenamesResult {
  return { renames: state.renames, inexact: { complete: reason === null, reason } };
}

function record(state: State, source: number, destination: number, score: number): void {
  state.sourceUsed[source] = true;
  state.destinationRenamed[destination] = true;
  state.renames.push({ source, destination, score });
}

/** find_exact_renames + find_identical_files: per destination, the first unused source of the same blob. */
function findExactRenames(state: State): void {
  const bySha = new Map<string, number[]>();
  state.sources.forEach((source, index) => {
    const list = bySha.get(source.sha);
    if (list) list.push(index);
    else bySha.set(source.sha, [index]);
  });
  state.destinations.forEach((target, destination) => {
    let best = -1;
    let bestScore = -1;
    let budget = 100;
    for (const index of bySha.get(target.sha) ?? []) {
      const source = state.sources[index] as RenameSide;
      // non-regular files (symlinks, submodules) match only with the same mode
      if ((!isRegularFile(source.mode) || !isRegularFile(target.mode)) && source.mode !== target.mode)
        continue;
      if (state.sourceUsed[index]) continue;
      const score = 1 + (basenameSame(source.path, target.path) ? 1 : 0);
      if (score > bestScore) {
        best = index;
        bestScore = score;
        if (score === 2) break;
      }
      budget -= 1;
      if (budget === 0) break;
    }
    if (best >= 0) record(state, best, destination, MAX_SCORE);
  });
}

/** find_basename_matches: a source and a destination whose file name no other remaining one has, at 75%. */
async function findBasenameMatches(state: State): Promise<void> {
  const minimum = DEFAULT_RENAME_SCORE + Math.floor(0.5 * (MAX_SCORE - DEFAULT_RENAME_SCORE));
  const sourceByName = uniqueByName(state.sources, indexesWhere(state.sourceUsed, false));
  const destinationByName = uniqueByName(state.destinations, indexesWhere(state.destinationRenamed, false));
  const pairs: [number, number][] = [];
  for (const source of indexesWhere(state.sourceUsed, false)) {
    const name = basenameOf((state.sources[source] as RenameSide).path);
    const destination = destinationByName.get(name);
    if (destination === undefined) continue;
    // not unique on one side: git would guess from directory renames, which a plain diff never sets up
    if (sourceByName.get(name) === -1 || destination === -1) continue;
    pairs.push([source, destination]);
  }
  const wanted = pairs.flatMap(([source, destination]) => {
    const from = state.sources[source] as RenameSide;
    const to = state.destinations[destination] as RenameSide;
    return comparable(from, to, minimum) ? [from, to] : [];
  });
  await loadInto(state, wanted);
  for (const [source, destination] of pairs) {
    const score = estimate(state, source, destination, minimum);
    if (score >= minimum) record(state, source, destination, score);
  }
}

type Candidate = { source: number; destination: number; score: number; nameScore: number };
const NUM_CANDIDATE_PER_DST = 4;

/** The matrix: each destination keeps its 4 best sources; all kept pairs best first, each side used once. */
function findInexactRenames(state: State, sources: number[], destinations: number[]): void {
  const matrix: Candidate[] = [];
  for (const destination of destinations) {
    const best: Candidate[] = Array.from({ length: NUM_CANDIDATE_PER_DST }, unusedCandidate);
    const target = state.destinations[destination] as RenameSide;
    sources.forEach((source, position) => {
      recordIfBetter(best, {
        source: position,
        destination,
        score: estimate(state, source, destination, DEFAULT_RENAME_SCORE),
        nameScore: basenameSame((state.sources[source] as RenameSide).path, target.path) ? 1 : 0,
      });
    });
    matrix.push(...best);
  }
  matrix.sort(scoreCompare); // stable, as git's STABLE_QSORT
  for (const candidate of matrix) {
    if (candidate.destination < 0 || candidate.score < DEFAULT_RENAME_SCORE) break;
    const source = sources[candidate.source] as number;
    if (state.destinationRenamed[candidate.destination] || state.sourceUsed[source]) continue;
    record(state, source, candidate.destination, candidate.score);
  }
}

function unusedCandidate(): Candidate {
  return { source: -1, destination: -1, score: 0, nameScore: 0 };
}

/** git's record_if_better: replaces the first worst of the kept candidates when the new one beats it. */
function recordIfBetter(best: Candidate[], candidate: Candidate): void {
  let worst = 0;
  for (let index = 1; index < best.length; index += 1) {
    if (scoreCompare(best[index] as Candidate, best[worst] as Candidate) > 0) worst = index;
  }
  if (scoreCompare(best[worst] as Candidate, candidate) > 0) best[worst] = candidate;
}

/** git's score_compare: unused slots last, then higher score, then same file name first. */
function scoreCompare(a: Candidate, b: Candidate): number {
  if (a.destination < 0) return b.destination >= 0 ? 1 : 0;
  if (b.destination < 0) return -1;
  if (a.score === b.score) return b.nameScore - a.nameScore;
  return b.score - a.score;
}

function estimate(state: State, source: number, destination: number, minimum: number): number {
  const from = state.sources[source] as RenameSide;
  const to = state.destinations[destination] as RenameSide;
  return estimateSimilarity(
    { mode: from.mode, size: from.size, signature: () => state.signatures.get(from.sha) ?? null },
    { mode: to.mode, size: to.size, signature: () => state.signatures.get(to.sha) ?? null },
    minimum,
  );
}

/** Whether estimating the pair needs content at all (both regular files with content, sizes close enough). */
function comparable(from: RenameSide, to: RenameSide, minimum: number): boolean {
  return (
    isRegularFile(from.mode) &&
    isRegularFile(to.mode) &&
    from.hasContent &&
    to.hasContent &&
    sizesCanMatch(from.size, to.size, minimum)
  );
}

/** The blobs the matrix reads: those of a remaining side with at least one counterpart it could match. */
function matrixBlobs(state: State, sources: number[], destinations: number[]): RenameSide[] {
  const wanted = new Map<string, RenameSide>();
  for (const source of sources) {
    const from = state.sources[source] as RenameSide;
    for (const destination of destinations) {
      const to = state.destinations[destination] as RenameSide;
      if (!comparable(from, to, DEFAULT_RENAME_SCORE)) continue;
      wanted.set(from.sha, from);
      wanted.set(to.sha, to);
    }
  }
  return [...wanted.values()].filter((side) => !state.signatures.has(side.sha));
}

async function loadInto(state: State, sides: readonly RenameSide[]): Promise<void> {
  const missing = [...new Map(sides.map((side) => [side.sha, side])).values()].filter(
    (side) => !state.signatures.has(side.sha),
  );
  if (missing.length === 0) return;
  for (const [sha, signature] of await state.loadSignatures(missing)) state.signatures.set(sha, signature);
}

function uniqueByName(sides: readonly RenameSide[], indexes: number[]): Map<string, number> {
  const byName = new Map<string, number>();
  for (const index of indexes) {
    const name = basenameOf((sides[index] as RenameSide).path);
    byName.set(name, byName.has(name) ? -1 : index);
  }
  return byName;
}

function indexesWhere(flags: boolean[], value: boolean): number[] {
  const indexes: number[] = [];
  flags.forEach((flag, index) => {
    if (flag === value) indexes.push(index);
  });
  return indexes;
}
