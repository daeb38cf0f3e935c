// `npm run bench:webhooks [-- --pushes 40] [-- --files 1000]`: how soon a sync's outbound webhook arrives. The real
// app (the demo's stack: GitHub App on the simulator, webhooks, worker, outbox dispatcher) on an embedded PostgreSQL
// of its own, one endpoint registered through the REST API, a receiver on 127.0.0.1 that verifies every signature with
// the `standardwebhooks` library; each push is a small commit, and the time measured is from the sync's `finishedAt`
// (recorded in finalize's transaction, with the event) to the moment its sync.succeeded reached the receiver.
// Results: bench/results/<time>-webhooks.json and a line on stdout.

import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Webhook } from "standardwebhooks";
import { startDemoStack } from "../demo/start-demo-stack.js";
import { waitForIdle } from "../demo/wait-for-idle.js";
import { commitChanges } from "../sim/generate-repository.js";
import { startEmbeddedPostgres } from "../src/db/start-embedded-postgres.js";
import { silentLogger } from "../src/logger.js";

const { values } = parseArgs({ options: { pushes: { type: "string" }, files: { type: "string" } } });
const pushes = Number(values.pushes ?? 40);
const files = Number(values.files ?? 1000);

type Arrival = { at: number; verified: boolean; type: string; syncId: string; headSha: string };
const arrivals: Arrival[] = [];
let secret = "";
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const at = Date.now();
    const body = Buffer.concat(chunks).toString("utf8");
    const payload = verified(body, request.headers as Record<string, string>);
    arrivals.push({
      at,
      verified: payload !== null,
      type: payload?.type ?? "?",
      syncId: payload?.data.syncId ?? "",
      headSha: payload?.data.headSha ?? "",
    });
    response.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

const root = await mkdtemp(path.join(os.tmpdir(), "project-sync-webhooks-bench-"));
await chmod(root, 0o755); // as root, PostgreSQL runs as the OS user "postgres", who must reach its folder
const postgres = await startEmbeddedPostgres({ dataDir: path.join(root, "pg"), persistent: false });
const stack = await startDemoStack({
  files,
  seed: 3,
  latencyMs: 0,
  port: 0,
  databaseUrl: postgres.url,
  logLevel: "fatal",
  log: silentLogger,
  env: { WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", SYNC_CONCURRENCY: "1" },
});
const latencies: number[] = [];
try {
  const idle = () => waitForIdle({ appUrl: stack.url, owner: stack.owner, name: stack.name, minSyncs: 1 });
  await idle();
  const registered = await fetch(`${stack.url}/api/v1/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: receiverUrl }),
  });
  if (registered.status !== 201) throw new Error(`registering answered ${registered.status}`);
  secret = ((await registered.json()) as { secret: string }).secret;

  let head = stack.head;
  for (let index = 0; index < pushes; index += 1) {
    head = await commitChanges({
      gitDir: stack.gitDir,
      parent: head,
      changes: { modify: 3, add: 1 },
      seed: index + 1,
    });
    await stack.sim.push(stack.owner, stack.name, stack.defaultBranch, head, { sender: "bench" });
    const arrival = await waitForArrival(head);
    const sync = (await (await fetch(`${stack.url}/api/v1/syncs/${arrival.syncId}`)).json()) as {
      finishedAt: string;
    };
    latencies.push(arrival.at - Date.parse(sync.finishedAt));
    await idle();
  }
} finally {
  await stack.stop();
  await postgres.stop();
  receiver.close();
  await rm(root, { recursive: true, force: true });
}

const sorted = [...latencies].sort((a, b) => a - b);
const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
const result = {
  pushes,
  files,
  verified: arrivals.every((arrival) => arrival.verified),
  arrivals: arrivals.length,
  finishedToDeliveredMs: { p50: at(0.5), p95: at(0.95), max: sorted.at(-1), min: sorted[0] },
  latenciesMs: latencies,
  machine: { cpus: os.cpus().length, node: process.version },
};
await mkdir("bench/results", { recursive: true });
const file = `bench/results/${new Date().toISOString().replace(/[:.]/g, "-")}-webhooks.json`;
await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(
  `sync finishedAt → sync.succeeded at the receiver, ${pushes} pushes: p50 ${result.finishedToDeliveredMs.p50} ms, ` +
    `p95 ${result.finishedToDeliveredMs.p95} ms, max ${result.finishedToDeliveredMs.max} ms; ` +
    `${arrivals.length} webhooks, every signature verified: ${result.verified} → ${file}\n`,
);
process.exit(result.verified ? 0 : 1);

type Payload = { type: string; data: { syncId: string; headSha: string } };

/** The payload when its signature verifies with the endpoint's secret (as any receiver checks it), else null. */
function verified(body: string, headers: Record<string, string>): Payload | null {
  try {
    return new Webhook(secret).verify(body, headers) as Payload;
  } catch {
    return null;
  }
}

async function waitForArrival(headSha: string): Promise<Arrival> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const arrival = arrivals.find((entry) => entry.type === "sync.succeeded" && entry.headSha === headSha);
    if (arrival) return arrival;
    if (Date.now() > deadline) throw new Error(`no sync.succeeded of ${headSha} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
