import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { executeSync } from "../../src/service/execute-sync.js";
import { readMemoryPage } from "../../src/service/read-memory.js";
import { requestRestore } from "../../src/service/request-restore.js";
import { type FakeCommit, type FakeFile, FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { useNockGitHub } from "../helpers/nock-github.js";
import { createRepositoryRow, memoryOf, serviceDeps, syncCommit, treeOf } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

/** A small deterministic PRNG (mulberry32), so a failing sequence can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("after any sequence of pushes, memory equals the repository at the synced head", () => {
  useNockGitHub();
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it.each([1, 2, 3])("random sequence with seed %i", async (seed) => {
    const next = random(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
    const deps = serviceDeps(database);
    const repo = new FakeGitHubRepo({ name: `sequence-${seed}`, githubId: 1000 + seed });
    const repository = await createRepositoryRow(deps, repo);
    const stored = new Set<string>();
    const branches = new Map<string, Record<string, FakeFile>>([["main", {}]]);
    const history: { syncId: string; branch: string; commit: FakeCommit }[] = [];
    let counter = 0;

    const mutate = (files: Record<string, FakeFile>): Record<string, FakeFile> => {
      const result = { ...files };
      const paths = Object.keys(result);
      for (let change = 0; change < 1 + Math.floor(next() * 6); change += 1) {
        counter += 1;
        const action =
          paths.length === 0 ? "add" : pick(["add", "add", "modify", "delete", "rename", "mode", "revert"]);
        const path = paths.length > 0 ? pick(paths) : "";
        if (action === "add")
          result[`${pick(["", "src/", "src/lib/", "docs/"])}f${counter}.txt`] = `v${counter}\n`;
        else if (action === "modify") result[path] = `changed ${counter}\n`;
        else if (action === "delete") delete result[path];
        else if (action === "rename") {
          result[`moved/${counter}-${path.split("/").pop()}`] = result[path] as FakeFile;
          delete result[path];
        } else if (action === "mode") result[path] = { content: contentOf(result[path]), mode: "100755" };
        else result[path] = "v1\n";
      }
      return result;
    };

    for (let step = 0; step < 25; step += 1) {
      const roll = next();
      if (roll < 0.12 && history.length > 0) {
        const target = pick(history);
        const queued = await requestRestore(deps, { syncId: target.syncId });
        const restored = await executeSync(deps, { syncId: queued.id });
        expect(restored.status).toBe("succeeded");
        expect(await memoryOf(deps, repository, target.branch)).toEqual(treeOf(target.commit));
        history.push({ syncId: restored.id, branch: target.branch, commit: target.commit });
        continue;
      }
      const branch = roll < 0.3 ? pick(["main", "feature/a", "feature/b"]) : "main";
      const files = mutate(branches.get(branch) ?? branches.get("main") ?? {});
      const commit = repo.commit(files);
      branches.set(branch, files);
      repo.expectTree(commit);
      const fresh = new Set(
        commit.entries.filter((entry) => !stored.has(entry.sha)).map((entry) => entry.sha),
      );
      for (let query = 0; query < Math.ceil(fresh.size / 100); query += 1) repo.expectBlobQuery();
      for (const sha of fresh) stored.add(sha);

      const { sync } = await syncCommit(deps, { repository, commit, branch });

      expect(sync.status).toBe("succeeded");
      expect(sync.stats.filesFetched).toBe(fresh.size);
      expect(await memoryOf(deps, repository, branch)).toEqual(treeOf(commit));
      history.push({ syncId: sync.id, branch, commit });
    }

    for (const past of history) {
      const page = await readMemoryPage(deps, { repository, asOfSyncId: past.syncId, limit: 5000 });
      const asOf = Object.fromEntries(
        page.entries.map((entry) => [entry.path, `${entry.mode} ${entry.blobSha}`]),
      );
      expect(asOf).toEqual(treeOf(past.commit));
    }
  });
});

function contentOf(file: FakeFile | undefined): string | Buffer {
  if (file === undefined) return "";
  if (typeof file === "string" || Buffer.isBuffer(file)) return file;
  return "content" in file ? file.content : "";
}
