import { z } from "zod";

/**
 * A full git object id as GitHub spells it (SHA-1, lowercase hex): the one schema of a SHA, for GitHub's answers and
 * for the SHAs users give alike. Its message follows the field's name (`headSha must be …`).
 */
export const gitShaSchema = z
  .string()
  .regex(/^[0-9a-f]{40}$/, "must be a full 40-character lower-case hex SHA");
