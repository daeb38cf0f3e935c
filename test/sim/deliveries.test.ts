import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { api, NAME, OWNER, type SimulatorFixture, useSimulator } from "./use-simulator.js";

const SECRET = "webhook-secret";
const START = Date.parse("2026-12-01T12:00:00Z");
const DAY_MS = 24 * 60 * 60 * 1000;
// Any bearer JWT passes the simulator's app routes; three dot-separated parts make Octokit send it as `bearer`.
const APP_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2ln";

type Received = { headers: IncomingHttpHeaders; body: string };
type Mode = "ok" | "unavailable" | "slow";

/** A webhook receiver on a free port that answers 200 "ok", 503, or not at all (until released), as told. */
async function startReceiver() {
  const received: Received[] = [];
  const held: ServerResponse[] = [];
  const receiver = { mode: "ok" as Mode, received, url: "" };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (receiver.mode === "slow") held.push(response);
      else if (receiver.mode === "unavailable")
        response.writeHead(503, { "x-receiver": "down" }).end("unavailable");
      else response.writeHead(200, { "content-type": "text/plain", "x-receiver": "up" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  const release = () => {
    for (const response of held.splice(0)) response.end();
  };
  const close = async () => {
    release();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { receiver, release, close };
}

/** A URL nothing listens on: a server that has been closed again. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/github/webhooks`;
}

const appApi = (fixture: SimulatorFixture, path: string, init: RequestInit = {}) =>
  api(fixture, path, { ...init, headers: { authorization: `bearer ${APP_JWT}`, ...init.headers } });

const sign = (body: string, secret: string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** A link header's rel="next" URL, if any. */
const nextLink = (headers: Headers) => /<([^>]+)>;\s*rel="next"/.exec(headers.get("link") ?? "")?.[1];

const commentPayload = (id: number) => ({
  action: "created",
  installation: { id: 1 },
  repository: { id: 4242, full_name: `${OWNER}/${NAME}` },
  comment: { id, body: "/sync" },
});

describe("GitHub simulator webhook delivery log and redelivery", () => {
  let clock = START;
  const fixture = useSimulator({ files: 5, sim: { webhookTimeoutMs: 300, now: () => clock } });
  let target: Awaited<ReturnType<typeof startReceiver>>;
  let octokit: Octokit;

  beforeAll(async () => {
    target = await startReceiver();
    octokit = new Octokit({ baseUrl: fixture.address.apiUrl, auth: APP_JWT });
  });
  afterAll(async () => {
    await target?.close();
  });
  beforeEach(() => {
    clock = START;
    target.receiver.mode = "ok";
    fixture.sim.setWebhookTarget({ url: target.receiver.url, secret: SECRET });
    fixture.sim.clearDeliveries();
  });

  it("logs every delivery: answered, refused with 503, unreachable and timed out, with GitHub's fields", async () => {
    const unreachable = await closedUrl();

    const ok = await fixture.sim.deliver("issue_comment", commentPayload(1));
    target.receiver.mode = "unavailable";
    const refused = await fixture.sim.deliver("ping", { zen: "Design for failure." });
    fixture.sim.setWebhookTarget({ url: unreachable, secret: SECRET });
    const down = await fixture.sim.deliver("ping", { zen: "Design for failure." });
    fixture.sim.setWebhookTarget({ url: target.receiver.url, secret: SECRET });
    target.receiver.mode = "slow";
    const slow = await fixture.sim.deliver("issue_comment", commentPayload(2));
    target.release();

    expect([ok, refused, down, slow].map(({ status, body }) => ({ status, body }))).toEqual([
      { status: 200, body: "ok" },
      { status: 503, body: "unavailable" },
      { status: 0, body: "" },
      { status: 0, body: "" },
    ]);
    const log = fixture.sim.deliveries;
    expect(
      log.map(({ request: _request, response: _response, duration: _duration, ...rest }) => rest),
    ).toEqual([
      {
        id: ok.deliveryId,
        guid: ok.id,
        delivered_at: "2026-12-01T12:00:00Z",
        redelivery: false,
        status: "OK",
        status_code: 200,
        event: "issue_comment",
        action: "created",
        installation_id: 1,
        repository_id: 4242,
        throttled_at: null,
        url: target.receiver.url,
      },
      expect.objectContaining({
        id: refused.deliveryId,
        status: "Invalid HTTP Response: 503",
        status_code: 503,
        event: "ping",
        action: null,
        installation_id: null,
        repository_id: null,
      }),
      expect.objectContaining({
        id: down.deliveryId,
        status: "failed to connect to host",
        status_code: 0,
        url: unreachable,
      }),
      expect.objectContaining({ id: slow.deliveryId, status: "timed out", status_code: 0 }),
    ]);
    expect(log.map((delivery) => delivery.id)).toEqual(
      [...log.map((delivery) => delivery.id)].sort((a, b) => a - b),
    );
    expect(log[1]?.response).toEqual({
      headers: expect.objectContaining({ "x-receiver": "down" }),
      payload: "unavailable",
    });
    expect(log[2]?.response).toEqual({ headers: {}, payload: null });
    expect(log[3]?.duration).toBeGreaterThanOrEqual(0.29);
    expect(log[3]?.duration).toBeLessThan(5);
  });

  it("logs push deliveries with the repository and installation of the payload", async () => {
    const pushed = await fixture.sim.push(OWNER, NAME, "topic", fixture.repo.headSha);

    expect(fixture.sim.deliveries).toEqual([
      expect.objectContaining({
        id: pushed.deliveryId,
        guid: pushed.id,
        event: "push",
        action: null,
        installation_id: 1,
        repository_id: 4242,
        status_code: 200,
      }),
    ]);
  });

  it("lists deliveries newest first, per_page at a time, following the Link header's cursor", async () => {
    const sent = [];
    for (let n = 0; n < 7; n += 1) sent.push(await fixture.sim.deliver("ping", { n }));
    const newestFirst = sent.map((delivery) => delivery.deliveryId).reverse();

    const pages: number[][] = [];
    let url: string | undefined = `${fixture.address.apiUrl}/app/hook/deliveries?per_page=3`;
    while (url) {
      const response = await appApi(fixture, url.slice(fixture.address.apiUrl.length));
      expect(response.status).toBe(200);
      pages.push((response.json as { id: number }[]).map((delivery) => delivery.id));
      url = nextLink(response.headers);
    }
    const first = await appApi(fixture, "/app/hook/deliveries?per_page=3");
    const all = await appApi(fixture, "/app/hook/deliveries");

    expect(pages).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
    expect(nextLink(first.headers)).toMatch(
      new RegExp(`^${fixture.address.apiUrl}/app/hook/deliveries\\?per_page=3&cursor=\\S+$`),
    );
    expect(all.headers.get("link")).toBeNull();
    expect((all.json as unknown[])[0]).toEqual({
      id: newestFirst[0],
      guid: sent[6]?.id,
      delivered_at: "2026-12-01T12:00:00Z",
      redelivery: false,
      duration: expect.any(Number),
      status: "OK",
      status_code: 200,
      event: "ping",
      action: null,
      installation_id: null,
      repository_id: null,
      throttled_at: null,
    });
  });

  it("pages through the deliveries with Octokit", async () => {
    for (let n = 0; n < 5; n += 1) await fixture.sim.deliver("ping", { n });

    const listed = await octokit.paginate(octokit.rest.apps.listWebhookDeliveries, { per_page: 2 });

    expect(listed.map((delivery) => delivery.id)).toEqual(
      fixture.sim.deliveries.map((delivery) => delivery.id).reverse(),
    );
  });

  it("filters by status: success is 200–399, failure 400–599, a delivery without an answer is in neither", async () => {
    const ok1 = await fixture.sim.deliver("ping", { n: 1 });
    target.receiver.mode = "unavailable";
    const failed = await fixture.sim.deliver("ping", { n: 2 });
    target.receiver.mode = "ok";
    fixture.sim.setWebhookTarget({ url: await closedUrl(), secret: SECRET });
    await fixture.sim.deliver("ping", { n: 3 });
    fixture.sim.setWebhookTarget({ url: target.receiver.url, secret: SECRET });
    const ok2 = await fixture.sim.deliver("ping", { n: 4 });

    const ids = async (query: string) => {
      const response = await appApi(fixture, `/app/hook/deliveries?${query}`);
      return {
        ids: (response.json as { id: number }[]).map((item) => item.id),
        next: nextLink(response.headers),
      };
    };
    const success = await ids("status=success");
    const failure = await ids("status=failure");
    const firstSuccess = await ids("status=success&per_page=1");
    const secondSuccess = await ids((firstSuccess.next ?? "").split("?")[1] ?? "");
    const invalid = await appApi(fixture, "/app/hook/deliveries?status=pending");

    expect(success.ids).toEqual([ok2.deliveryId, ok1.deliveryId]);
    expect(failure.ids).toEqual([failed.deliveryId]);
    expect(firstSuccess.ids).toEqual([ok2.deliveryId]);
    expect(firstSuccess.next).toContain("status=success");
    expect(secondSuccess).toEqual({ ids: [ok1.deliveryId], next: undefined });
    expect(invalid.status).toBe(422);
  });

  it("answers one delivery with its request and response, and 404 for an unknown id", async () => {
    const payload = commentPayload(3);
    const sent = await fixture.sim.deliver("issue_comment", payload);

    const one = await octokit.rest.apps.getWebhookDelivery({ delivery_id: sent.deliveryId });
    const unknown = await appApi(fixture, "/app/hook/deliveries/12345");
    const notANumber = await appApi(fixture, "/app/hook/deliveries/abc");

    const body = JSON.stringify(payload);
    expect(one.data).toMatchObject({
      id: sent.deliveryId,
      guid: sent.id,
      status: "OK",
      status_code: 200,
      event: "issue_comment",
      action: "created",
      url: target.receiver.url,
      request: {
        headers: {
          "X-GitHub-Delivery": sent.id,
          "X-GitHub-Event": "issue_comment",
          "X-Hub-Signature-256": sign(body, SECRET),
          "content-type": "application/json",
        },
        payload,
      },
      response: { headers: { "x-receiver": "up", "content-type": "text/plain" }, payload: "ok" },
    });
    expect(target.receiver.received.at(-1)?.body).toBe(body);
    expect(unknown).toMatchObject({ status: 404, json: { message: "Not Found" } });
    expect(notANumber.status).toBe(404);
  });

  it("redelivers a failed delivery after a 202: same GUID, event and payload, signed with the current secret", async () => {
    target.receiver.mode = "unavailable";
    const original = await fixture.sim.deliver("issue_comment", commentPayload(4));
    target.receiver.mode = "ok";
    const newSecret = "rotated-secret";
    fixture.sim.setWebhookTarget({ url: target.receiver.url, secret: newSecret });
    const before = target.receiver.received.length;

    const accepted = await octokit.rest.apps.redeliverWebhookDelivery({ delivery_id: original.deliveryId });
    await fixture.sim.deliveriesIdle();

    expect(accepted.status).toBe(202);
    expect(accepted.data).toEqual({});
    const redelivered = target.receiver.received.slice(before);
    expect(redelivered).toHaveLength(1);
    const [request] = redelivered as [Received];
    expect(request.headers["x-github-delivery"]).toBe(original.id);
    expect(request.headers["x-github-event"]).toBe("issue_comment");
    expect(JSON.parse(request.body)).toEqual(commentPayload(4));
    expect(request.headers["x-hub-signature-256"]).toBe(sign(request.body, newSecret));
    const [first, again] = fixture.sim.deliveries;
    expect(first).toMatchObject({ id: original.deliveryId, redelivery: false, status_code: 503 });
    expect(again).toMatchObject({ guid: original.id, redelivery: true, status: "OK", status_code: 200 });
    expect(again?.id).toBeGreaterThan(original.deliveryId);
    const listed = await appApi(fixture, "/app/hook/deliveries");
    expect((listed.json as { id: number; redelivery: boolean }[])[0]).toMatchObject({
      id: again?.id,
      redelivery: true,
    });
  });

  it("refuses to redeliver an unknown delivery (404) or one older than 3 days (422)", async () => {
    const sent = await fixture.sim.deliver("ping", { zen: "Half measures are as bad as nothing at all." });
    const unknown = await appApi(fixture, "/app/hook/deliveries/12345/attempts", { method: "POST" });

    clock += 3 * DAY_MS;
    const lastDay = await appApi(fixture, `/app/hook/deliveries/${sent.deliveryId}/attempts`, {
      method: "POST",
    });
    await fixture.sim.deliveriesIdle();
    clock += 1000;
    const tooOld = await appApi(fixture, `/app/hook/deliveries/${sent.deliveryId}/attempts`, {
      method: "POST",
    });
    await fixture.sim.deliveriesIdle();

    expect(unknown.status).toBe(404);
    expect(lastDay.status).toBe(202);
    expect(tooOld).toMatchObject({ status: 422, json: { message: "Validation Failed" } });
    expect(fixture.sim.deliveries.map((delivery) => [delivery.guid, delivery.redelivery])).toEqual([
      [sent.id, false],
      [sent.id, true],
    ]);
    expect(fixture.sim.deliveries[1]?.delivered_at).toBe("2026-12-04T12:00:00Z");
  });

  it("counts the deliveries API in stats and lets a test make it fail", async () => {
    fixture.sim.resetStats();
    fixture.sim.injectFault({ route: "GET /app/hook/deliveries", times: 1, kind: "502" });
    fixture.sim.injectFault({
      route: "POST /app/hook/deliveries/{delivery_id}/attempts",
      times: 1,
      kind: "500",
    });
    const sent = await fixture.sim.deliver("ping", {});

    const failedList = await appApi(fixture, "/app/hook/deliveries");
    const list = await appApi(fixture, "/app/hook/deliveries");
    const failedRedelivery = await appApi(fixture, `/app/hook/deliveries/${sent.deliveryId}/attempts`, {
      method: "POST",
    });
    await fixture.sim.deliveriesIdle();

    expect([failedList.status, list.status, failedRedelivery.status]).toEqual([502, 200, 500]);
    expect(fixture.sim.deliveries).toHaveLength(1);
    expect(fixture.sim.stats().requests).toEqual({
      "GET /app/hook/deliveries": 2,
      "POST /app/hook/deliveries/{delivery_id}/attempts": 1,
    });
  });
});
