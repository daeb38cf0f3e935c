import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { commitChanges } from "../../sim/generate-repository.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { silentLogger } from "../../src/logger.js";
import { ensureRepository } from "../../src/service/find-repository.js";
import type { FakeCommit } from "../helpers/fake-github-repo.js";
import { memoryOf, serviceDeps, simulatorDeps, syncCommit } from "../helpers/sync-harness.js";
import { createTestDatabase } from "../helpers/test-database.js";
import { gitTree, NAME, OWNER, type SimulatorFixture, useSimulator } from "../sim/use-simulator.js";

const TREES = "GET /repos/{owner}/{repo}/git/trees/{sha}";
const GRAPHQL = "POST /graphql";
const TARBALL = "GET /repos/{owner}/{repo}/tarball/{ref}";
const CODELOAD = "GET /_codeload/{owner}/{repo}/legacy.tar.gz/{ref}";
const COMPARE = "GET /repos/{owner}/{repo}/compare/{base}...{head}";

/**
 * The standard scenarios against the git-backed simulator, with the GitHub requests of each pinned: a change that
 * adds requests fails here. After every sync, memory must equal `git ls-tree -r` of the synced commit.
 */
async function scenario(fixture: SimulatorFixture, run: (context: Context) => Promise<void>): Promise<void> {
  const database = await createTestDatabase();
  const deps = simulatorDeps(database, fixture.address.apiUrl);
  try {
    const repository = await ensureRepository(deps, `${OWNER}/${NAME}`);
    const context: Context = {
      fixture,
      push: async (sha, branch = "main") => {
        fixture.sim.setBranch(OWNER, NAME, branch, sha);
        fixture.sim.resetStats();
        const { sync } = await syncCommit(deps, { repository, commit: { sha } as FakeCommit, branch });
        expect(sync.error).toBeNull();
        expect(await memoryOf(deps, repository, branch)).toEqual(treeAt(fixture, sha));
        return { requests: fixture.sim.stats().requests, sync };
      },
      newContent: async (sha) => {
        const shas = [
          ...new Set(
            gitTree(fixture, sha)
              .filter((e) => e.type === "blob")
              .map((e) => e.sha),
          ),
        ];
        const stored = await database.db.repositoryFile.count({
          where: { repositoryId: repository.id, sha: { in: shas } },
        });
        return shas.length - stored;
      },
    };
    await run(context);
  } finally {
    await database.drop();
  }
}

type Context = {
  fixture: SimulatorFixture;
  push: (
    sha: string,
    branch?: string,
  ) => Promise<{ requests: Record<string, number>; sync: { counts: Record<string, number> } }>;
  /** blob SHAs of the commit that memory does not hold yet (k′) */
  newContent: (sha: string) => Promise<number>;
};

function treeAt(fixture: SimulatorFixture, sha: string): Record<string, string> {
  return Object.fromEntries(
    gitTree(fixture, sha)
      .filter((entry) => entry.type !== "tree")
      .map((entry) => [entry.path, `${entry.mode} ${entry.sha}`]),
  );
}

function only(requests: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(requests).filter(([, count]) => count > 0));
}

describe("standard scenarios on the simulator: requests pinned, memory equal to git", () => {
  const fixture = useSimulator({ files: 2000, seed: 3 });

  it("first sync, pushes of 1, 10 and 300 files, a force push and a new branch", async () => {
    await scenario(fixture, async ({ push, newContent }) => {
      const gitDir = fixture.repo.gitDir;
      const first = await push(fixture.repo.headSha);
      expect(only(first.requests)).toEqual({ [TREES]: 1, [TARBALL]: 1, [CODELOAD]: 1 });

      let head = fixture.repo.headSha;
      for (const k of [1, 10, 300]) {
        head = await commitChanges({
          gitDir,
          parent: head,
          changes: { modify: k - Math.floor(k / 5), add: Math.floor(k / 10), rename: Math.floor(k / 10) },
          seed: k,
        });
        const missing = await newContent(head);
        const pushed = await push(head);
        expect(only(pushed.requests)).toEqual({
          [TREES]: 1,
          ...(missing > 0 ? { [GRAPHQL]: Math.ceil(missing / 100) } : {}),
        });
      }

      const forced = await commitChanges({
        gitDir,
        parent: fixture.repo.headSha,
        changes: { modify: 20 },
        seed: 99,
        orphan: true,
      });
      const forcedMissing = await newContent(forced);
      expect(only((await push(forced)).requests)).toEqual({
        [TREES]: 1,
        [GRAPHQL]: Math.ceil(forcedMissing / 100),
      });

      const feature = await commitChanges({
        gitDir,
        parent: forced,
        changes: { modify: 5, add: 2 },
        seed: 5,
      });
      const featureMissing = await newContent(feature);
      const branch = await push(feature, "feature/x");
      expect(only(branch.requests)).toEqual({ [TREES]: 1, [GRAPHQL]: Math.ceil(featureMissing / 100) });
      expect(branch.sync.counts).toMatchObject({ modified: 5, added: 2 });

      expect(only((await push(feature, "feature/x")).requests)).toEqual({});
    });
    // eight syncs of 2,000 files: over the default 30 s on a shared 2-core machine
  }, 120_000);
});

