import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;

/**
 * Every connection of the app's pools runs in UTC. Prisma's driver adapter sends a Date as a UTC wall-clock string
 * without an offset; a `timestamptz` column (or a `::timestamptz` cast in raw SQL) reads such a string in the
 * session's time zone, so a server whose default zone is not UTC would shift every such value.
 */
export const UTC_SESSION = "-c TimeZone=UTC";

/** A Prisma client over node-postgres (Prisma 7's driver adapter: no native query engine needed). */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    options: UTC_SESSION,
  });
  return new PrismaClient({ adapter });
}
