import type { RequestHandler } from "express";
import { Probot } from "probot";
import type { Env } from "../config/env.js";
import { AppError } from "../errors.js";
import { githubApiBaseUrl } from "../github/github-api-base-url.js";
import { readAppPrivateKey } from "../github/read-app-private-key.js";
import type { ProjectSyncAppDeps } from "../handlers/project-sync-app-deps.js";
import type { Logger } from "../logger.js";
import { createProjectSyncApp } from "./create-project-sync-app.js";
import { type CreateSetupMiddlewareOptions, createSetupMiddleware } from "./create-setup-middleware.js";

export type GitHubAppMode =
  /** APP_ID, private key and WEBHOOK_SECRET: webhooks are handled */
  | "app"
  /** no app credentials outside production: Probot's manifest flow registers the app */
  | "setup"
  /** GITHUB_TOKEN only, or an app without its webhook secret: queued syncs run, no webhooks */
  | "worker-only";

export type GitHubAppMiddleware = {
  mode: GitHubAppMode;
  /** mounted after /healthz, before anything that parses bodies (the setup flow; webhooks go to the inbox) */
  middleware: RequestHandler[];
  /**
   * the app's Probot with the handlers loaded: the inbox runs stored deliveries through `probot.receive`, reconcile
   * authenticates through it; null unless mode is "app"
   */
  probot: Probot | null;
};

export type CreateGitHubAppMiddlewareOptions = {
  env: Env;
  log: Logger;
  deps: Omit<ProjectSyncAppDeps, "appId">;
  /** tests: where the setup flow writes credentials, and smee's client */
  setup?: Pick<CreateSetupMiddlewareOptions, "updateEnv" | "SmeeClient">;
};

/** Chooses how the server meets GitHub from the credentials at hand, and builds the matching middleware. */
export async function createGitHubAppMiddleware(
  options: CreateGitHubAppMiddlewareOptions,
): Promise<GitHubAppMiddleware> {
  const { env, log } = options;
  const privateKey = await readAppPrivateKey(env);
  if (!env.APP_ID || !privateKey) {
    if (env.NODE_ENV === "production") {
      log.warn(
        "APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) are not set: webhooks are not handled; queued syncs still run.",
      );
      return { mode: "worker-only", middleware: [], probot: null };
    }
    log.info(
      `No GitHub App configured: open http://localhost:${env.PORT}/probot to register one (see README).`,
    );
    const setup = await createSetupMiddleware({ host: env.HOST, port: env.PORT, log, ...options.setup });
    return { mode: "setup", middleware: [setup], probot: null };
  }
  const appId = Number(env.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0) {
    throw new AppError("CONFIG_INVALID", `APP_ID must be the GitHub App's numeric id; got "${env.APP_ID}".`);
  }
  if (!env.WEBHOOK_SECRET) {
    log.warn("WEBHOOK_SECRET is not set: webhooks are not handled until it is (the app's webhook secret).");
    return { mode: "worker-only", middleware: [], probot: null };
  }
  const probot = new Probot({
    appId,
    privateKey,
    secret: env.WEBHOOK_SECRET,
    logLevel: env.LOG_LEVEL,
    ...(env.GHE_HOST ? { baseUrl: githubApiBaseUrl(env) } : {}),
  });
  await probot.load(createProjectSyncApp({ ...options.deps, appId }));
  return { mode: "app", middleware: [], probot };
}
