import { buildFilePatch } from "../compare/build-file-patch.js";
import { readBlobContents } from "../memory/read-blob-contents.js";
import type { SyncFileChange } from "./compare-syncs.js";
import type { ServiceDeps } from "./service-deps.js";

/** All patches of one page together stay under this many bytes; later files say `page_budget` instead. */
export const PAGE_PATCH_BUDGET_BYTES = 2 * 1024 * 1024;

/** Adds each change's unified diff, from the stored texts, one file's contents in memory at a time. */
export async function buildPagePatches(
  deps: Pick<ServiceDeps, "db">,
  repositoryId: string,
  page: SyncFileChange[],
): Promise<void> {
  let budget = PAGE_PATCH_BUDGET_BYTES;
  for (const change of page) {
    if (budget <= 0) {
      change.patch = { text: null, truncated: false, omitted: "page_budget" };
      continue;
    }
    const shas = [change.old, change.new].flatMap((side) =>
      side && side.omitted === null ? [side.blobSha] : [],
    );
    const contents = await readBlobContents(deps.db, repositoryId, shas);
    change.patch = buildFilePatch(change, {
      old: change.old ? (contents.get(change.old.blobSha) ?? null) : null,
      new: change.new ? (contents.get(change.new.blobSha) ?? null) : null,
    });
    budget -= Buffer.byteLength(change.patch.text ?? "");
  }
}
