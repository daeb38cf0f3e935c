/** Whether a Prisma write failed on a unique constraint (P2002): another process wrote the same key first. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
