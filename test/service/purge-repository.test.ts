import { describe, expect, it } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import { countRepositoryMemory } from "../../src/memory/count-repository-memory.js";
import { previewPurge, purgeRepository } from "../../src/service/purge-repository.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { useNockGitHub } from "../helpers/nock-github.js";
import { createRepositoryRow, memoryOf, syncCommit, treeOf } from "../helpers/sync-harness.js";
import { useSyncRepository } from "../helpers/use-sync-repository.js";

describe("purgeRepository", () => {
  useNockGitHub();
  let deps: ServiceDeps;
  let repo: FakeGitHubRepo;
  let repository: Repository;
  useSyncRepository((state) => {
    ({ deps, repo, repository } = state);
  });

  /** Two syncs of the repository under test, and one of another repository that must survive. */
  async function history() {
    const v1 = repo.commit({ "a.txt": "a\n", "b.txt": "b\n" });
    repo.expectTree(v1);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit: v1 });
    const v2 = repo.commit({ "a.txt": "a2\n", "c.txt": "c\n" });
    repo.expectTree(v2);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit: v2 });
    const otherRepo = new FakeGitHubRepo({ name: "other", githubId: 99 });
    const other = await createRepositoryRow(deps, otherRepo);
    const commit = otherRepo.commit({ "x.txt": "x\n" });
    otherRepo.expectTree(commit);
    otherRepo.expectBlobQuery();
    await syncCommit(deps, { repository: other, commit });
    return { other, otherCommit: commit };
  }

  it("deletes the memory, syncs, events and the row of an uninstalled repository, and nothing else", async () => {
    const { other, otherCommit } = await history();
    await deps.db.repository.update({ where: { id: repository.id }, data: { active: false } });

    const preview = await previewPurge(deps, "OCTO-ORG/Hello-World");
    const result = await purgeRepository(deps, "octo-org/hello-world");

    // v1 wrote a.txt, b.txt; v2 superseded a.txt and b.txt, wrote a.txt, c.txt; 4 blobs
    const expected = { syncs: 2, entries: 4, files: 4 };
    expect(preview).toEqual({ repository: "octo-org/hello-world", active: false, wouldDelete: expected });
    expect(result).toEqual({ repository: "octo-org/hello-world", deleted: expected });
    expect(await deps.db.repository.findUnique({ where: { id: repository.id } })).toBeNull();
    expect(await deps.db.projectSync.count({ where: { repositoryId: repository.id } })).toBe(0);
    expect(await deps.db.projectSyncEvent.count({ where: { sync: { repositoryId: repository.id } } })).toBe(
      0,
    );
    expect(await countRepositoryMemory(deps.db, repository.id)).toEqual({ entries: 0, files: 0 });
    expect(await memoryOf(deps, other)).toEqual(treeOf(otherCommit));
    expect(await deps.db.projectSyncEvent.count()).toBeGreaterThan(0);
  });

  it("refuses an installed repository unless forced", async () => {
    await history();

    await expect(purgeRepository(deps, "octo-org/hello-world")).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining("still installed"),
    });
    expect(await deps.db.projectSync.count({ where: { repositoryId: repository.id } })).toBe(2);

    await expect(purgeRepository(deps, "octo-org/hello-world", { force: true })).resolves.toMatchObject({
      deleted: { syncs: 2 },
    });
  });

  it("refuses while a sync of the repository runs, even forced", async () => {
    const running = await deps.db.projectSync.create({
      data: { repositoryId: repository.id, branch: "dev", trigger: "push", status: "running" },
    });

    await expect(purgeRepository(deps, "octo-org/hello-world", { force: true })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringContaining(running.id),
    });
    expect(await deps.db.repository.count({ where: { id: repository.id } })).toBe(1);
  });

  it("an unknown repository is REPOSITORY_NOT_FOUND", async () => {
    await expect(purgeRepository(deps, "octo-org/nope", { force: true })).rejects.toMatchObject({
      code: "REPOSITORY_NOT_FOUND",
    });
  });
});
