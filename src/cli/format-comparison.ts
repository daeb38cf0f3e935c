import type { SyncFileChange } from "../service/compare-syncs.js";
import { printable } from "./format-text.js";

const LETTER = { added: "A", removed: "D", modified: "M", mode: "M", type: "T", renamed: "R" } as const;

/** One change as `git diff --name-status` prints it: `M\tpath`, `R087\told\tnew`. */
export function formatNameStatus(change: SyncFileChange): string {
  if (change.status === "renamed") {
    const score = String(change.similarity ?? 0).padStart(3, "0");
    return `R${score}\t${printable(change.previousPath ?? "")}\t${printable(change.path)}\n`;
  }
  return `${LETTER[change.status]}\t${printable(change.path)}\n`;
}

/** One change as `git diff` prints it: the `diff --git` header lines, then the unified diff (or why there is none). */
export function formatFilePatch(change: SyncFileChange): string {
  const oldPath = printable(change.previousPath ?? change.path);
  const newPath = printable(change.path);
  const lines = [`diff --git a/${oldPath} b/${newPath}`];
  if (!change.old && change.new) lines.push(`new file mode ${change.new.mode}`);
  if (change.old && !change.new) lines.push(`deleted file mode ${change.old.mode}`);
  if (change.old && change.new && change.old.mode !== change.new.mode) {
    lines.push(`old mode ${change.old.mode}`, `new mode ${change.new.mode}`);
  }
  if (change.status === "renamed") {
    lines.push(`similarity index ${change.similarity}%`, `rename from ${oldPath}`, `rename to ${newPath}`);
  }
  const patch = change.patch;
  if (patch?.omitted) lines.push(`(no patch: ${patch.omitted.replace("_", " ")})`);
  const header = `${lines.join("\n")}\n`;
  if (!patch?.text) return header;
  return `${header}${patch.text}${patch.truncated ? "(patch cut: 256 KB or 5000 lines at most)\n" : ""}`;
}
