import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { commitChanges } from "../../sim/generate/commit-changes.js";
import { api, NAME, OWNER, useSimulator } from "./use-simulator.js";

const SECRET = "webhook-secret";

type Received = { headers: Record<string, string | string[] | undefined>; body: string };

describe("GitHub simulator webhooks and installation listings", () => {
  const fixture = useSimulator({ files: 30 });
  const received: Received[] = [];
  let server: Server;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
        response.writeHead(202).end("queued");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fixture.sim.setWebhookTarget({ url: `http://127.0.0.1:${port}/api/github/webhooks`, secret: SECRET });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const lastPayload = () => JSON.parse(received.at(-1)?.body ?? "null");

  it("signs a push like GitHub and lists the pushed commits' changed paths", async () => {
    const { headSha, gitDir } = fixture.repo;
    const next = await commitChanges({
      gitDir,
      parent: headSha,
      changes: {
        "docs/new.md": "# New\n",
        [firstFile(fixture.git("ls-tree", "-r", "--name-only", headSha))]: null,
      },
    });

    const delivery = await fixture.sim.push(OWNER, NAME, "main", next, { sender: "alice" });

    expect(delivery.status).toBe(202);
    const request = received.at(-1) as Received;
    expect(request.headers["x-github-event"]).toBe("push");
    expect(request.headers["x-github-delivery"]).toBe(delivery.id);
    expect(request.headers["x-hub-signature-256"]).toBe(
      `sha256=${createHmac("sha256", SECRET).update(request.body).digest("hex")}`,
    );
    const payload = lastPayload();
    expect(payload).toMatchObject({
      ref: "refs/heads/main",
      before: headSha,
      after: next,
      created: false,
      deleted: false,
      forced: false,
      repository: { id: 4242, full_name: `${OWNER}/${NAME}`, default_branch: "main" },
      sender: { login: "alice" },
      installation: { id: 1 },
    });
    expect(payload.commits).toHaveLength(1);
    expect(payload.commits[0]).toMatchObject({ id: next, added: ["docs/new.md"], modified: [] });
    expect(payload.commits[0].removed).toHaveLength(1);
    expect(payload.head_commit.id).toBe(next);
    const branch = await api(fixture, `/repos/${OWNER}/${NAME}/branches/main`);
    expect(branch.json).toMatchObject({ commit: { sha: next } });
  });

  it("reports a new branch as created, a rewrite as forced and a removal as deleted", async () => {
    const { headSha, gitDir } = fixture.repo;
    await fixture.sim.push(OWNER, NAME, "feature", headSha);
    expect(lastPayload()).toMatchObject({
      created: true,
      deleted: false,
      before: "0".repeat(40),
      after: headSha,
    });

    const rewritten = await commitChanges({
      gitDir,
      parent: headSha,
      changes: { modify: 1 },
      orphan: true,
      seed: 9,
    });
    await fixture.sim.push(OWNER, NAME, "feature", rewritten);
    expect(lastPayload()).toMatchObject({ created: false, forced: true, before: headSha, after: rewritten });

    await fixture.sim.push(OWNER, NAME, "feature", null);
    expect(lastPayload()).toMatchObject({
      deleted: true,
      after: "0".repeat(40),
      commits: [],
      head_commit: null,
    });
    const gone = await api(fixture, `/repos/${OWNER}/${NAME}/branches/feature`);
    expect(gone.status).toBe(404);
  });

  it("redelivers with the same delivery id", async () => {
    const first = await fixture.sim.deliver("ping", { zen: "Keep it logically awesome." });
    const again = await fixture.sim.deliver("ping", { zen: "Keep it logically awesome." }, { id: first.id });
    expect(again.id).toBe(first.id);
    expect(received.at(-1)?.headers["x-github-delivery"]).toBe(first.id);
    expect(fixture.sim.deliveries.slice(-2)).toMatchObject([
      { id: first.deliveryId, guid: first.id, redelivery: false, status_code: 202 },
      { id: again.deliveryId, guid: first.id, redelivery: true, status_code: 202 },
    ]);
  });

  it("lists the app's installations and, with an installation token, its repositories", async () => {
    const installations = await api(fixture, "/app/installations");
    expect(installations.json).toEqual([
      expect.objectContaining({ id: 1, account: expect.objectContaining({ login: OWNER }) }),
    ]);

    const token = await api(fixture, "/app/installations/1/access_tokens", { method: "POST" });
    const { token: value } = token.json as { token: string };
    const repositories = await api(fixture, "/installation/repositories", {
      headers: { authorization: `token ${value}` },
    });
    expect(repositories.json).toMatchObject({
      total_count: 1,
      repositories: [{ id: 4242, full_name: `${OWNER}/${NAME}`, default_branch: "main" }],
    });
    const anonymous = await api(fixture, "/installation/repositories");
    expect(anonymous.status).toBe(401);
  });
});

function firstFile(listing: string): string {
  return listing.split("\n").filter(Boolean)[0] as string;
}
