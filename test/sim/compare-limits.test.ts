import { describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate-repository.js";
import { api, NAME, OWNER, useSimulator } from "./use-simulator.js";

const repoPath = `/repos/${OWNER}/${NAME}`;
const COMPARE_ROUTE = "GET /repos/{owner}/{repo}/compare/{base}...{head}";

describe("GitHub simulator comparisons GitHub answers without files, or not at all", () => {
  const fixture = useSimulator({ files: 40, sim: { compareOmitFilesAbove: 3 } });

  it("omits the files key altogether past compareOmitFilesAbove, and lists them up to it", async () => {
    const { gitDir, headSha } = fixture.repo;
    const large = await commitChanges({ gitDir, parent: headSha, changes: { modify: 3, add: 1 }, seed: 4 });
    const small = await commitChanges({ gitDir, parent: headSha, changes: { modify: 2, add: 1 }, seed: 5 });

    const omitted = await api(fixture, `${repoPath}/compare/${headSha}...${large}`);
    const listed = await api(fixture, `${repoPath}/compare/${headSha}...${small}`);

    expect(omitted.status).toBe(200);
    expect(omitted.json).toMatchObject({ status: "ahead", ahead_by: 1, commits: [{ sha: large }] });
    expect(omitted.json).not.toHaveProperty("files");
    expect((listed.json as { files: unknown[] }).files).toHaveLength(3);
  });

  it("fails the compare route with a 500 when a fault is armed for it, then answers again", async () => {
    const { headSha } = fixture.repo;
    fixture.sim.injectFault({ route: COMPARE_ROUTE, times: 1, kind: "500" });

    const failed = await api(fixture, `${repoPath}/compare/${headSha}...main`);
    const recovered = await api(fixture, `${repoPath}/compare/${headSha}...main`);

    expect(failed).toMatchObject({ status: 500, json: { message: "Server Error" } });
    expect(recovered).toMatchObject({
      status: 200,
      json: { status: "identical", total_commits: 0, files: [] },
    });
  });

  it("carries the URL fields GitHub's schema requires of a comparison", async () => {
    const { headSha } = fixture.repo;
    const html = `${fixture.address.url}/${OWNER}/${NAME}`;

    const { json } = await api(fixture, `${repoPath}/compare/${headSha}...main`);

    expect(json).toMatchObject({
      url: `${fixture.address.apiUrl}${repoPath}/compare/${headSha}...main`,
      html_url: `${html}/compare/${headSha}...main`,
      permalink_url: `${html}/compare/${OWNER}:${headSha}...${OWNER}:${headSha}`,
      diff_url: `${html}/compare/${headSha}...main.diff`,
      patch_url: `${html}/compare/${headSha}...main.patch`,
    });
  });
});
