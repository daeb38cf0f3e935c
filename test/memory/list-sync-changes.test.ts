import { describe, expect, it } from "@jest/globals";
import type { Repository } from "../../src/generated/prisma/client.js";
import { listSyncChanges } from "../../src/memory/list-sync-changes.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import type { FakeCommit, FakeGitHubRepo } from "../helpers/fake-github-repo.js";
import { useNockGitHub } from "../helpers/nock-github.js";
import { syncCommit } from "../helpers/sync-harness.js";
import { useSyncRepository } from "../helpers/use-sync-repository.js";

describe("listSyncChanges", () => {
  useNockGitHub();
  let deps: ServiceDeps;
  let repo: FakeGitHubRepo;
  let repository: Repository;
  useSyncRepository((state) => {
    ({ deps, repo, repository } = state);
  });

  async function push(commit: FakeCommit, options: { fetches?: boolean } = {}) {
    repo.expectTree(commit);
    if (options.fetches !== false) repo.expectBlobQuery();
    const { sync } = await syncCommit(deps, { repository, commit });
    expect(sync.status).toBe("succeeded");
    return sync;
  }

  it("a first sync adds every path, sorted by path", async () => {
    const sync = await push(repo.commit({ "b.txt": "b\n", "a.txt": "a\n", "src/c.ts": "c\n" }));

    const listed = await listSyncChanges(deps.db, { syncId: sync.id });

    expect(listed).toEqual({
      changes: [
        { change: "added", path: "a.txt" },
        { change: "added", path: "b.txt" },
        { change: "added", path: "src/c.ts" },
      ],
      totals: { added: 3, modified: 0, removed: 0, renamed: 0 },
    });
  });

  it("added, modified (content and mode), removed and renamed paths agree with the sync's counts", async () => {
    await push(
      repo.commit({
        "keep.txt": "same\n",
        "edit.txt": "old\n",
        "run.sh": "echo\n",
        "gone.txt": "bye\n",
        "old/name.txt": "moving\n",
        "dup-1.txt": "twin\n",
        "dup-2.txt": "twin\n",
      }),
    );
    const second = await push(
      repo.commit({
        "keep.txt": "same\n",
        "edit.txt": "new\n",
        "run.sh": { content: "echo\n", mode: "100755" },
        "new/name.txt": "moving\n",
        "dup-3.txt": "twin\n",
        "fresh.txt": "fresh\n",
      }),
    );

    const listed = await listSyncChanges(deps.db, { syncId: second.id });

    expect(listed).toEqual({
      changes: [
        { change: "removed", path: "dup-2.txt" },
        { change: "renamed", path: "dup-3.txt", previousPath: "dup-1.txt" },
        { change: "modified", path: "edit.txt" },
        { change: "added", path: "fresh.txt" },
        { change: "removed", path: "gone.txt" },
        { change: "renamed", path: "new/name.txt", previousPath: "old/name.txt" },
        { change: "modified", path: "run.sh" },
      ],
      totals: { added: 1, modified: 2, removed: 2, renamed: 2 },
    });
    expect(second.counts).toMatchObject(listed.totals);
  });

  it("lists at most `limit` changes but counts all of them; an unchanged sync lists nothing", async () => {
    const files = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`f${String(i).padStart(2, "0")}`, `${i}`]),
    );
    const first = await push(repo.commit(files));
    const again = await push(repo.commit(files), { fetches: false });

    const page = await listSyncChanges(deps.db, { syncId: first.id, limit: 5 });
    const none = await listSyncChanges(deps.db, { syncId: again.id });

    expect(page.changes.map((change) => change.path)).toEqual(["f00", "f01", "f02", "f03", "f04"]);
    expect(page.totals).toEqual({ added: 30, modified: 0, removed: 0, renamed: 0 });
    expect(none).toEqual({ changes: [], totals: { added: 0, modified: 0, removed: 0, renamed: 0 } });
  });
});
