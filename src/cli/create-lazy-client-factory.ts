import type { Env } from "../config/env.js";
import type { ClientFactory, ClientFactoryOptions } from "../github/create-client-factory.js";

/**
 * createClientFactory, imported on the first call: Octokit and its plugins are only loaded by the commands that
 * reach GitHub (`sync`), not by the read-only ones.
 */
export function createLazyClientFactory(env: Env, options: ClientFactoryOptions): ClientFactory {
  let factory: Promise<ClientFactory> | undefined;
  return async (repository) => {
    factory ??= import("../github/create-client-factory.js").then((module) =>
      module.createClientFactory(env, options),
    );
    return (await factory)(repository);
  };
}
