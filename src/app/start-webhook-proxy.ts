import type { Logger } from "../logger.js";

export type StartWebhookProxyOptions = {
  /** the smee.io channel (WEBHOOK_PROXY_URL) */
  source: string;
  /** this server's webhook endpoint */
  target: string;
  log: Logger;
};

/**
 * Development: relays the webhooks GitHub sends to a smee.io channel to this server. smee-client is a development
 * dependency; without it the log says how to run the relay by hand. Resolves with a stop function.
 */
export async function startWebhookProxy(options: StartWebhookProxyOptions): Promise<() => Promise<void>> {
  let SmeeClient: typeof import("smee-client").SmeeClient;
  try {
    ({ SmeeClient } = await import("smee-client"));
  } catch {
    options.log.warn(
      `WEBHOOK_PROXY_URL is set but smee-client is not installed: run \`npx smee-client --url ${options.source} --target ${options.target}\` in another terminal.`,
    );
    return async () => {};
  }
  const client = new SmeeClient({
    source: options.source,
    target: options.target,
    logger: {
      info: (message: string) => options.log.debug(message),
      error: (message: string) => options.log.warn(message),
    },
  });
  await client.start();
  options.log.info(`Relaying webhooks from ${options.source} to ${options.target}`);
  return () => client.stop();
}
