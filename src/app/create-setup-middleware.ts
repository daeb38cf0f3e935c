import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { Request, RequestHandler } from "express";
import { isLoopbackAddress, isLoopbackHost } from "../api/is-loopback-address.js";
import type { Logger } from "../logger.js";

export type CreateSetupMiddlewareOptions = {
  /** where the server listens, for the welcome message */
  host: string;
  port: number;
  log: Logger;
  /** writes the app's credentials (default: Probot's, into ./.env and process.env) */
  updateEnv?: (env: Record<string, string>) => unknown;
  /** smee.io's client, for a webhook proxy channel when WEBHOOK_PROXY_URL is unset (Probot tries npx without it) */
  SmeeClient?: unknown;
};

type SetupHandler = (req: unknown, res: unknown) => Promise<boolean>;
type SetupAppFactory = (options: Record<string, unknown>) => () => Promise<SetupHandler>;

/**
 * Probot's manifest setup flow as Express middleware, answering browsers on this machine only (it writes the app's
 * credentials to .env): GET / redirects to /probot, which registers the GitHub App from
 * app.yml; /probot/setup exchanges GitHub's code for the app's id, private key and webhook secret and writes them to
 * .env. Probot 14 runs it only inside its own server (`run()`), and its package exports neither the factory nor that
 * file, so the factory is loaded from Probot's installed files, next to its entry point.
 */
export async function createSetupMiddleware(options: CreateSetupMiddlewareOptions): Promise<RequestHandler> {
  const probotEntry = createRequire(import.meta.url).resolve("probot");
  const setupUrl = new URL("./apps/setup.js", pathToFileURL(probotEntry));
  const { setupAppFactory } = (await import(setupUrl.href)) as { setupAppFactory: SetupAppFactory };
  const handler = await setupAppFactory({
    host: options.host,
    port: options.port,
    log: options.log,
    ...(options.updateEnv ? { updateEnv: options.updateEnv } : {}),
    ...(options.SmeeClient ? { SmeeClient: options.SmeeClient } : {}),
  })();
  return async (req, res, next) => {
    try {
      if (isSetupPath(req.path) && !fromThisMachine(req)) {
        // the flow writes the app's credentials to .env: nobody else on the network may drive it
        res
          .status(403)
          .type("text/plain")
          .send(
            `The GitHub App setup answers only on this machine: open http://localhost:${options.port}/probot here, or set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET by hand (see README).\n`,
          );
        return;
      }
      if (!(await handler(req, res))) next();
    } catch (error) {
      next(error);
    }
  };
}

function isSetupPath(path: string): boolean {
  return path === "/" || path === "/probot" || path.startsWith("/probot/");
}

/** A browser on this machine, addressing this server by a loopback name (not a DNS-rebound one). */
function fromThisMachine(req: Request): boolean {
  const host = req.headers.host;
  return isLoopbackAddress(req.socket.remoteAddress) && (host === undefined || isLoopbackHost(host));
}
