import type { Db } from "../db/create-prisma-client.js";
import type { ClientFactory } from "../github/create-client-factory.js";
import type { Logger } from "../logger.js";

/** What the operations need; the CLI, the webhooks and the REST API each build one. */
export type ServiceDeps = {
  db: Db;
  /** a GitHub client authorised for the repository (token, or the app's installation), null when none is configured */
  githubFor: ClientFactory;
  now: () => Date;
  log: Logger;
  maxFileSizeBytes: number;
};
