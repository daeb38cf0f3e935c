import { once } from "node:events";
import type { Writable } from "node:stream";

/**
 * Waits until a stream that refused a write (`write()` returned false) can take more, or has closed. Both waits are
 * removed once one of them ends, so a slow client does not collect a pair of listeners per refused write.
 */
export async function waitForDrain(stream: Writable): Promise<void> {
  const done = new AbortController();
  const settle = (event: string) =>
    once(stream, event, { signal: done.signal }).then(
      () => undefined,
      () => undefined,
    );
  try {
    await Promise.race([settle("drain"), settle("close")]);
  } finally {
    done.abort();
  }
}
