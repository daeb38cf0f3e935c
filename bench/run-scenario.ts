// One benchmark measurement in a process of its own, so its peak memory is its own. Prints one JSON line.
import { z } from "zod";
import { createPrismaClient } from "../src/db/create-prisma-client.js";
import { createOctokit } from "../src/github/create-octokit.js";
import { silentLogger } from "../src/logger.js";
import { executeSync } from "../src/service/execute-sync.js";
import { requestInlineSync } from "../src/service/request-inline-sync.js";
import { baselineSync } from "./baseline-sync.js";

const inputSchema = z.object({
  impl: z.enum(["ours", "baseline"]),
  databaseUrl: z.string(),
  apiUrl: z.string(),
  repositoryId: z.string(),
  branch: z.string(),
  headSha: z.string(),
  maxFileSizeBytes: z.number(),
  baselineBudgetMs: z.number(),
});

export type ScenarioMeasurement = {
  impl: "ours" | "baseline";
  wallMs: number;
  status: string;
  counts: Record<string, number>;
  rowsWritten: number;
  peakRssMb: number;
  /** baseline only: it stopped at its time budget after `processed` of `total` tree entries */
  partial: { processed: number; total: number } | null;
  /** ours only: milliseconds spent in each phase ("start" is queueing and claiming) */
  phases: Record<string, number>;
};

const input = inputSchema.parse(JSON.parse(process.argv[2] ?? "{}"));
const db = createPrismaClient(input.databaseUrl);
const octokit = createOctokit({ auth: "ghs_bench", baseUrl: input.apiUrl });
const repository = await db.repository.findUniqueOrThrow({ where: { id: input.repositoryId } });
const started = new Date();
const t0 = performance.now();
let syncId: string;
let status: string;
let counts: Record<string, number>;
let partial: ScenarioMeasurement["partial"] = null;
const phases: Record<string, number> = {};
if (input.impl === "ours") {
  const deps = {
    db,
    githubFor: async () => octokit,
    now: () => new Date(),
    log: silentLogger,
    maxFileSizeBytes: input.maxFileSizeBytes,
  };
  const queued = await requestInlineSync(deps, {
    repository,
    branch: input.branch,
    headSha: input.headSha,
    trigger: "push",
  });
  let phaseStarted = performance.now();
  let phase = "start";
  const sync = await executeSync(deps, {
    syncId: queued.id,
    onEvent: (event) => {
      if (event.type === "progress" || (event.type === "phase" && event.phase === phase)) return;
      phases[phase] = Math.round(performance.now() - phaseStarted);
      phase = event.type === "status" ? "done" : (event.phase ?? "start");
      phaseStarted = performance.now();
    },
  });
  syncId = sync.id;
  status = sync.error ? `${sync.status}: ${sync.error.message}` : sync.status;
  counts = sync.counts;
} else {
  const result = await baselineSync({
    db,
    client: octokit,
    repository,
    branch: input.branch,
    maxFileSizeBytes: input.maxFileSizeBytes,
    deadline: Date.now() + input.baselineBudgetMs,
  });
  syncId = result.syncId;
  status = result.timedOut ? "partial" : "succeeded";
  counts = { added: result.added, modified: result.modified, removed: result.removed };
  if (result.timedOut) partial = { processed: result.processed, total: result.total };
}
const wallMs = performance.now() - t0;
const [inserted, superseded, files] = await Promise.all([
  db.memoryEntry.count({ where: { syncId } }),
  db.memoryEntry.count({ where: { supersededBySyncId: syncId } }),
  db.repositoryFile.count({ where: { repositoryId: repository.id, createdAt: { gte: started } } }),
]);
const measurement: ScenarioMeasurement = {
  impl: input.impl,
  wallMs: Math.round(wallMs),
  status,
  counts,
  rowsWritten: inserted + superseded + files,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  partial,
  phases,
};
process.stdout.write(`${JSON.stringify(measurement)}\n`);
await db.$disconnect();
