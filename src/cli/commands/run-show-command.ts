import { AppError } from "../../errors.js";
import { findRepository } from "../../service/find-repository.js";
import { readMemoryFileAt } from "../../service/read-memory.js";
import { printable } from "../format-text.js";
import type { CommandContext } from "./command-context.js";

export type ShowCommandOptions = { repository: string; path: string; branch?: string; asOf?: string };

const REASONS = {
  binary: "binary",
  too_large: "larger than the size cap (MAX_FILE_SIZE_BYTES) when it was synced",
  submodule: "a submodule (a commit of another repository)",
} as const;

/**
 * `show <owner/repo> <path>`: a file's stored content, byte for byte, on stdout (with --json, the file and its
 * content as the REST API answers it). A file stored without content fails, naming why.
 */
export async function runShowCommand(context: CommandContext, options: ShowCommandOptions): Promise<number> {
  const repository = await findRepository(context.deps, options.repository);
  const file = await readMemoryFileAt(context.deps, {
    repository,
    branch: options.branch,
    path: options.path,
    asOfSyncId: options.asOf,
  });
  if (context.json) {
    await context.out.write(`${JSON.stringify(file, null, 2)}\n`);
    return 0;
  }
  if (file.content === null) {
    const reason = file.omitted ? REASONS[file.omitted] : "not stored";
    throw new AppError(
      "NOT_FOUND",
      `memory keeps no content for ${printable(file.path)}: it is ${reason} (${file.size} bytes, ${file.mode} ${file.blobSha}).`,
    );
  }
  await context.out.write(file.content);
  return 0;
}
