import { createHmac, randomUUID } from "node:crypto";
import { type ChainPush, pushChainPayload } from "../../sim/generate/generate-push-chains.js";
import { createRandom } from "../../sim/generate/seeded-random.js";

/** One slot of the schedule: delivery i is sent at t0 + i / rate. */
export type Slot = {
  /** which unique delivery is sent (its push is pushes[unique]) */
  unique: number;
  /** true: the same id, body and signature as the earlier slot that first sent `unique` */
  redelivery: boolean;
};

export type LoadPlan = {
  rate: number;
  durationS: number;
  slots: Slot[];
  /** unique deliveries (one push each), in the order they are first sent */
  uniqueCount: number;
  redeliveries: number;
};

/** How long before a redelivery its original was sent, at least: GitHub redelivers after the first attempt ended. */
export const REDELIVERY_MIN_GAP_S = 0.5;

/**
 * The schedule of an open-loop run: rate × duration deliveries, a share of them redeliveries of an earlier delivery
 * (sent at least REDELIVERY_MIN_GAP_S before), the rest new pushes in order. Deterministic from `seed`.
 * @example const plan = planLoad({ rate: 200, durationS: 60, redeliveryShare: 0.1, seed: 1 }); // 12,000 slots
 */
export function planLoad(options: {
  rate: number;
  durationS: number;
  redeliveryShare: number;
  seed: number;
}): LoadPlan {
  const { rate, durationS, redeliveryShare, seed } = options;
  const total = Math.max(1, Math.round(rate * durationS));
  const gap = Math.max(1, Math.ceil(rate * REDELIVERY_MIN_GAP_S));
  const random = createRandom(seed * 31 + 7);
  // Which slots are redeliveries: a uniform sample of the slots after the first `gap` ones.
  const candidates = Array.from({ length: Math.max(0, total - gap) }, (_, index) => index + gap);
  const wanted = Math.min(candidates.length, Math.round(total * redeliveryShare));
  for (let index = 0; index < wanted; index += 1) {
    const swap = random.int(index, candidates.length - 1);
    [candidates[index], candidates[swap]] = [candidates[swap] as number, candidates[index] as number];
  }
  const redeliverySlots = new Set(candidates.slice(0, wanted));
  const slots: Slot[] = [];
  // firstSent[u] = the slot that first sent unique delivery u
  const firstSent: number[] = [];
  for (let slot = 0; slot < total; slot += 1) {
    // the newest unique delivery sent at least `gap` slots ago bounds what can be redelivered now
    let eligible = firstSent.length;
    while (eligible > 0 && (firstSent[eligible - 1] as number) > slot - gap) eligible -= 1;
    if (redeliverySlots.has(slot) && eligible > 0) {
      // half of them repeat a delivery of the last 2 s (its original may still wait in the inbox), half any earlier one
      const recent = Math.max(0, eligible - Math.ceil(rate * 2));
      const from = random.chance(0.5) ? recent : 0;
      slots.push({ unique: random.int(from, eligible - 1), redelivery: true });
    } else {
      firstSent.push(slot);
      slots.push({ unique: firstSent.length - 1, redelivery: false });
    }
  }
  return {
    rate,
    durationS,
    slots,
    uniqueCount: firstSent.length,
    redeliveries: total - firstSent.length,
  };
}

/** A delivery ready to send: its GUID, signed body and every header GitHub sends. */
export type PreparedDelivery = {
  id: string;
  push: ChainPush;
  body: Buffer;
  headers: Record<string, string>;
};

// The simulator's app id and hook id (X-GitHub-Hook-*), as sim/webhooks/send-webhook.ts sends them.
const SIM_APP_ID = 1;
const SIM_HOOK_ID = 1;

/**
 * Bodies and HMAC-SHA256 signatures of the first `count` pushes, computed before the clock starts (one
 * JSON.stringify and one HMAC each), with fresh delivery GUIDs.
 */
export function prepareDeliveries(options: {
  pushes: readonly ChainPush[];
  count: number;
  repository: Record<string, unknown>;
  installationId: number;
  secret: string;
  /** push `index`'s time on GitHub (epoch seconds): `repository.pushed_at`, which orders a branch's deliveries */
  pushedAt?: (index: number) => number;
}): PreparedDelivery[] {
  const { pushes, count, repository, installationId, secret } = options;
  if (pushes.length < count) throw new Error(`${count} pushes are needed, ${pushes.length} were generated`);
  const prepared: PreparedDelivery[] = [];
  for (let index = 0; index < count; index += 1) {
    const push = pushes[index] as ChainPush;
    const id = randomUUID();
    const pushedAt = options.pushedAt?.(index);
    const body = Buffer.from(
      JSON.stringify(pushChainPayload(push, { repository, installationId, pushedAt })),
      "utf8",
    );
    prepared.push({
      id,
      push,
      body,
      headers: {
        Accept: "*/*",
        "Content-Type": "application/json",
        "Content-Length": String(body.length),
        "User-Agent": "GitHub-Hookshot/load-bench",
        "X-GitHub-Delivery": id,
        "X-GitHub-Event": "push",
        "X-GitHub-Hook-ID": String(SIM_HOOK_ID),
        "X-GitHub-Hook-Installation-Target-ID": String(SIM_APP_ID),
        "X-GitHub-Hook-Installation-Target-Type": "integration",
        "X-Hub-Signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
      },
    });
  }
  return prepared;
}
