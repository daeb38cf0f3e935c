import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Express } from "express";
import request from "supertest";
import { SIM_OAUTH_CLIENT } from "../../sim/oauth-state.js";
import type { AuthDeps } from "../../src/auth/auth-deps.js";
import { deriveAuthKeys } from "../../src/auth/auth-keys.js";
import { createSession } from "../../src/auth/create-session.js";
import { createUserAccess, type UserAccess } from "../../src/auth/create-user-access.js";
import { createPersonalToken, revokePersonalToken } from "../../src/auth/personal-tokens.js";
import { silentLogger } from "../../src/logger.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { signInPerson } from "../helpers/sign-in-person.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";
import { NAME, OWNER, useSimulator } from "../sim/use-simulator.js";
import { createApiTestServer } from "./api-test-server.js";

const API_TOKEN = "operator-token-0123456789abcdef";
const HIDDEN_ID = 5151;

describe("the REST API for a person's personal token: only their repositories, actions as GitHub allows", () => {
  const fixture = useSimulator({ files: 10 });
  let database: TestDatabase;
  let app: Express;
  let deps: AuthDeps;
  let monaId: string;
  let userAccess: UserAccess;

  beforeAll(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, now: () => new Date(), keys: deriveAuthKeys("k".repeat(40)) };
    const service: ServiceDeps = {
      db: database.db,
      githubFor: async () => null,
      now: () => new Date(),
      log: silentLogger,
      maxFileSizeBytes: 1024,
    };
    await fixture.sim.addRepository({
      owner: "acme",
      name: "hidden",
      gitDir: fixture.repo.gitDir,
      id: HIDDEN_ID,
    });
    fixture.sim.setPermission(OWNER, NAME, "mona", "read");
    for (const [owner, name, githubId] of [
      [OWNER, NAME, 4242],
      ["acme", "hidden", HIDDEN_ID],
    ] as const) {
      await database.db.repository.create({
        data: { owner, name, key: `${owner}/${name}`, githubId: BigInt(githubId), defaultBranch: "main" },
      });
    }
    const config = {
      ...SIM_OAUTH_CLIENT,
      apiBaseUrl: fixture.address.apiUrl,
      publicUrl: "http://127.0.0.1:9",
    };
    userAccess = createUserAccess(deps, config);
    app = createApiTestServer({
      service,
      apiToken: API_TOKEN,
      signIn: { deps, config, access: userAccess },
    }).app;
    monaId = await signInPerson(fixture, deps, { login: "mona", githubId: 77 });
  });
  afterAll(async () => {
    await database?.drop();
  });

  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it("lists only the repositories the token's person can read; the operator sees all", async () => {
    const { token } = await createPersonalToken(deps, monaId, { name: "script", scope: "read" });
    const mine = await request(app).get("/api/v1/repos").set(as(token));
    expect(mine.status).toBe(200);
    expect(mine.body.repos.map((repo: { fullName: string }) => repo.fullName)).toEqual([`${OWNER}/${NAME}`]);
    expect(mine.body.repos[0].access).toBe("read");
    for (const path of ["syncs", "memory", "memory/file?path=a", "search?q=a", "branches"]) {
      const hidden = await request(app).get(`/api/v1/repos/acme/hidden/${path}`).set(as(token));
      expect([path, hidden.status]).toEqual([path, 404]);
    }
    expect((await request(app).get(`/api/v1/repos/${OWNER}/${NAME}/syncs`).set(as(token))).status).toBe(200);
    const all = await request(app).get("/api/v1/repos").set(as(API_TOKEN));
    expect(all.body.repos.map((repo: { fullName: string }) => repo.fullName)).toEqual([
      "acme/hidden",
      `${OWNER}/${NAME}`,
    ]);
    expect(all.body.repos.map((repo: { access: unknown }) => repo.access)).toEqual([null, null]);
  });

  it("refuses a sync without write, hides a repository the person cannot read, and refuses a read-only token", async () => {
    const { token: write } = await createPersonalToken(deps, monaId, { name: "ci", scope: "write" });
    const { token: read } = await createPersonalToken(deps, monaId, { name: "ro", scope: "read" });
    const noWrite = await request(app).post(`/api/v1/repos/${OWNER}/${NAME}/syncs`).set(as(write)).send({});
    expect(noWrite.status).toBe(403);
    expect(noWrite.body.error.message).toMatch(/needs write access/);
    const hidden = await request(app).post("/api/v1/repos/acme/hidden/syncs").set(as(write)).send({});
    expect(hidden.status).toBe(404);
    const readOnly = await request(app).post(`/api/v1/repos/${OWNER}/${NAME}/syncs`).set(as(read)).send({});
    expect(readOnly.status).toBe(403);
    expect(await database.db.projectSync.count()).toBe(0);
  });

  it("keeps the operator's routes (the inbox of every installation) to the operator; a revoked token is refused", async () => {
    const { token, view } = await createPersonalToken(deps, monaId, { name: "other", scope: "write" });
    expect((await request(app).get("/api/v1/inbox").set(as(token))).status).toBe(403);
    expect((await request(app).get("/api/v1/deliveries").set(as(token))).status).toBe(403);
    expect((await request(app).get("/api/v1/openapi.json").set(as(token))).status).toBe(200);
    expect((await request(app).get("/api/v1/inbox").set(as(API_TOKEN))).status).toBe(200);
    await revokePersonalToken(deps, monaId, view.id);
    expect((await request(app).get("/api/v1/repos").set(as(token))).status).toBe(401);
  });

  it("lets a signed-in person create, list and revoke their tokens from the page's session, not with a token", async () => {
    const session = await createSession(deps, monaId);
    const cookie = `project-sync-session=${session.cookieValue}`;
    const withSession = { cookie, "x-csrf-token": session.csrfToken };
    const noCsrf = await request(app)
      .post("/api/v1/me/tokens")
      .set({ cookie })
      .send({ name: "x", scope: "read" });
    expect(noCsrf.status).toBe(403);
    const bad = await request(app)
      .post("/api/v1/me/tokens")
      .set(withSession)
      .send({ name: "x", scope: "admin" });
    expect(bad.status).toBe(400);
    const created = await request(app)
      .post("/api/v1/me/tokens")
      .set(withSession)
      .send({ name: "cli", scope: "read" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "cli", scope: "read", expiresAt: null });
    const token = created.body.token as string;
    const viaToken = await request(app).get(`/api/v1/repos/${OWNER}/${NAME}/syncs`).set(as(token));
    expect(viaToken.status).toBe(200);
    const mint = await request(app)
      .post("/api/v1/me/tokens")
      .set(as(token))
      .send({ name: "more", scope: "write" });
    expect(mint.status).toBe(403);
    const listed = await request(app).get("/api/v1/me/tokens").set({ cookie });
    expect(listed.body.tokens.map((t: { name: string }) => t.name)).toContain("cli");
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const revoked = await request(app).delete(`/api/v1/me/tokens/${created.body.id}`).set(withSession);
    expect(revoked.body).toEqual({ revoked: created.body.id });
    expect((await request(app).get("/api/v1/repos").set(as(token))).status).toBe(401);
  });

  /** A succeeded sync (generation 1) of a repository, as a sync id route would be asked about. */
  async function succeededSync(fullName: string): Promise<string> {
    const repository = await database.db.repository.findUniqueOrThrow({ where: { key: fullName } });
    const sync = await database.db.projectSync.create({
      data: {
        repositoryId: repository.id,
        branch: "main",
        status: "succeeded",
        trigger: "manual",
        generation: 1,
        headSha: "a".repeat(40),
      },
    });
    return sync.id;
  }

  it("answers a sync of a repository the person cannot read exactly as a sync that does not exist, on every route", async () => {
    const { token } = await createPersonalToken(deps, monaId, { name: "syncs", scope: "write" });
    const hidden = await succeededSync("acme/hidden");
    const mine = await succeededSync(`${OWNER}/${NAME}`);
    const missing = "00000000-0000-4000-8000-000000000000";
    const paths = (id: string): [string, string][] => [
      ["get", `/api/v1/syncs/${id}`],
      ["get", `/api/v1/syncs/${id}/changes`],
      ["get", `/api/v1/syncs/${id}/compare/${mine}`],
      ["get", `/api/v1/syncs/${mine}/compare/${id}`],
      ["get", `/api/v1/events/project-sync/${id}`],
      ["post", `/api/v1/syncs/${id}/restore`],
    ];
    const answers = async (id: string) => {
      const out: unknown[] = [];
      for (const [method, path] of paths(id)) {
        const response = await (method === "get"
          ? request(app).get(path)
          : request(app).post(path).send({})
        ).set(as(token));
        out.push([
          method,
          path?.replace(id, "ID"),
          response.status,
          response.body?.error?.message?.replace(id, "ID"),
        ]);
      }
      return out;
    };

    const forHidden = await answers(hidden);
    const forMissing = await answers(missing);

    expect(forHidden).toEqual(forMissing);
    expect(forHidden.map((answer) => (answer as unknown[])[2])).toEqual([404, 404, 404, 404, 404, 404]);
    const readable = await request(app).get(`/api/v1/syncs/${mine}`).set(as(token));
    expect([readable.status, readable.body.repository]).toEqual([200, `${OWNER}/${NAME}`]);
    expect((await request(app).get(`/api/v1/syncs/${mine}/changes`).set(as(token))).status).toBe(200);
    expect((await request(app).get(`/api/v1/syncs/${mine}/compare/${mine}`).set(as(token))).status).toBe(200);
    expect((await request(app).get(`/api/v1/syncs/${hidden}`).set(as(API_TOKEN))).status).toBe(200);
  });

  it("opens a sync's event stream only for a person who can read its repository", async () => {
    const { token } = await createPersonalToken(deps, monaId, { name: "sse", scope: "read" });
    const mine = await succeededSync(`${OWNER}/${NAME}`);
    const hidden = await succeededSync("acme/hidden");

    const refused = await request(app).get(`/api/v1/events/project-sync/${hidden}`).set(as(token));
    const opened = await request(app).get(`/api/v1/events/project-sync/${mine}`).set(as(token));

    expect([refused.status, refused.body.error.code]).toEqual([404, "SYNC_NOT_FOUND"]);
    expect([opened.status, opened.headers["content-type"]]).toEqual([
      200,
      expect.stringMatching(/event-stream/),
    ]);
  });

  it("tells a person the same of an unknown repository as of one they cannot read", async () => {
    const { token } = await createPersonalToken(deps, monaId, { name: "names", scope: "read" });

    const hidden = await request(app).get("/api/v1/repos/acme/hidden/syncs").set(as(token));
    const unknown = await request(app).get("/api/v1/repos/acme/nothing-here/syncs").set(as(token));

    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual(unknown.body);
  });

  it("reports each repository's access as the person's GitHub role, and read through a read-only token", async () => {
    fixture.sim.setPermission(OWNER, NAME, "mona", "maintain");
    userAccess.forget(monaId);
    const { token: write } = await createPersonalToken(deps, monaId, { name: "w", scope: "write" });
    const { token: read } = await createPersonalToken(deps, monaId, { name: "r", scope: "read" });

    const access = async (token: string) =>
      (await request(app).get("/api/v1/repos").set(as(token))).body.repos.map(
        (repo: { fullName: string; access: string }) => [repo.fullName, repo.access],
      );

    try {
      expect(await access(write)).toEqual([[`${OWNER}/${NAME}`, "write"]]);
      expect(await access(read)).toEqual([[`${OWNER}/${NAME}`, "read"]]);
    } finally {
      fixture.sim.setPermission(OWNER, NAME, "mona", "read");
      userAccess.forget(monaId);
    }
  });

  it("restores only with write and purges only with admin, asked of GitHub at the action; read-only tokens never", async () => {
    const { token: write } = await createPersonalToken(deps, monaId, { name: "rw", scope: "write" });
    const { token: read } = await createPersonalToken(deps, monaId, { name: "ro2", scope: "read" });
    const mine = await succeededSync(`${OWNER}/${NAME}`);
    const syncs = await database.db.projectSync.count();
    const restore = (token: string) =>
      request(app).post(`/api/v1/syncs/${mine}/restore`).set(as(token)).send({});
    const purge = (token: string, repo = `${OWNER}/${NAME}`) =>
      request(app).post(`/api/v1/repos/${repo}/purge`).set(as(token)).send({ force: true });

    fixture.sim.setPermission(OWNER, NAME, "mona", "read");
    expect((await restore(write)).status).toBe(403);
    fixture.sim.setPermission(OWNER, NAME, "mona", "write");
    expect((await restore(read)).status).toBe(403);
    expect((await purge(write)).status).toBe(403);
    expect((await purge(write, "acme/hidden")).status).toBe(404);
    expect(await database.db.projectSync.count()).toBe(syncs);
    const restored = await restore(write);
    expect([restored.status, restored.body.trigger, restored.body.requestedBy]).toEqual([
      202,
      "restore",
      "mona",
    ]);
    fixture.sim.setPermission(OWNER, NAME, "mona", "admin");
    expect((await purge(read)).status).toBe(403);
    const purged = await purge(write);

    expect([purged.status, purged.body.repository]).toEqual([200, `${OWNER}/${NAME}`]);
    expect(await database.db.repository.count({ where: { key: `${OWNER}/${NAME}` } })).toBe(0);
    expect(await database.db.repository.count({ where: { key: "acme/hidden" } })).toBe(1);
  });
});