describe("a tree too big for one listing", () => {
  const fixture = useSimulator({ files: 2000, seed: 4, sim: { treeTruncateLimit: 1500 } });

  it("is completed from what the truncated listing proved complete; later pushes cost compare + folders, or a GraphQL walk of changed folders after a force push", async () => {
    await scenario(fixture, async ({ push }) => {
      const topLevel = gitTree(fixture, fixture.repo.headSha, false).filter((entry) => entry.type === "tree");
      const gitDir = fixture.repo.gitDir;

      const first = await push(fixture.repo.headSha);
      const next = await commitChanges({
        gitDir,
        parent: fixture.repo.headSha,
        changes: { modify: 5, add: 2, remove: 1, rename: 2 },
        seed: 8,
      });
      const second = await push(next);
      const forced = await commitChanges({
        gitDir,
        parent: next,
        changes: { modify: 1 },
        seed: 9,
        orphan: true,
      });
      const third = await push(forced);

      // truncated listing + root + the folders the listing cut off: fewer than one request per top-level folder
      expect(first.requests[TREES]).toBeLessThan(2 + topLevel.length);
      // compare, then one GraphQL query for the touched folders and one for the new content
      expect(only(second.requests)).toEqual({ [COMPARE]: 1, [GRAPHQL]: 2 });
      // no common ancestor: compare says so (404), then one GraphQL query walks from the root to the one changed folder
      // (memory gives every folder's SHA at the old head), and one fetches the new content
      expect(only(third.requests)).toEqual({ [COMPARE]: 1, [GRAPHQL]: 2 });
    });
  });

  it("takes a folder replaced by a file of the same name, and back, through the compare path", async () => {
    await scenario(fixture, async ({ push }) => {
      const gitDir = fixture.repo.gitDir;
      const folder = gitTree(fixture, fixture.repo.headSha, false).find((entry) => entry.type === "tree");
      if (!folder) throw new Error("the generated repository has no folder");
      await push(fixture.repo.headSha);

      // a push with few changes into a truncated tree goes through compare; the folder is now a file
      const flattened = await commitChanges({
        gitDir,
        parent: fixture.repo.headSha,
        changes: { [folder.path]: "now a file\n" },
        seed: 31,
      });
      const asFile = await push(flattened);
      const restored = await commitChanges({
        gitDir,
        parent: flattened,
        changes: { [folder.path]: null, [`${folder.path}/back.txt`]: "a folder again\n" },
        seed: 32,
      });
      const asFolder = await push(restored);

      // (push() checked memory against git after each)
      expect(asFile.sync.counts.added).toBeGreaterThanOrEqual(1);
      expect(asFolder.sync.counts.removed).toBeGreaterThanOrEqual(1);
    });
  });

  it("walks the changed folders when GitHub fails the comparison (5xx), without retrying it", async () => {
    const database = await createTestDatabase();
    // retries on, as in production: the compare alone must not be retried
    const octokit = createOctokit({
      auth: "ghs_test",
      baseUrl: fixture.address.apiUrl,
      retry: true,
      throttle: false,
      log: silentLogger,
    });
    const deps = serviceDeps(database, { githubFor: async () => octokit });
    try {
      const repository = await ensureRepository(deps, `${OWNER}/${NAME}`);
      fixture.sim.setBranch(OWNER, NAME, "main", fixture.repo.headSha);
      await syncCommit(deps, { repository, commit: { sha: fixture.repo.headSha } as FakeCommit });
      const next = await commitChanges({
        gitDir: fixture.repo.gitDir,
        parent: fixture.repo.headSha,
        changes: { modify: 3 },
        seed: 21,
      });
      fixture.sim.setBranch(OWNER, NAME, "main", next);
      fixture.sim.resetStats();
      fixture.sim.injectFault({ route: COMPARE, times: 5, kind: "502" });

      const { sync } = await syncCommit(deps, { repository, commit: { sha: next } as FakeCommit });

      expect(sync.status).toBe("succeeded");
      expect(fixture.sim.stats().requests[COMPARE]).toBe(1);
      expect(fixture.sim.stats().requests[TREES]).toBeUndefined();
      expect(fixture.sim.stats().requests[GRAPHQL]).toBeGreaterThan(0);
      expect(await memoryOf(deps, repository, "main")).toEqual(treeAt(fixture, next));
    } finally {
      fixture.sim.clearFaults();
      await database.drop();
    }
  });
});

