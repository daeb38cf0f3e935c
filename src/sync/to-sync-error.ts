import { AppError, toAppError } from "../errors.js";

// Lost or refused database connections (node-postgres / PostgreSQL SQLSTATE / Prisma), and a transaction that lost a
// deadlock or write conflict: running the sync again later may succeed.
const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "53300",
  "57P01",
  "57P02",
  "57P03",
  "40001",
  "40P01",
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P2024",
  "P2034",
]);
const TRANSIENT_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
const TRANSIENT_MESSAGE =
  /Connection terminated|Can't reach database server|Client has encountered a connection error/i;

/**
 * What a failed sync records: AppErrors as they are; a database that went away (or a lost deadlock) becomes
 * DATABASE_UNAVAILABLE, retryable; anything else INTERNAL.
 */
export function toSyncError(thrown: unknown): AppError {
  if (thrown instanceof AppError) return thrown;
  if (isTransientDatabaseError(thrown)) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return new AppError("DATABASE_UNAVAILABLE", `The database was unavailable during the sync: ${message}`, {
      retryable: true,
      cause: thrown,
    });
  }
  return toAppError(thrown);
}

function isTransientDatabaseError(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; current && typeof current === "object" && !seen.has(current); ) {
    seen.add(current);
    const fields = current as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown };
    if (typeof fields.code === "string" && TRANSIENT_CODES.has(fields.code)) return true;
    if (typeof fields.originalCode === "string" && TRANSIENT_CODES.has(fields.originalCode)) return true;
    if (typeof fields.kind === "string" && TRANSIENT_KINDS.has(fields.kind)) return true;
    if (typeof fields.message === "string" && TRANSIENT_MESSAGE.test(fields.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
