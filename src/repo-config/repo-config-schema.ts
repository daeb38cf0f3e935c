import { z } from "zod";
import { expandedGlobSize, globProblem, MAX_EXPANDED_GLOB_CHARACTERS } from "../glob/compile-globs.js";

/** Where a repository's config lives (Probot's convention: read from the default branch, `_extends` allowed). */
export const REPO_CONFIG_PATH = ".github/project-sync.yml";

/** The largest file size a config may ask to keep content for: memory is a database, not a blob store. */
export const MAX_CONFIG_FILE_SIZE_BYTES = 100 * 1024 * 1024;

const glob = z
  .string()
  .min(1, "expected a non-empty glob")
  .max(1000, "a glob is at most 1000 characters")
  .superRefine((value, context) => {
    const problem = globProblem(value);
    if (problem)
      context.addIssue({ code: "custom", message: `the glob \`${value}\` cannot be used: ${problem}` });
  });
const globs = z
  .array(glob)
  .max(200, "at most 200 globs")
  .refine(
    (values) => expandedGlobSize(values) <= MAX_EXPANDED_GLOB_CHARACTERS,
    `the globs come to more than ${MAX_EXPANDED_GLOB_CHARACTERS} characters once their braces are expanded`,
  );

/**
 * `.github/project-sync.yml`, strict: an unknown key is an error (a typo such as `inlcude` must not silently sync
 * everything). Globs are picomatch's common syntax, matched in linear time by compileGlobs (see compile-globs.ts).
 * @example branches: ["main", "release/*"]
 *          paths: { include: ["src/**"], exclude: ["**\/*.snap"] }
 *          maxFileSizeBytes: 2097152
 */
export const repoConfigSchema = z.strictObject({
  /** branches to sync (globs); absent: every branch; empty: none */
  branches: globs.optional(),
  paths: z
    .strictObject({
      /** only these paths are kept in memory (absent: every path) */
      include: globs
        .min(1, "list at least one glob, or leave `include` out to include every path")
        .optional(),
      /** paths left out of memory, even when included */
      exclude: globs.optional(),
    })
    .optional(),
  /** text files larger than this keep path, SHA and size, without content */
  maxFileSizeBytes: z
    .number()
    .int("expected a whole number of bytes")
    .positive()
    .max(MAX_CONFIG_FILE_SIZE_BYTES, `at most ${MAX_CONFIG_FILE_SIZE_BYTES} (100 MiB)`)
    .optional(),
});

export type RepoConfig = z.infer<typeof repoConfigSchema>;
