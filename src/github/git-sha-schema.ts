import { z } from "zod";

/** A full git object id as GitHub spells it (SHA-1, lowercase hex). */
export const gitShaSchema = z.string().regex(/^[0-9a-f]{40}$/, "expected a 40-character hex git SHA");
