import { describe, expect, it } from "@jest/globals";
import { api, NAME, OWNER, useSimulator } from "./use-simulator.js";

const REPOSITORY_ROUTE = "GET /repos/{owner}/{repo}";
const TREE_ROUTE = "GET /repos/{owner}/{repo}/git/trees/{sha}";
const repoPath = `/repos/${OWNER}/${NAME}`;

describe("GitHub simulator faults, stats and latency", () => {
  const fixture = useSimulator({ files: 60 });

  it("counts requests and response body bytes per route name, unmatched requests included", async () => {
    fixture.sim.resetStats();

    const repository = await api(fixture, repoPath);
    const tree = await api(fixture, `${repoPath}/git/trees/${fixture.repo.treeSha}?recursive=1`);
    await api(fixture, `${repoPath}/git/trees/${fixture.repo.treeSha}`);
    const unmatched = await api(fixture, "/no/such/endpoint");

    const flat = (await api(fixture, `${repoPath}/git/trees/${fixture.repo.treeSha}`)).raw.length;
    const stats = fixture.sim.stats();
    expect(unmatched.status).toBe(404);
    expect(stats.requests).toEqual({ [REPOSITORY_ROUTE]: 1, [TREE_ROUTE]: 3, "GET (unmatched)": 1 });
    expect(stats.bytes).toEqual({
      [REPOSITORY_ROUTE]: repository.raw.length,
      [TREE_ROUTE]: tree.raw.length + 2 * flat,
      "GET (unmatched)": unmatched.raw.length,
    });
    expect(stats.total).toBe(5);
    expect(fixture.sim.routeNames).toContain(TREE_ROUTE);
  });

  it("fails a route with a 500 as many times as asked, then answers normally", async () => {
    fixture.sim.injectFault({ route: REPOSITORY_ROUTE, times: 1, kind: "500" });
    fixture.sim.resetStats();

    const tree = await api(fixture, `${repoPath}/git/trees/${fixture.repo.treeSha}`);
    const failed = await api(fixture, repoPath);
    const recovered = await api(fixture, repoPath);

    expect(tree.status).toBe(200);
    expect(failed).toMatchObject({ status: 500, json: { message: "Server Error" } });
    expect(recovered.status).toBe(200);
    expect(fixture.sim.stats().requests).toEqual({ [REPOSITORY_ROUTE]: 2, [TREE_ROUTE]: 1 });
  });

  it("answers a secondary rate limit with 403, retry-after: 1 and GitHub's message; 502 on any route", async () => {
    fixture.sim.injectFault({ route: TREE_ROUTE, times: 1, kind: "secondary-rate-limit" });
    fixture.sim.injectFault({ times: 1, kind: "502" });

    const limited = await api(fixture, `${repoPath}/git/trees/${fixture.repo.treeSha}`);
    const badGateway = await api(fixture, repoPath);

    expect(limited.status).toBe(403);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((limited.json as { message: string }).message).toMatch(
      /^You have exceeded a secondary rate limit/,
    );
    expect(badGateway.status).toBe(502);
  });

  it("answers GitHub's usual secondary rate limit: 403 or 429 with no retry-after and primary-limit headers not 0", async () => {
    fixture.sim.injectFault({ route: TREE_ROUTE, times: 1, kind: "secondary-rate-limit-403" });
    fixture.sim.injectFault({ route: TREE_ROUTE, times: 1, kind: "secondary-rate-limit-429" });

    const forbidden = await api(fixture, `${repoPath}/git/trees/${fixture.repo.treeSha}`);
    const tooMany = await api(fixture, `${repoPath}/git/trees/${fixture.repo.treeSha}`);

    for (const [limited, status] of [
      [forbidden, 403],
      [tooMany, 429],
    ] as const) {
      expect(limited.status).toBe(status);
      expect(limited.headers.get("retry-after")).toBeNull();
      expect(limited.headers.get("x-ratelimit-remaining")).toBe("4999");
      expect(limited.json).toEqual({
        message:
          "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach " +
          `out to GitHub Support for help, please include the request ID ${limited.headers.get("x-github-request-id")}.`,
        documentation_url:
          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
      });
    }
    expect((await api(fixture, `${repoPath}/git/trees/${fixture.repo.treeSha}`)).status).toBe(200);
  });

  it("drops the connection on a reset fault", async () => {
    fixture.sim.injectFault({ route: REPOSITORY_ROUTE, times: 1, kind: "reset" });

    const failed = fetch(`${fixture.address.apiUrl}${repoPath}`);

    await expect(failed).rejects.toThrow("fetch failed");
    expect((await api(fixture, repoPath)).status).toBe(200);
  });

  it("refuses a fault for a route that does not exist, listing the names", () => {
    expect(() => fixture.sim.injectFault({ route: "GET /nope", times: 1, kind: "500" })).toThrow(
      /No route is named/,
    );
  });

  it("holds the requests of one route until released, and answers the others meanwhile", async () => {
    const held = fixture.sim.hold("GET /repos/{owner}/{repo}");
    let answered = false;

    const waiting = api(fixture, `/repos/${OWNER}/${NAME}`).then((response) => {
      answered = true;
      return response;
    });
    await held.reached;
    const other = await api(fixture, `/repos/${OWNER}/${NAME}/branches`);
    expect([answered, other.status]).toEqual([false, 200]);
    held.release();

    expect((await waiting).status).toBe(200);
    expect((await api(fixture, `/repos/${OWNER}/${NAME}`)).status).toBe(200);
    expect(() => fixture.sim.hold("GET /nope")).toThrow(/No route is named "GET \/nope"/);
  });

  it("delays every request by the configured latency", async () => {
    fixture.sim.setLatency(120);
    const started = performance.now();

    await api(fixture, repoPath);

    fixture.sim.setLatency(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });
});
