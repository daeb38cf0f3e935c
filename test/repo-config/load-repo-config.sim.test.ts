import { describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { createOctokit } from "../../src/github/create-octokit.js";
import { silentLogger } from "../../src/logger.js";
import { loadRepoConfig } from "../../src/repo-config/load-repo-config.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";

// The config as GitHub serves it: raw content with `charset=utf-8`, which Octokit returns as a string. Before the
// simulator sent the charset, every config read through it was "not valid YAML".
describe("loadRepoConfig against the simulator", () => {
  const sim = useSimulator({ files: 20, seed: 5 });

  it("reads and validates .github/project-sync.yml from the default branch", async () => {
    const head = await commitChanges({
      gitDir: sim.repo.gitDir,
      parent: sim.repo.headSha,
      changes: {
        ".github/project-sync.yml":
          'branches: ["main", "release/*"]\npaths:\n  include: ["src/**"]\nmaxFileSizeBytes: 2048\n',
      },
    });
    sim.sim.setBranch(OWNER, NAME, "main", head);
    const client = createOctokit({
      auth: "ghs_test",
      baseUrl: sim.address.apiUrl,
      retry: false,
      throttle: false,
      log: silentLogger,
    });

    const state = await loadRepoConfig({ client, owner: OWNER, repo: NAME });

    expect(state).toMatchObject({
      error: null,
      config: { branches: ["main", "release/*"], paths: { include: ["src/**"] }, maxFileSizeBytes: 2048 },
    });
  });
});
