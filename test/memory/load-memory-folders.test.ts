import { describe, expect, it } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import { loadMemoryFolders } from "../../src/memory/load-memory-folders.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { useNockGitHub } from "../helpers/nock-github.js";
import { syncCommit } from "../helpers/sync-harness.js";
import { useSyncRepository } from "../helpers/use-sync-repository.js";

describe("loadMemoryFolders", () => {
  useNockGitHub();
  let deps: ServiceDeps;
  let repo: FakeGitHubRepo;
  let repository: Repository;
  useSyncRepository((state) => {
    ({ deps, repo, repository } = state);
  });

  it("reads only the files directly inside the folders, with no wildcard surprises", async () => {
    const commit = repo.commit({
      "README.md": "r",
      "a/x.txt": "x",
      "a/b/y.txt": "y",
      "ab/z.txt": "z",
      "a_%/w.txt": "w",
      "a_%/deeper/v.txt": "v",
    });
    repo.expectTree(commit);
    repo.expectBlobQuery();
    await syncCommit(deps, { repository, commit });

    const load = async (folders: string[]) =>
      [
        ...(
          await loadMemoryFolders(deps.db, { repositoryId: repository.id, branch: "main", folders })
        ).keys(),
      ].sort();

    expect(await load([""])).toEqual(["README.md"]);
    expect(await load(["a/"])).toEqual(["a/x.txt"]);
    expect(await load(["a_%/", "a/b/"])).toEqual(["a/b/y.txt", "a_%/w.txt"]);
    expect(await load([])).toEqual([]);
  });
});
