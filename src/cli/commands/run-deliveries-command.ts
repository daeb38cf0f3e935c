import type { DeliveryStatus } from "../../generated/prisma/enums.js";
import type { DeliveryView } from "../../inbox/delivery-view.js";
import { listDeliveries } from "../../inbox/list-deliveries.js";
import { readInboxSummary } from "../../inbox/read-inbox-summary.js";
import { retryDelivery } from "../../inbox/retry-delivery.js";
import { formatTable, formatTime, printable } from "../format-text.js";
import { writeJsonList } from "../write-json-list.js";
import type { CommandContext } from "./command-context.js";

// listDeliveries' largest page.
const PAGE_SIZE = 500;

/** `deliveries [--status s] [--limit n]`: stored webhook deliveries, newest first (default: the 50 newest). */
export async function runDeliveriesCommand(
  context: CommandContext,
  options: { status?: DeliveryStatus; limit?: number },
): Promise<number> {
  const { db } = context.deps;
  const pages = deliveryPages(context, { status: options.status, limit: options.limit ?? 50 });
  if (context.json) {
    await writeJsonList(context.out, "deliveries", pages);
    return 0;
  }
  const inbox = await readInboxSummary(db, context.deps.now());
  const deliveries: DeliveryView[] = [];
  for await (const page of pages) deliveries.push(...page);
  await context.out.write(
    `Inbox: ${inbox.pending} pending, ${inbox.processing} processing, ${inbox.parked} parked` +
      (inbox.pending + inbox.processing > 0
        ? ` (oldest waiting ${Math.round(inbox.oldestPendingSeconds)} s)`
        : "") +
      "\n",
  );
  if (deliveries.length === 0) return 0;
  const header = ["ID", "RECEIVED", "EVENT", "STATUS", "ATTEMPTS", "ERROR"];
  const rows = deliveries.map((delivery) => [
    delivery.id,
    formatTime(delivery.receivedAt),
    delivery.action ? `${delivery.event}.${delivery.action}` : delivery.event,
    delivery.status,
    String(delivery.attempts),
    delivery.error ? printable(`${delivery.error.code}: ${delivery.error.message}`).slice(0, 80) : "",
  ]);
  await context.out.write(formatTable([header, ...rows]));
  return 0;
}

/** `retry <delivery-id>`: a parked delivery is processed again by the app (any process sharing the database). */
export async function runRetryCommand(
  context: CommandContext,
  options: { deliveryId: string },
): Promise<number> {
  const delivery = await retryDelivery(context.deps.db, { id: options.deliveryId, now: context.deps.now() });
  if (context.json) {
    await context.out.write(`${JSON.stringify(delivery, null, 2)}\n`);
    return 0;
  }
  await context.out.write(
    `Delivery ${delivery.id} (${delivery.event}) is pending again; the app processes it shortly.\n`,
  );
  return 0;
}

async function* deliveryPages(
  context: CommandContext,
  options: { status?: DeliveryStatus; limit: number },
): AsyncGenerator<DeliveryView[]> {
  let remaining = options.limit;
  let cursor: string | undefined;
  do {
    const page = await listDeliveries(context.deps.db, {
      status: options.status,
      limit: Math.min(remaining, PAGE_SIZE),
      cursor,
    });
    yield page.deliveries;
    remaining -= page.deliveries.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && remaining > 0);
}
