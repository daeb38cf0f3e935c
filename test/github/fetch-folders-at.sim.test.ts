import { describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { fetchFoldersAt } from "../../src/github/fetch-folders-at.js";
import { silentLogger } from "../../src/logger.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

// GitHub's GraphQL schema lets a tree answer `entries: null`, and a fragment on a path that is no longer a tree
// answers `{}`: neither may stop a sync.
describe("fetchFoldersAt against GitHub's nullable answers (simulator)", () => {
  const fixture = useSimulator({ files: 30, seed: 9, sim: { treeEntriesNullAbove: 3 } });

  it("lists over REST a folder GraphQL names without its entries, and takes a file where a folder was as no folder", async () => {
    const commit = await commitChanges({
      gitDir: fixture.repo.gitDir,
      parent: fixture.repo.headSha,
      changes: {
        "wide/a.txt": "a\n",
        "wide/b.txt": "b\n",
        "wide/c.txt": "c\n",
        "wide/d.txt": "d\n",
        "thin/x.txt": "x\n",
        flat: "was it a folder?\n",
      },
    });
    const client = createOctokit({
      auth: "x",
      baseUrl: fixture.address.apiUrl,
      retry: false,
      throttle: false,
      log: silentLogger,
    });
    fixture.sim.resetStats();

    const found = await fetchFoldersAt({
      client,
      owner: OWNER,
      repo: NAME,
      commit,
      folders: ["wide/", "thin/", "flat/"],
    });

    expect(found.entries.get("wide/")?.map((entry) => entry.name)).toEqual([
      "a.txt",
      "b.txt",
      "c.txt",
      "d.txt",
    ]);
    expect(found.entries.get("wide/")?.[0]).toMatchObject({ mode: "100644", type: "blob" });
    expect(found.entries.get("thin/")?.map((entry) => entry.name)).toEqual(["x.txt"]);
    expect(found.entries.get("flat/")).toBeNull();
    expect(fixture.sim.stats().requests).toMatchObject({
      "POST /graphql": 1,
      "GET /repos/{owner}/{repo}/git/trees/{sha}": 1,
    });
  });
});
