import { findRepository } from "../../service/find-repository.js";
import { readWholeMemory } from "../../service/read-memory.js";
import { formatMemoryRows, MEMORY_HEADER } from "../format-memory.js";
import { printable } from "../format-text.js";
import { writeJsonList } from "../write-json-list.js";
import type { CommandContext } from "./command-context.js";

export type MemoryCommandOptions = { repository: string; branch?: string; path?: string; asOf?: string };

/** `memory <owner/repo>`: every matching entry of a branch's memory, streamed page by page however many. */
export async function runMemoryCommand(
  context: CommandContext,
  options: MemoryCommandOptions,
): Promise<number> {
  const repository = await findRepository(context.deps, options.repository);
  const pages = readWholeMemory(context.deps, {
    repository,
    branch: options.branch,
    pathPrefix: options.path,
    asOfSyncId: options.asOf,
  });
  if (context.json) {
    await writeJsonList(context.out, "entries", pages);
    return 0;
  }
  let count = 0;
  for await (const page of pages) {
    await context.out.write(`${count === 0 ? MEMORY_HEADER : ""}${formatMemoryRows(page)}`);
    count += page.length;
  }
  if (count === 0) {
    const branch = printable(options.branch ?? repository.defaultBranch);
    const under = options.path ? ` under ${printable(options.path)}` : "";
    await context.out.write(
      `No entries in the memory of ${repository.owner}/${repository.name}@${branch}${under}.\n`,
    );
  }
  return 0;
}
