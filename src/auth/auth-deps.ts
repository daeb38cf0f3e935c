import type { Db } from "../db/create-prisma-client.js";
import type { AuthKeys } from "./auth-keys.js";

/** What sessions and personal tokens need: the database, the clock and the keys derived from SESSION_SECRET. */
export type AuthDeps = { db: Db; now: () => Date; keys: AuthKeys };

/** A browser session lasts 7 days from sign-in; a person signs in again after. */
export const SESSION_DAYS = 7;
