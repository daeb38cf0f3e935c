import { beforeEach, describe, expect, it } from "@jest/globals";
import { api, NAME, OWNER, type SimulatorFixture, useSimulator } from "./use-simulator.js";

const START = Date.parse("2026-12-01T12:00:00Z");
const repoPath = `/repos/${OWNER}/${NAME}`;
const post = (body: unknown, token: string, method = "POST") => ({
  method,
  body: JSON.stringify(body),
  headers: { authorization: `token ${token}` },
});

/** A fresh installation token of installation 1, as the app would get one. */
async function installationToken(fixture: SimulatorFixture): Promise<string> {
  const created = await api(fixture, "/app/installations/1/access_tokens", { method: "POST" });
  return (created.json as { token: string }).token;
}

describe("GitHub simulator accounting of content-creating requests", () => {
  let clock = START;
  const fixture = useSimulator({ files: 5, sim: { now: () => clock } });
  beforeEach(() => {
    clock = START;
    fixture.sim.clearContentWrites();
  });

  it("counts check runs, comments and reactions per installation, with the busiest minute and hour", async () => {
    const token = await installationToken(fixture);
    const checkRun = { name: "Project Sync", head_sha: fixture.repo.headSha, status: "in_progress" };
    const at = async (seconds: number, path: string, body: unknown, method = "POST") => {
      clock = START + seconds * 1000;
      return (await api(fixture, path, post(body, token, method))).status;
    };

    const created = await api(fixture, `${repoPath}/check-runs`, post(checkRun, token));
    const id = (created.json as { id: number }).id;
    const statuses = [
      await at(10, `${repoPath}/check-runs/${id}`, { output: { title: "1", summary: "1" } }, "PATCH"),
      await at(20, `${repoPath}/issues/7/comments`, { body: "Synced." }),
      await at(70, `${repoPath}/issues/comments/9/reactions`, { content: "rocket" }),
      await at(75, `${repoPath}/check-runs/${id}`, { conclusion: "success" }, "PATCH"),
      await at(79, `${repoPath}/check-runs`, checkRun),
    ];
    await api(fixture, `${repoPath}/issues/7/comments`, post({ body: "no known token" }, "ghs_unknown"));
    await api(fixture, repoPath, { headers: { authorization: `token ${token}` } });

    expect(created.status).toBe(201);
    expect(statuses).toEqual([200, 201, 201, 200, 201]);
    // Busiest 60 s: the writes at 20, 70, 75 and 79 s; the read of the repository is not a write.
    expect(fixture.sim.contentWrites()).toEqual({
      0: { total: 1, maxPerMinute: 1, maxPerHour: 1, refused: 0 },
      1: { total: 6, maxPerMinute: 4, maxPerHour: 6, refused: 0 },
    });
  });
});

describe("GitHub simulator secondary rate limits", () => {
  let clock = START;
  const fixture = useSimulator({
    files: 5,
    sim: { now: () => clock, secondaryLimits: { perMinute: 3, perHour: 5 } },
  });
  beforeEach(() => {
    clock = START;
    fixture.sim.clearContentWrites();
  });

  it("refuses a content-creating request over the limits with GitHub's 403, without retry-after", async () => {
    const token = await installationToken(fixture);
    const comment = async (seconds: number) => {
      clock = START + seconds * 1000;
      return api(fixture, `${repoPath}/issues/7/comments`, post({ body: `at ${seconds} s` }, token));
    };

    const allowed = [await comment(0), await comment(1), await comment(2)];
    const overMinute = await comment(3);
    const nextMinute = [await comment(61), await comment(62)];
    const overHour = await comment(200);
    const otherInstallation = await api(
      fixture,
      `${repoPath}/issues/7/comments`,
      post({ body: "anonymous" }, "ghs_unknown"),
    );
    const read = await api(fixture, repoPath, { headers: { authorization: `token ${token}` } });

    expect(allowed.map((response) => response.status)).toEqual([201, 201, 201]);
    expect(overMinute.status).toBe(403);
    expect(overMinute.json).toEqual({
      message: expect.stringMatching(
        /^You have exceeded a secondary rate limit\. Please wait a few minutes before you try again\. If you reach out to GitHub Support for help, please include the request ID SIM:\w+\.$/,
      ),
      documentation_url:
        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    });
    expect((overMinute.json as { message: string }).message).toContain(
      overMinute.headers.get("x-github-request-id") as string,
    );
    expect(overMinute.headers.get("retry-after")).toBeNull();
    expect(overMinute.headers.get("x-ratelimit-remaining")).not.toBe("0");
    expect(nextMinute.map((response) => response.status)).toEqual([201, 201]);
    expect(overHour.status).toBe(403);
    expect(otherInstallation.status).toBe(201);
    expect(read.status).toBe(200);
    expect(fixture.sim.contentWrites()).toEqual({
      0: { total: 1, maxPerMinute: 1, maxPerHour: 1, refused: 0 },
      1: { total: 5, maxPerMinute: 3, maxPerHour: 5, refused: 2 },
    });
  });

  it("counts check-run updates toward the limit and leaves the refused update undone", async () => {
    const token = await installationToken(fixture);
    const created = await api(
      fixture,
      `${repoPath}/check-runs`,
      post({ name: "Project Sync", head_sha: fixture.repo.headSha, status: "in_progress" }, token),
    );
    const id = (created.json as { id: number }).id;
    const update = (summary: string) =>
      api(fixture, `${repoPath}/check-runs/${id}`, post({ output: { title: "t", summary } }, token, "PATCH"));

    const statuses = [(await update("1")).status, (await update("2")).status, (await update("3")).status];
    const run = await api(fixture, `${repoPath}/check-runs/${id}`, {
      headers: { authorization: `token ${token}` },
    });

    expect(statuses).toEqual([200, 200, 403]);
    expect(run.json).toMatchObject({ output: { summary: "2" } });
    expect(fixture.sim.contentWrites()[1]).toEqual({ total: 3, maxPerMinute: 3, maxPerHour: 3, refused: 1 });
  });
});
