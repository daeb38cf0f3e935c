import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";

export type Db = PrismaClient;

/**
 * Every connection of the app's pools runs in UTC. Prisma's driver adapter sends a Date as a UTC wall-clock string
 * without an offset; a `timestamptz` column (or a `::timestamptz` cast in raw SQL) reads such a string in the
 * session's time zone, so a server whose default zone is not UTC would shift every such value.
 */
export const UTC_SESSION = "-c TimeZone=UTC";

const pools = new WeakMap<object, pg.Pool>();

/** A Prisma client over node-postgres (Prisma 7's driver adapter: no native query engine needed). */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    options: UTC_SESSION,
  });
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(client, pool);
  return client;
}

/**
 * The node-postgres pool under a client made by createPrismaClient, for what Prisma cannot send (COPY); undefined
 * for any other client, whose callers then take Prisma's way.
 */
export function pgPoolOf(db: object): pg.Pool | undefined {
  return pools.get(db);
}
