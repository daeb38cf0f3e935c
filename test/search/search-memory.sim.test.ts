import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate-repository.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { silentLogger } from "../../src/logger.js";
import { createSearchIndexer } from "../../src/search/create-search-indexer.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import { type SearchMemoryOptions, searchMemory } from "../../src/service/search-memory.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { FakeCommit } from "../helpers/fake-github-repo.js";
import { simulatorDeps, syncCommit } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { gitTree, NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

type Found = { count: number; capped: boolean; first: number[] };
type Query = { q: string; regex?: boolean; ignoreCase?: boolean; path?: string };

// Patterns whose meaning is the same in RE2 and in POSIX ERE (git grep -E), on the generated code-like text.
const QUERIES: Query[] = [
  { q: "syncBranch" },
  { q: "export function" },
  { q: "import {" },
  { q: "COMMITCACHE", ignoreCase: true },
  { q: "render[A-Z][a-z]+", regex: true },
  { q: '^import .* from "\\./(alpha|render)/', regex: true },
  { q: "(fetch|load)(Item|Value)s?\\b", regex: true },
  { q: "[0-9]{3}\\)", regex: true },
  { q: "ALPHA|beta", regex: true, ignoreCase: true },
  { q: "if" },
  { q: "no such text anywhere 7f3a" },
  { q: "export", path: "src/" },
  { q: "const", path: "**/*.ts" },
];

/**
 * Search must equal `git grep` at the same commit: the same files, the same number of matching lines in each, and the
 * same first lines — at the head and as of past syncs, on one branch and on every branch, through the trigram index
 * and through the scan of blobs the indexer has not reached yet.
 */
describe("searchMemory on real histories: equal to git grep", () => {
  const sim = useSimulator({ files: 400, seed: 31 });
  let database: TestDatabase;
  let deps: ServiceDeps;
  let repository: Repository;
  const syncs: { sha: string; syncId: string }[] = [];
  let featureHead: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = simulatorDeps(database, sim.address.apiUrl);
    repository = await ensureRepository(deps, `${OWNER}/${NAME}`);
    let head = sim.repo.headSha;
    for (let step = 0; step < 3; step += 1) {
      if (step > 0) {
        head = await commitChanges({
          gitDir: sim.repo.gitDir,
          parent: head,
          changes: { modify: 30, add: 10, remove: 8, rename: 6 },
          seed: step,
        });
      }
      sim.sim.setBranch(OWNER, NAME, "main", head);
      const { sync } = await syncCommit(deps, { repository, commit: { sha: head } as FakeCommit });
      expect(sync.status).toBe("succeeded");
      syncs.push({ sha: head, syncId: sync.id });
    }
    featureHead = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: syncs[1]?.sha as string,
      changes: { modify: 20, add: 5 },
      seed: 99,
    });
    sim.sim.setBranch(OWNER, NAME, "feature/x", featureHead);
    const { sync } = await syncCommit(deps, {
      repository,
      commit: { sha: featureHead } as FakeCommit,
      branch: "feature/x",
    });
    expect(sync.status).toBe("succeeded");
  }, 240_000);
  afterAll(async () => {
    await database?.drop();
  });

  /** path → matching line numbers, per `git grep -n -I` at a commit */
  function gitGrep(sha: string, query: Query): Map<string, number[]> {
    const args = ["-c", "core.quotePath=false", "grep", "-n", "-I", "--no-color", query.regex ? "-E" : "-F"];
    if (query.ignoreCase) args.push("-i");
    args.push("-e", query.q, sha, "--");
    if (query.path) args.push(query.path.includes("*") ? `:(glob)${query.path}` : query.path);
    let output = "";
    try {
      output = sim.git(...args);
    } catch (error) {
      if ((error as { status?: number }).status === 1) return new Map(); // no match
      throw error;
    }
    const found = new Map<string, number[]>();
    for (const line of output.split("\n").filter(Boolean)) {
      const [, path = "", number = ""] = /^[0-9a-f]+:(.*?):(\d+):/.exec(line) ?? [];
      found.set(path, [...(found.get(path) ?? []), Number(number)]);
    }
    return found;
  }

  /** path (on `branch`) → { line count, first lines }, every page */
  async function search(query: Query, options: Partial<SearchMemoryOptions> = {}) {
    const found = new Map<string, Found>();
    let cursor: string | undefined;
    do {
      const page = await searchMemory(deps, {
        repository,
        query: query.q,
        regex: query.regex,
        caseSensitive: !query.ignoreCase,
        path: query.path,
        limit: 7, // small pages: the cursor is exercised on every query
        cursor,
        budgetMs: 60_000,
        ...options,
      });
      expect(page.partial).toBe(false);
      for (const result of page.results) {
        expect(result.pathCount).toBe(result.paths.length);
        for (const location of result.paths) {
          const key = options.allBranches ? `${location.branch}:${location.path}` : location.path;
          expect(found.has(key)).toBe(false);
          found.set(key, {
            count: result.lineCount,
            capped: result.lineCountCapped,
            first: result.matches.map((match) => match.line),
          });
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return found;
  }

  function expectEqual(ours: Map<string, Found>, git: Map<string, number[]>) {
    expect([...ours.keys()].sort()).toEqual([...git.keys()].sort());
    for (const [path, lines] of git) {
      // lines are counted up to 1,000 (lineCountCapped says there are more)
      expect({ path, count: ours.get(path)?.count }).toEqual({ path, count: Math.min(lines.length, 1000) });
      expect({ path, capped: ours.get(path)?.capped }).toEqual({ path, capped: lines.length > 1000 });
      expect({ path, first: ours.get(path)?.first }).toEqual({ path, first: lines.slice(0, 10) });
    }
  }

  async function expectAllQueries(options: { indexed: boolean }) {
    const head = syncs.at(-1) as { sha: string; syncId: string };
    for (const query of QUERIES) {
      expectEqual(await search(query), gitGrep(head.sha, query));
      for (const past of syncs.slice(0, -1)) {
        expectEqual(await search(query, { asOfSyncId: past.syncId }), gitGrep(past.sha, query));
      }
    }
    const indexed = await database.db.repositoryFile.count({ where: { searchIndexed: true } });
    expect(indexed > 0).toBe(options.indexed);
  }

  it("before the indexer ran (every blob in the backlog, read by scanning)", async () => {
    expect(await database.db.repositoryFile.count({ where: { searchIndexed: true } })).toBe(0);
    await expectAllQueries({ indexed: false });
  }, 240_000);

  it("after the indexer ran: the same answers through the trigram index, and every sync records when it became searchable", async () => {
    const before = await database.db.projectSync.count({
      where: { status: "succeeded", searchableAt: null },
    });
    expect(before).toBe(4);
    const indexer = createSearchIndexer({ db: database.db, log: silentLogger, batchSize: 50 });
    expect(await indexer.drain()).toBeGreaterThan(0);
    expect(
      await database.db.repositoryFile.count({ where: { searchIndexed: false, content: { not: null } } }),
    ).toBe(0);
    expect(await database.db.projectSync.count({ where: { status: "succeeded", searchableAt: null } })).toBe(
      0,
    );
    await expectAllQueries({ indexed: true });
  }, 240_000);

  it("searches the current memory of every branch: each hit names the branches holding it", async () => {
    const head = syncs.at(-1) as { sha: string };
    for (const query of QUERIES.slice(0, 6)) {
      const git = new Map<string, number[]>();
      for (const [path, lines] of gitGrep(head.sha, query)) git.set(`main:${path}`, lines);
      for (const [path, lines] of gitGrep(featureHead, query)) git.set(`feature/x:${path}`, lines);
      expectEqual(await search(query, { allBranches: true }), git);
    }
  }, 240_000);

  it("reports what it could not read, and refuses bad input without touching anything", async () => {
    const page = await searchMemory(deps, { repository, query: "syncBranch" });
    const tree = gitTree(sim, (syncs.at(-1) as { sha: string }).sha);
    expect(page.notSearched?.symlink).toBe(tree.filter((entry) => entry.mode === "120000").length);
    expect(page.notSearched?.submodule).toBe(tree.filter((entry) => entry.mode === "160000").length);
    expect(page.notSearched).not.toBeNull();
    expect((page.notSearched?.binary ?? 0) + (page.notSearched?.symlink ?? 0)).toBeGreaterThan(0);
    await expect(searchMemory(deps, { repository, query: "(", regex: true })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    await expect(searchMemory(deps, { repository, query: "" })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(searchMemory(deps, { repository, query: "x", cursor: "nope" })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    await expect(searchMemory(deps, { repository, query: "x", path: "src/(a|b)/*" })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    await expect(searchMemory(deps, { repository, query: "x", limit: 0 })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
  });

  it("answers partial with a cursor when the time budget runs out, and the cursor goes on", async () => {
    const page = await searchMemory(deps, { repository, query: "e", budgetMs: 0 });
    expect(page.partial).toBe(true);
    expect(page.nextCursor).not.toBeNull();
    const next = await searchMemory(deps, { repository, query: "e", cursor: page.nextCursor ?? undefined });
    expect(next.results.length).toBeGreaterThan(0);
  });
});
