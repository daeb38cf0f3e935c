import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { applyPatch } from "diff";
import { commitChanges, type FileChange } from "../../sim/generate-repository.js";
import type { Repository } from "../../src/generated/prisma/client.js";
import { compareSyncs, compareWithPrevious, type SyncComparison } from "../../src/service/compare-syncs.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { FakeCommit } from "../helpers/fake-github-repo.js";
import { parseNameStatus } from "../helpers/git-scratch.js";
import { simulatorDeps, syncCommit } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { gitTree, NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

// Compare on a real history: commits made with git (renames with and without edits, mode and type changes, deletes,
// a second branch), synced through the simulator into PostgreSQL; every compare of two syncs must equal
// `git diff --name-status -M` of their commits, similarity percent included, and every patch must turn the old
// stored text into the new one.

type Synced = { label: string; sha: string; syncId: string };

const STATUS_LETTER = { added: "A", removed: "D", modified: "M", mode: "M", type: "T" } as const;

describe("compareSyncs on the simulator equals git diff -M", () => {
  const fixture = useSimulator({ files: 400, seed: 12 });
  let database: TestDatabase;
  let deps: ServiceDeps;
  let repository: Repository;
  const synced: Synced[] = [];

  const push = async (label: string, sha: string, branch = "main") => {
    fixture.sim.setBranch(OWNER, NAME, branch, sha);
    const { sync } = await syncCommit(deps, { repository, commit: { sha } as FakeCommit, branch });
    expect(sync.error).toBeNull();
    synced.push({ label, sha, syncId: sync.id });
    return sync;
  };
  const text = (sha: string) => (fixture.blobs([sha]).get(sha) as Buffer).toString("utf8");
  /** regular text files of a commit, biggest first, skipping those a test already used */
  const textFiles = (commit: string) =>
    gitTree(fixture, commit)
      .filter((entry) => entry.type === "blob" && entry.mode === "100644" && (entry.size ?? 0) > 400)
      .filter((entry) => (entry.size ?? 0) < 60_000 && !text(entry.sha).includes("\u0000"))
      .sort((a, b) => (b.size ?? 0) - (a.size ?? 0));

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = simulatorDeps(database, fixture.address.apiUrl);
    repository = await ensureRepository(deps, `${OWNER}/${NAME}`);
    const gitDir = fixture.repo.gitDir;
    const c0 = fixture.repo.headSha;
    await push("c0", c0);

    const c1 = await commitChanges({
      gitDir,
      parent: c0,
      changes: { modify: 12, add: 6, remove: 5, rename: 6 },
      seed: 1,
    });
    await push("c1", c1);

    // renames with edits (same name in another folder; a new name), a mode change, a type change, deletes
    const [a, b, c, d, e, f] = textFiles(c1);
    if (!a || !b || !c || !d || !e || !f) throw new Error("the generated repository has too few text files");
    const edited = (sha: string, line: string) => text(sha).replace(/\n/, `\n${line}\n`);
    const c2Changes: Record<string, FileChange> = {
      [a.path]: null,
      [`moved-here/${a.path.split("/").at(-1)}`]: edited(a.sha, "// one line more"),
      [b.path]: null,
      [`elsewhere/renamed-${b.path.split("/").at(-1)}`]: edited(b.sha, "// edited while renamed"),
      [c.path]: { content: text(c.sha), mode: "100755" },
      [d.path]: { content: "points/somewhere", mode: "120000" },
      [e.path]: null,
      "vendor/lib": { submodule: c0 },
    };
    const c2 = await commitChanges({ gitDir, parent: c1, changes: c2Changes, seed: 2 });
    await push("c2", c2);

    const c3 = await commitChanges({
      gitDir,
      parent: c2,
      changes: { modify: 20, add: 4, remove: 3, rename: 8 },
      seed: 3,
    });
    await push("c3", c3);
    const c4 = await commitChanges({
      gitDir,
      parent: c3,
      changes: { "vendor/lib": text(f.sha), [f.path]: null, [`${f.path}.bak`]: edited(f.sha, "x") },
      seed: 4,
    });
    await push("c4", c4);

    const f1 = await commitChanges({
      gitDir,
      parent: c1,
      changes: { modify: 6, rename: 4, add: 2 },
      seed: 5,
    });
    await push("f1", f1, "feature/cmp");
    const f2 = await commitChanges({
      gitDir,
      parent: f1,
      changes: { modify: 3, remove: 2, rename: 2 },
      seed: 6,
    });
    await push("f2", f2, "feature/cmp");
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
  });

  async function allPages(options: { from: Synced; to: Synced; pathPrefix?: string; limit?: number }) {
    const pages: SyncComparison[] = [];
    let cursor: string | undefined;
    do {
      const page = await compareSyncs(deps, {
        fromSyncId: options.from.syncId,
        toSyncId: options.to.syncId,
        pathPrefix: options.pathPrefix,
        limit: options.limit ?? 1000,
        cursor,
      });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return pages;
  }

  function asNameStatus(comparison: SyncComparison[]): string[] {
    return comparison
      .flatMap((page) => page.changes)
      .map((change) =>
        change.status === "renamed"
          ? `R${String(change.similarity).padStart(3, "0")}\t${change.previousPath}\t${change.path}`
          : `${STATUS_LETTER[change.status]}\t${change.path}`,
      )
      .sort();
  }

  function gitNameStatus(from: string, to: string, ...pathspec: string[]): string[] {
    const output = fixture.git("diff", "--name-status", "-M", "-z", from, to, ...pathspec);
    return parseNameStatus(output)
      .map((line) =>
        line.status === "R"
          ? `R${String(line.score).padStart(3, "0")}\t${line.paths.join("\t")}`
          : `${line.status}\t${line.paths[0]}`,
      )
      .sort();
  }

  it("every pair of syncs, both orders, same and different branches", async () => {
    let renamesSeen = 0;
    let similarRenames = 0;
    for (const from of synced) {
      for (const to of synced) {
        const expected = gitNameStatus(from.sha, to.sha);
        const pages = await allPages({ from, to });

        expect({ pair: `${from.label}..${to.label}`, changes: asNameStatus(pages) }).toEqual({
          pair: `${from.label}..${to.label}`,
          changes: expected,
        });
        renamesSeen += expected.filter((line) => line.startsWith("R")).length;
        similarRenames += expected.filter((line) => line.startsWith("R") && !line.startsWith("R100")).length;
      }
    }
    expect(renamesSeen).toBeGreaterThan(50);
    expect(similarRenames).toBeGreaterThan(4);
  });

  it("names mode-only and type changes, and totals every status", async () => {
    const [, c1, c2] = synced;
    const comparison = await compareSyncs(deps, { fromSyncId: c1?.syncId ?? "", toSyncId: c2?.syncId ?? "" });

    const statuses = comparison.changes.map((change) => change.status);
    expect(statuses).toEqual(expect.arrayContaining(["mode", "type", "renamed", "removed", "added"]));
    const counted = Object.fromEntries(Object.keys(comparison.totals).map((status) => [status, 0]));
    for (const change of comparison.changes) counted[change.status] = (counted[change.status] ?? 0) + 1;
    expect(comparison.totals).toEqual(counted);
    expect(comparison.renames).toEqual({ inexact: true, reason: null });
    expect(comparison.from).toMatchObject({ id: c1?.syncId, branch: "main", headSha: c1?.sha });
  });

  it("pages by path: small pages put together equal one big page, totals on each", async () => {
    const from = synced[0] as Synced;
    const to = synced[3] as Synced;
    const whole = await allPages({ from, to });
    const paged = await allPages({ from, to, limit: 7 });

    expect(paged.length).toBeGreaterThan(3);
    expect(paged.flatMap((page) => page.changes)).toEqual(whole.flatMap((page) => page.changes));
    for (const page of paged) expect(page.totals).toEqual(whole[0]?.totals);
  });

  it("a path prefix compares what git diff -M -- <prefix> compares", async () => {
    const from = synced[0] as Synced;
    const to = synced[4] as Synced;
    const folders = new Set(
      gitNameStatus(from.sha, to.sha).flatMap((line) =>
        line
          .split("\t")
          .slice(1)
          .map((p) => p.split("/")[0]),
      ),
    );
    let compared = 0;
    for (const folder of [...folders].slice(0, 5)) {
      expect(asNameStatus(await allPages({ from, to, pathPrefix: `${folder}/` }))).toEqual(
        gitNameStatus(from.sha, to.sha, "--", `${folder}/`),
      );
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it("patches turn the old stored text into the new one", async () => {
    const from = synced[1] as Synced;
    const to = synced[3] as Synced;
    const pages: SyncComparison[] = [];
    let cursor: string | undefined;
    do {
      const page = await compareSyncs(deps, {
        fromSyncId: from.syncId,
        toSyncId: to.syncId,
        patches: true,
        limit: 25,
        cursor,
      });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);

    let applied = 0;
    for (const change of pages.flatMap((page) => page.changes)) {
      const patch = change.patch;
      if (!patch) throw new Error(`no patch for ${change.path}`);
      if (patch.omitted !== null) {
        expect(patch.text).toBeNull();
        const sides = [change.old, change.new].filter((side) => side !== null);
        expect(sides.some((side) => side.omitted !== null || side.mode === "160000")).toBe(true);
        continue;
      }
      if (patch.truncated) continue;
      const before = change.old ? text(change.old.blobSha) : "";
      const after = change.new ? text(change.new.blobSha) : "";
      expect(applyPatch(before, patch.text ?? "")).toBe(after);
      applied += 1;
    }
    expect(applied).toBeGreaterThan(30);
  });

  it("a sync's changes: against its previous sync, and everything added for a branch's first", async () => {
    const [c0, c1, c2] = synced;

    const first = await compareWithPrevious(deps, { syncId: c0?.syncId ?? "", limit: 1000 });
    const second = await compareWithPrevious(deps, { syncId: c2?.syncId ?? "", limit: 1000 });

    const files = gitTree(fixture, c0?.sha ?? "").filter((entry) => entry.type !== "tree");
    expect(first.from).toBeNull();
    expect(first.totals.added).toBe(files.length);
    expect(first.changes.every((change) => change.status === "added")).toBe(true);
    expect(second.from?.id).toBe(c1?.syncId);
    expect(second.changes).toEqual(
      (await compareSyncs(deps, { fromSyncId: c1?.syncId ?? "", toSyncId: c2?.syncId ?? "", limit: 1000 }))
        .changes,
    );
  });

  it("refuses unknown, malformed and unsuccessful syncs, and syncs of two repositories", async () => {
    const known = (synced[0] as Synced).syncId;
    const other = await database.db.repository.create({
      data: { key: "octo/other", owner: "octo", name: "other", defaultBranch: "main" },
    });
    const foreign = await database.db.projectSync.create({
      data: { repositoryId: other.id, branch: "main", trigger: "manual", status: "succeeded", generation: 1 },
    });
    const failed = await database.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "main", trigger: "manual", status: "failed" },
    });
    const unknown = "0b6c2f4e-7f1d-4c3a-9a53-2d8d2b0f1e77";
    const syncsBefore = await database.db.projectSync.count();

    const attempt = (fromSyncId: string, toSyncId: string) =>
      compareSyncs(deps, { fromSyncId, toSyncId }).catch(
        (error: { code?: string; message?: string }) => error,
      );

    expect(await attempt(known, unknown)).toMatchObject({ code: "SYNC_NOT_FOUND" });
    expect(await attempt("not-a-uuid", known)).toMatchObject({ code: "BAD_INPUT" });
    expect(await attempt(known, failed.id)).toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining("failed"),
    });
    expect(await attempt(known, foreign.id)).toMatchObject({
      code: "BAD_INPUT",
      message: expect.stringContaining("one repository"),
    });
    expect(await attempt(known, known).then((result) => result)).toMatchObject({
      changes: [],
      nextCursor: null,
    });
    await expect(
      compareSyncs(deps, { fromSyncId: known, toSyncId: known, limit: 1001 }),
    ).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    expect(await database.db.projectSync.count()).toBe(syncsBefore);
  });
});
