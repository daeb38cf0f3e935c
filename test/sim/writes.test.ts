import { describe, expect, it } from "@jest/globals";
import { api, NAME, OWNER, useSimulator } from "./use-simulator.js";

const repoPath = `/repos/${OWNER}/${NAME}`;
const post = (body: unknown, method = "POST") => ({ method, body: JSON.stringify(body) });

describe("GitHub simulator check runs, comments, reactions, permissions and pulls", () => {
  const fixture = useSimulator({ files: 40 });

  it("creates, updates and lists check runs, and records each write with its body", async () => {
    const { headSha } = fixture.repo;
    fixture.sim.clearRecorded();
    const create = {
      name: "Project Sync",
      head_sha: headSha,
      status: "in_progress",
      output: { title: "Syncing", summary: "0 of 3" },
    };
    const complete = { conclusion: "success", output: { title: "Synced", summary: "3 files" } };

    const created = await api(fixture, `${repoPath}/check-runs`, post(create));
    const id = (created.json as { id: number }).id;
    const updated = await api(fixture, `${repoPath}/check-runs/${id}`, post(complete, "PATCH"));
    const listed = await api(fixture, `${repoPath}/commits/main/check-runs`);

    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      id,
      name: "Project Sync",
      head_sha: headSha,
      status: "in_progress",
      conclusion: null,
    });
    expect(updated.json).toMatchObject({
      id,
      status: "completed",
      conclusion: "success",
      output: { title: "Synced", summary: "3 files" },
    });
    expect(listed.json).toMatchObject({ total_count: 1, check_runs: [{ id, conclusion: "success" }] });
    expect(fixture.sim.recorded).toEqual([
      {
        route: "POST /repos/{owner}/{repo}/check-runs",
        method: "POST",
        path: `${repoPath}/check-runs`,
        params: { owner: OWNER, repo: NAME },
        body: create,
        status: 201,
      },
      {
        route: "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}",
        method: "PATCH",
        path: `${repoPath}/check-runs/${id}`,
        params: { owner: OWNER, repo: NAME, check_run_id: String(id) },
        body: complete,
        status: 200,
      },
    ]);
  });

  it("refuses check-run output over GitHub's 65,535-character limit, as GitHub does", async () => {
    const summary = "x".repeat(65_536);

    const refused = await api(
      fixture,
      `${repoPath}/check-runs`,
      post({ name: "Project Sync", head_sha: fixture.repo.headSha, output: { title: "t", summary } }),
    );

    expect(refused.status).toBe(422);
    expect(fixture.sim.recorded.at(-1)).toMatchObject({ status: 422 });
  });

  it("posts an issue comment and a reaction, recording both bodies", async () => {
    fixture.sim.clearRecorded();

    const comment = await api(fixture, `${repoPath}/issues/7/comments`, post({ body: "Synced 3 files." }));
    const reaction = await api(
      fixture,
      `${repoPath}/issues/comments/99/reactions`,
      post({ content: "rocket" }),
    );
    const badReaction = await api(
      fixture,
      `${repoPath}/issues/comments/99/reactions`,
      post({ content: "nope" }),
    );

    expect(comment.status).toBe(201);
    expect(comment.json).toMatchObject({ id: expect.any(Number), body: "Synced 3 files." });
    expect(reaction.status).toBe(201);
    expect(reaction.json).toMatchObject({ content: "rocket" });
    expect(badReaction.status).toBe(422);
    expect(fixture.sim.recorded.map(({ route, body }) => ({ route, body }))).toEqual([
      {
        route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
        body: { body: "Synced 3 files." },
      },
      {
        route: "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
        body: { content: "rocket" },
      },
      {
        route: "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
        body: { content: "nope" },
      },
    ]);
  });

  it("answers collaborator permissions as configured (default write) and pull requests as set", async () => {
    fixture.sim.setPermission(OWNER, NAME, "Mallory", "read");
    fixture.sim.setPull(OWNER, NAME, 7, { headRef: "feature/x", headSha: fixture.repo.headSha });

    const mallory = await api(fixture, `${repoPath}/collaborators/mallory/permission`);
    const alice = await api(fixture, `${repoPath}/collaborators/alice/permission`);
    const pull = await api(fixture, `${repoPath}/pulls/7`);
    const missing = await api(fixture, `${repoPath}/pulls/8`);

    expect(mallory.json).toMatchObject({ permission: "read", user: { login: "mallory" } });
    expect(alice.json).toMatchObject({ permission: "write" });
    expect(pull.json).toMatchObject({
      number: 7,
      state: "open",
      head: { ref: "feature/x", sha: fixture.repo.headSha },
      base: { ref: "main" },
    });
    expect(missing.status).toBe(404);
  });
});
