import { z } from "zod";

const syncListSchema = z.object({
  syncs: z.array(z.object({ id: z.string(), status: z.string(), branch: z.string() })),
});
const inboxSchema = z.object({ pending: z.number(), processing: z.number() });

/**
 * Waits until the webhook inbox is empty, the repository has at least `minSyncs` syncs and none is queued or running,
 * asking the app's own REST API (the demo talks to the app only as a user would).
 */
export async function waitForIdle(options: {
  appUrl: string;
  owner: string;
  name: string;
  minSyncs?: number;
  timeoutMs?: number;
  apiToken?: string;
}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  const url = `${options.appUrl}/api/v1/repos/${encodeURIComponent(options.owner)}/${encodeURIComponent(options.name)}/syncs?limit=50`;
  const headers: Record<string, string> = options.apiToken
    ? { authorization: `Bearer ${options.apiToken}` }
    : {};
  for (;;) {
    const inbox = await fetch(`${options.appUrl}/api/v1/inbox`, { headers });
    if (!inbox.ok) throw new Error(`GET /api/v1/inbox answered ${inbox.status}: ${await inbox.text()}`);
    const waiting = inboxSchema.parse(await inbox.json());
    const response = await fetch(url, { headers });
    if (waiting.pending + waiting.processing > 0) {
      // deliveries not processed yet: their syncs are not recorded yet
    } else if (response.ok) {
      const { syncs } = syncListSchema.parse(await response.json());
      const busy = syncs.some((sync) => sync.status === "queued" || sync.status === "running");
      if (!busy && syncs.length >= (options.minSyncs ?? 0)) return;
    } else if (response.status !== 404) {
      // 404: the repository is not known yet (the start-up reconcile has not run)
      throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
    }
    if (Date.now() > deadline) throw new Error(`${options.owner}/${options.name} did not settle in time.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
