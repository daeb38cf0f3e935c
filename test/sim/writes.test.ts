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

  it("answers a reaction the same user already made with 200 and the existing reaction, a new one with 201", async () => {
    const path = `${repoPath}/issues/comments/4242/reactions`;

    const created = await api(fixture, path, post({ content: "eyes" }));
    const again = await api(fixture, path, post({ content: "eyes" }));
    const other = await api(fixture, path, post({ content: "heart" }));
    const elsewhere = await api(
      fixture,
      `${repoPath}/issues/comments/4243/reactions`,
      post({ content: "eyes" }),
    );

    expect(created).toMatchObject({
      status: 201,
      json: { content: "eyes", user: { login: "project-sync-sim[bot]" } },
    });
    expect(again).toMatchObject({ status: 200, json: created.json as Record<string, unknown> });
    expect([other.status, elsewhere.status]).toEqual([201, 201]);
    expect(
      new Set([created, other, elsewhere].map((reaction) => (reaction.json as { id: number }).id)).size,
    ).toBe(3);
  });

  it("maps fine-grained roles to GitHub's legacy permission and names the role, as GitHub does", async () => {
    const roles = ["admin", "maintain", "write", "triage", "read", "none"] as const;
    for (const role of roles) fixture.sim.setPermission(OWNER, NAME, `user-${role}`, role);

    const answers = await Promise.all(
      roles.map(
        async (role) => (await api(fixture, `${repoPath}/collaborators/user-${role}/permission`)).json,
      ),
    );

    const summary = answers.map((answer) => {
      const { permission, role_name, user } = answer as {
        permission: string;
        role_name: string;
        user: { login: string; role_name: string; permissions: Record<string, boolean> };
      };
      return { permission, role_name, user: user.login, userRole: user.role_name, flags: user.permissions };
    });
    const flags = (pull: boolean, triage: boolean, push: boolean, maintain: boolean, admin: boolean) => ({
      pull,
      triage,
      push,
      maintain,
      admin,
    });
    expect(summary).toEqual([
      {
        permission: "admin",
        role_name: "admin",
        user: "user-admin",
        userRole: "admin",
        flags: flags(true, true, true, true, true),
      },
      {
        permission: "write",
        role_name: "maintain",
        user: "user-maintain",
        userRole: "maintain",
        flags: flags(true, true, true, true, false),
      },
      {
        permission: "write",
        role_name: "write",
        user: "user-write",
        userRole: "write",
        flags: flags(true, true, true, false, false),
      },
      {
        permission: "read",
        role_name: "triage",
        user: "user-triage",
        userRole: "triage",
        flags: flags(true, true, false, false, false),
      },
      {
        permission: "read",
        role_name: "read",
        user: "user-read",
        userRole: "read",
        flags: flags(true, false, false, false, false),
      },
      {
        permission: "none",
        role_name: "none",
        user: "user-none",
        userRole: "none",
        flags: flags(false, false, false, false, false),
      },
    ]);
    // The user carries every field GitHub's schema requires of a collaborator.
    expect(answers[0]).toMatchObject({
      user: {
        id: expect.any(Number),
        node_id: expect.any(String),
        avatar_url: expect.any(String),
        html_url: `${fixture.address.url}/user-admin`,
        url: `${fixture.address.apiUrl}/users/user-admin`,
        type: "User",
        site_admin: false,
      },
    });
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
