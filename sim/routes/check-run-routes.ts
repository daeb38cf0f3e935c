import { z } from "zod";
import { json, notFound, unprocessable } from "../reply.js";
import { readCommitInfo, resolveCommitSha } from "../resolve-git-ref.js";
import type { RouteHandler } from "../router.js";
import type { SimCheckRun, SimRepository } from "../sim-repository.js";
import { repositoryApiUrl, requireRepository, type SimulatorState } from "../simulator-state.js";
import { SIM_APP } from "./app-routes.js";

// GitHub's documented limits, enforced so that code truncating to them is tested against them.
const MAX_OUTPUT_CHARS = 65_535;
const MAX_ANNOTATIONS = 50;

const annotationSchema = z.object({
  path: z.string(),
  start_line: z.number().int(),
  end_line: z.number().int(),
  annotation_level: z.enum(["notice", "warning", "failure"]),
  message: z.string().max(64 * 1024),
  title: z.string().optional(),
  raw_details: z.string().optional(),
  start_column: z.number().int().optional(),
  end_column: z.number().int().optional(),
});

const checkRunInputSchema = z.object({
  name: z.string().min(1).optional(),
  head_sha: z.string().optional(),
  details_url: z.string().optional(),
  external_id: z.string().optional(),
  status: z.enum(["queued", "in_progress", "completed", "waiting", "requested", "pending"]).optional(),
  started_at: z.string().optional(),
  conclusion: z
    .enum(["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"])
    .optional(),
  completed_at: z.string().optional(),
  output: z
    .object({
      title: z.string(),
      summary: z.string().max(MAX_OUTPUT_CHARS),
      text: z.string().max(MAX_OUTPUT_CHARS).optional(),
      annotations: z.array(annotationSchema).max(MAX_ANNOTATIONS).optional(),
      images: z
        .array(z.object({ alt: z.string(), image_url: z.string(), caption: z.string().optional() }))
        .optional(),
    })
    .optional(),
  actions: z
    .array(
      z.object({
        label: z.string().max(20),
        description: z.string().max(40),
        identifier: z.string().max(20),
      }),
    )
    .max(3)
    .optional(),
});

type CheckRunInput = z.infer<typeof checkRunInputSchema>;

/** `POST /repos/{owner}/{repo}/check-runs`: validated like GitHub (limits included); ids count up from 1. */
export const createCheckRun: RouteHandler = async ({ sim, params, body }) => {
  const repository = requireRepository(sim, params);
  const input = parseInput(body);
  if (!input.name) throw unprocessable('Invalid request.\n\n"name" wasn\'t supplied.');
  if (!input.head_sha) throw unprocessable('Invalid request.\n\n"head_sha" wasn\'t supplied.');
  if (!(await readCommitInfo(repository, input.head_sha)))
    throw unprocessable(`No commit found for SHA: ${input.head_sha}`);
  const id = sim.nextId.checkRun++;
  const run: SimCheckRun = {
    id,
    head_sha: input.head_sha,
    name: input.name,
    status: "queued",
    conclusion: null,
    started_at: new Date().toISOString(),
    completed_at: null,
    details_url: null,
    external_id: "",
    output: { title: null, summary: null, text: null, annotations_count: 0 },
    actions: [],
  };
  applyInput(run, input);
  repository.checkRuns.push(run);
  return json(checkRunJson(sim, repository, run), 201);
};

/** `PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}`: merges the given fields; annotations accumulate. */
export const updateCheckRun: RouteHandler = ({ sim, params, body }) => {
  const repository = requireRepository(sim, params);
  const run = repository.checkRuns.find((item) => String(item.id) === params.check_run_id);
  if (!run) throw notFound();
  applyInput(run, parseInput(body));
  return json(checkRunJson(sim, repository, run));
};

/** `GET /repos/{owner}/{repo}/check-runs/{check_run_id}` */
export const getCheckRun: RouteHandler = ({ sim, params }) => {
  const repository = requireRepository(sim, params);
  const run = repository.checkRuns.find((item) => String(item.id) === params.check_run_id);
  if (!run) throw notFound();
  return json(checkRunJson(sim, repository, run));
};

/** `GET /repos/{owner}/{repo}/commits/{ref}/check-runs`: newest first; `filter=latest` (default) keeps one per name. */
export const listCheckRunsForRef: RouteHandler = async ({ sim, params, query }) => {
  const repository = requireRepository(sim, params);
  const sha = await resolveCommitSha(repository, params.ref ?? "");
  if (!sha) throw unprocessable(`No commit found for SHA: ${params.ref}`);
  const checkName = query.get("check_name");
  const status = query.get("status");
  const seen = new Set<string>();
  const runs = repository.checkRuns
    .filter((run) => run.head_sha === sha)
    .filter((run) => checkName === null || run.name === checkName)
    .filter((run) => status === null || run.status === status)
    .reverse()
    .filter((run) => {
      if (query.get("filter") === "all") return true;
      if (seen.has(run.name)) return false;
      seen.add(run.name);
      return true;
    });
  return json({
    total_count: runs.length,
    check_runs: runs.map((run) => checkRunJson(sim, repository, run)),
  });
};

function parseInput(body: unknown): CheckRunInput {
  const parsed = checkRunInputSchema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `"${issue.path.join(".")}": ${issue.message}`);
  throw unprocessable(`Invalid request.\n\n${issues.join("\n")}`);
}

function applyInput(run: SimCheckRun, input: CheckRunInput): void {
  const { output, conclusion, ...rest } = input;
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) run[key] = value;
  if (conclusion !== undefined) {
    // GitHub: providing a conclusion completes the run.
    run.conclusion = conclusion;
    run.status = "completed";
  }
  if (run.status === "completed" && run.conclusion === null) {
    throw unprocessable('Invalid request.\n\n"conclusion" is required when status is "completed".');
  }
  if (run.status === "completed" && !run.completed_at) run.completed_at = new Date().toISOString();
  if (output) {
    const previous = run.output as { annotations_count: number };
    run.output = {
      title: output.title,
      summary: output.summary,
      text: output.text ?? null,
      annotations_count: previous.annotations_count + (output.annotations?.length ?? 0),
    };
  }
}

function checkRunJson(sim: SimulatorState, repository: SimRepository, run: SimCheckRun) {
  const api = repositoryApiUrl(sim, repository);
  return {
    ...run,
    node_id: `CR_${run.id}`,
    url: `${api}/check-runs/${run.id}`,
    html_url: `${sim.url}/${repository.owner}/${repository.name}/runs/${run.id}`,
    output: { ...(run.output as object), annotations_url: `${api}/check-runs/${run.id}/annotations` },
    check_suite: { id: run.id },
    app: SIM_APP,
    pull_requests: [],
  };
}
