import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { listBranches } from "../../src/service/list-branches.js";
import { FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { useNockGitHub } from "../helpers/nock-github.js";
import { createRepositoryRow, serviceDeps, syncCommit } from "../helpers/sync-harness.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("listBranches", () => {
  const github = useNockGitHub();
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it("lists GitHub's branches with each one's last sync and whether memory is at its head, in one request", async () => {
    const deps = serviceDeps(database);
    const repo = new FakeGitHubRepo();
    const repository = await createRepositoryRow(deps, repo);
    const synced = repo.commit({ "a.txt": "a\n" });
    repo.expectTree(synced);
    repo.expectBlobQuery();
    const { sync } = await syncCommit(deps, { repository, commit: synced });
    const moved = "b".repeat(40);
    github
      .api()
      .get(`/repos/${repo.owner}/${repo.name}/branches`)
      .query({ per_page: "100" })
      .reply(200, [
        { name: "main", commit: { sha: synced.sha }, protected: true },
        { name: "dev", commit: { sha: moved }, protected: false },
      ]);

    const branches = await listBranches(deps, repository);

    expect(branches).toEqual([
      expect.objectContaining({
        name: "main",
        headSha: synced.sha,
        isDefault: true,
        protected: true,
        inSync: true,
      }),
      { name: "dev", headSha: moved, isDefault: false, protected: false, lastSync: null, inSync: false },
    ]);
    expect(branches[0]?.lastSync).toMatchObject({ id: sync.id, status: "succeeded" });
  });
});