describe("pushes the compare API cannot describe, into a tree too big for one listing", () => {
  // folders of more than 40 entries answer `entries: null` over GraphQL, as GitHub's schema allows
  const fixture = useSimulator({
    files: 2000,
    seed: 6,
    sim: { treeTruncateLimit: 1500, treeEntriesNullAbove: 40 },
  });

  it("reads only the folders whose SHA changed, with every kind of change, and memory equals git at each head", async () => {
    await scenario(fixture, async ({ push }) => {
      const gitDir = fixture.repo.gitDir;
      const folders = gitTree(fixture, fixture.repo.headSha).filter((entry) => entry.type === "tree");
      const deep = folders.find((entry) => entry.path.split("/").length >= 3);
      const top = gitTree(fixture, fixture.repo.headSha, false).filter((entry) => entry.type === "tree");
      const file = gitTree(fixture, fixture.repo.headSha).find(
        (entry) => entry.type === "blob" && entry.mode === "100644" && entry.path.includes("/"),
      );
      if (!deep || !file || top.length < 2)
        throw new Error("the generated repository lacks the shapes this test needs");
      await push(fixture.repo.headSha);

      // 400 random changes (compare stops at 300 files), then every structural change in a second commit
      const many = await commitChanges({
        gitDir,
        parent: fixture.repo.headSha,
        changes: { modify: 250, add: 80, remove: 40, rename: 30 },
        seed: 41,
      });
      const structural = await commitChanges({
        gitDir,
        parent: many,
        changes: {
          [deep.path]: "this folder is a file now\n",
          [`${file.path}/inside.txt`]: "this file is a folder now\n",
          [(top[1] as { path: string }).path]: null,
          "new/deeply/nested/folder/a.txt": "new\n",
          "new/link": { content: "deeply/nested/folder/a.txt", mode: "120000" },
          "new/tool.sh": { content: "#!/bin/sh\n", mode: "100755" },
          "vendor/lib": { submodule: "d".repeat(40) },
        },
        seed: 42,
      });
      const pushed = await push(structural);
      // compare (300 files: not the whole change), then the changed folders level by level and the new content:
      // no tree listing but for folders GraphQL would not list
      expect(pushed.requests[COMPARE]).toBe(1);
      const listedOverRest = pushed.requests[TREES] ?? 0;
      expect(listedOverRest).toBeGreaterThan(0);
      expect(listedOverRest).toBeLessThan(folders.length / 4);

      // a force push to an unrelated history (compare: no common ancestor) takes the same path
      const forced = await commitChanges({
        gitDir,
        parent: structural,
        changes: { modify: 3 },
        seed: 43,
        orphan: true,
      });
      const forcedPush = await push(forced);
      expect(forcedPush.requests[COMPARE]).toBe(1);
      // back to the start: the mode, symlink and submodule entries go again
      await push(fixture.repo.headSha);
    });
  }, 300_000);

  it("after any sequence of large pushes, memory equals the repository at the newest head", async () => {
    await scenario(fixture, async ({ push }) => {
      const gitDir = fixture.repo.gitDir;
      let head = fixture.repo.headSha;
      await push(head);
      const change = fc.record({
        modify: fc.integer({ min: 0, max: 300 }),
        add: fc.integer({ min: 0, max: 120 }),
        remove: fc.integer({ min: 0, max: 60 }),
        rename: fc.integer({ min: 0, max: 60 }),
        seed: fc.integer({ min: 1, max: 1_000_000 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 3 }), async (changes) => {
          for (const { seed, ...counts } of changes) {
            head = await commitChanges({ gitDir, parent: head, changes: counts, seed });
          }
          await push(head); // push() checks memory against git's tree
        }),
        { numRuns: 4, seed: 14 },
      );
    });
  }, 300_000);
});

describe("a small real history: this project's own first commits", () => {
  const fixture = useSimulator({ files: 10, seed: 1 });

  it("syncs commit after commit, memory equal to git's tree at each one", async () => {
    const source = execFileSync("git", ["rev-parse", "--show-toplevel"]).toString().trim();
    const gitDir = path.join(fixture.dir, "project.git");
    execFileSync("git", ["clone", "--quiet", "--bare", "--no-local", source, gitDir]);
    const commits = execFileSync("git", [
      "--git-dir",
      gitDir,
      "rev-list",
      "--reverse",
      "--first-parent",
      "HEAD",
    ])
      .toString()
      .trim()
      .split("\n")
      .slice(0, 12);
    await fixture.sim.addRepository({ owner: OWNER, name: "project", gitDir });
    const database = await createTestDatabase();
    const deps = simulatorDeps(database, fixture.address.apiUrl);
    try {
      const repository = await ensureRepository(deps, `${OWNER}/project`);
      for (const sha of commits) {
        fixture.sim.setBranch(OWNER, "project", "main", sha);
        const { sync } = await syncCommit(deps, { repository, commit: { sha } as FakeCommit });

        expect(sync.error).toBeNull();
        const tree = execFileSync("git", ["--git-dir", gitDir, "ls-tree", "-r", "-z", sha]).toString();
        const expected = Object.fromEntries(
          tree
            .split("\0")
            .filter(Boolean)
            .map((line) => {
              const [meta = "", file = ""] = line.split("\t");
              const [mode, , blob] = meta.split(" ");
              return [file, `${mode} ${blob}`];
            }),
        );
        expect(await memoryOf(deps, repository)).toEqual(expected);
      }
    } finally {
      await database.drop();
    }
  });
});
