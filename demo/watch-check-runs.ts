import type { GitHubSimulator } from "../sim/create-github-simulator.js";

export type CompletedCheckRun = {
  id: number;
  headSha: string;
  conclusion: string | null;
  title: string | null;
  detailsUrl: string | null;
};

type CheckRunJson = {
  id: number;
  head_sha: string;
  conclusion: string | null;
  details_url: string | null;
  output?: { title?: string | null };
};

/**
 * Calls `onCompleted` for every check run the app completes on the simulator (read from the simulator's recorded
 * writes, then fetched from its API for the details). Returns a function that stops watching.
 */
export function watchCheckRuns(options: {
  sim: GitHubSimulator;
  apiUrl: string;
  owner: string;
  name: string;
  onCompleted: (run: CompletedCheckRun) => void;
  intervalMs?: number;
}): () => void {
  const { sim } = options;
  let seen = 0;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const writes = sim.recorded.slice(seen);
      seen += writes.length;
      for (const write of writes) {
        const body = write.body as { status?: string; conclusion?: string } | null;
        const id = write.params.check_run_id;
        if (write.method !== "PATCH" || !id || write.status >= 300) continue;
        if (body?.status !== "completed" && !body?.conclusion) continue;
        const response = await fetch(
          `${options.apiUrl}/repos/${options.owner}/${options.name}/check-runs/${id}`,
          { headers: { authorization: "token demo" } },
        );
        if (!response.ok) continue;
        const run = (await response.json()) as CheckRunJson;
        options.onCompleted({
          id: run.id,
          headSha: run.head_sha,
          conclusion: run.conclusion,
          title: run.output?.title ?? null,
          detailsUrl: run.details_url,
        });
      }
    } finally {
      busy = false;
    }
  }, options.intervalMs ?? 250);
  return () => clearInterval(timer);
}
