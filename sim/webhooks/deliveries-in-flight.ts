import type { SimulatorState } from "../simulator-state.js";

/** Keeps a webhook send in the in-flight set until it settles, so deliveriesIdle can wait for it. */
export function trackDelivery<T>(sim: SimulatorState, sending: Promise<T>): Promise<T> {
  const tracked: Promise<T> = sending.finally(() => sim.deliveriesInFlight.delete(tracked));
  // A failure is reported to whoever awaits the send and by deliveriesIdle, never as an unhandled rejection.
  tracked.catch(() => {});
  sim.deliveriesInFlight.add(tracked);
  return tracked;
}

/** Resolves once no webhook send is in flight (sends started meanwhile included); rejects if one failed inside the simulator. */
export async function deliveriesIdle(sim: SimulatorState): Promise<void> {
  while (sim.deliveriesInFlight.size > 0) {
    const results = await Promise.allSettled([...sim.deliveriesInFlight]);
    const failed = results.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  }
}
