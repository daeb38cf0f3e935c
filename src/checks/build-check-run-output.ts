import type { SyncChange, SyncChanges } from "../memory/list-sync-changes.js";
import { type CheckRunSync, MAX_SYNC_ATTEMPTS } from "./check-run-sync.js";
import { markdownCode, markdownCodeBlock, oneLine } from "./markdown-code.js";

/** GitHub rejects a check-run summary over 65,535 characters; counting UTF-8 bytes keeps us under it for any text. */
export const SUMMARY_LIMIT = 65_535;

export type CheckRunOutput = { title: string; summary: string };

export type BuildCheckRunOutputOptions = {
  /** the paths the sync changed (a completed successful sync) */
  changes?: SyncChanges | null;
  /** for "retrying in N s" */
  now: Date;
  /** tests: a smaller limit */
  limit?: number;
};

const TITLE_MAX = 200;
const PATH_MAX = 300;
const MESSAGE_MAX = 2000;

/**
 * The title and markdown summary of a sync's check run, for any state it is in. Pure. Text from outside (paths,
 * branch names, error messages) is escaped, and the summary never exceeds GitHub's limit: the changed-path list is
 * cut to fit and says how many it leaves out.
 */
export function buildCheckRunOutput(sync: CheckRunSync, options: BuildCheckRunOutputOptions): CheckRunOutput {
  const limit = options.limit ?? SUMMARY_LIMIT;
  const before = [headLine(sync, options.now)];
  const after: string[] = [];
  if (sync.status !== "queued") before.push(countsTable(sync));
  if (isTerminal(sync)) after.push(detailsSection(sync));
  const error = sync.error ?? (sync.status === "queued" ? sync.previousError : null);
  if (error) after.push(errorSection(error, sync.status === "queued" ? "Previous attempt failed" : "Error"));
  const fixed = [...before, ...after].join("\n\n");
  const room = limit - bytes(fixed) - 4;
  const paths = options.changes && sync.status === "succeeded" ? pathsSection(options.changes, room) : null;
  const summary = [...before, ...(paths ? [paths] : []), ...after].join("\n\n");
  return { title: oneLine(title(sync, options.now), TITLE_MAX), summary: fitBytes(summary, limit) };
}

function title(sync: CheckRunSync, now: Date): string {
  switch (sync.status) {
    case "queued":
      if (sync.retryOfSyncId)
        return `${retryWhen(sync, now)} (attempt ${sync.attempt} of ${MAX_SYNC_ATTEMPTS})`;
      return "Queued";
    case "running":
      return runningTitle(sync);
    case "succeeded":
      return succeededTitle(sync);
    case "failed":
      return `Failed in ${sync.phase ?? "start"}: ${sync.error?.message ?? "unknown error"}`;
    case "cancelled":
      if (sync.error?.code === "SUPERSEDED") return supersededTitle(sync);
      return `Cancelled: ${sync.error?.message ?? "no reason given"}`;
  }
}

function retryWhen(sync: CheckRunSync, now: Date): string {
  const wait = sync.runAfter ? Math.ceil((sync.runAfter.getTime() - now.getTime()) / 1000) : 0;
  return wait > 0 ? `Retrying in ${wait} s` : "Retrying now";
}

function runningTitle(sync: CheckRunSync): string {
  switch (sync.phase) {
    case null:
      return "Starting";
    case "resolve":
      return sync.headSha ? `Reading the tree of ${sync.headSha.slice(0, 7)}` : "Reading the branch's tree";
    case "diff":
      return "Comparing with memory";
    case "fetch":
      return sync.progress
        ? `Fetching content: ${sync.progress.done} of ${sync.progress.total} files`
        : "Fetching content";
    case "finalize":
      return "Writing memory";
  }
}

function succeededTitle(sync: CheckRunSync): string {
  const { added, modified, removed, renamed } = sync.counts;
  const changed = added + modified + removed + renamed;
  if (changed === 0) return `Up to date: no file changed (${sync.counts.unchanged} files)`;
  const renames = renamed > 0 ? `, ${renamed} renamed` : "";
  return `Synced ${changed} ${changed === 1 ? "file" : "files"}: +${added} ~${modified} −${removed}${renames}`;
}

function supersededTitle(sync: CheckRunSync): string {
  const newer = sync.supersededBy;
  if (!newer) return "Superseded by a newer request";
  const at = newer.deletesBranch
    ? "deleting the branch"
    : newer.headSha
      ? `at ${newer.headSha.slice(0, 7)}`
      : "at the branch head";
  return `Superseded by a newer request (sync ${newer.id.slice(0, 8)} ${at})`;
}

function headLine(sync: CheckRunSync, now: Date): string {
  const at = sync.headSha ? ` at ${markdownCode(sync.headSha.slice(0, 7))}` : "";
  const what = `**${statusWord(sync, now)}** · branch ${markdownCode(sync.branch, { max: PATH_MAX })}${at}`;
  const by = sync.requestedBy ? `, requested by ${markdownCode(sync.requestedBy, { max: 100 })}` : "";
  return `${what}\n\nSync ${markdownCode(sync.id)} · trigger ${sync.trigger}${sync.full ? " (full)" : ""}${by}`;
}

function statusWord(sync: CheckRunSync, now: Date): string {
  switch (sync.status) {
    case "queued":
      return sync.retryOfSyncId ? retryWhen(sync, now) : "Queued";
    case "running":
      return `Running: ${sync.phase ?? "starting"}`;
    case "succeeded":
      return "Succeeded";
    case "failed":
      return "Failed";
    case "cancelled":
      return sync.error?.code === "SUPERSEDED" ? "Superseded" : "Cancelled";
  }
}

function countsTable(sync: CheckRunSync): string {
  const { added, modified, removed, renamed, unchanged } = sync.counts;
  return [
    "| added | modified | removed | renamed | unchanged |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${added} | ${modified} | ${removed} | ${renamed} | ${unchanged} |`,
  ].join("\n");
}

function detailsSection(sync: CheckRunSync): string {
  const lines = ["### Details"];
  const started = sync.startedAt ?? sync.createdAt;
  if (sync.finishedAt)
    lines.push(`- duration: ${formatDuration(sync.finishedAt.getTime() - started.getTime())}`);
  lines.push(`- previous sync: ${sync.previousSyncId ? markdownCode(sync.previousSyncId) : "none"}`);
  if (sync.generation !== null) lines.push(`- generation: ${sync.generation}`);
  if (sync.baseSha) lines.push(`- base commit: ${markdownCode(sync.baseSha)}`);
  if (sync.restoredFromSyncId) lines.push(`- restored from: ${markdownCode(sync.restoredFromSyncId)}`);
  lines.push(
    `- GitHub requests: ${sync.githubRequests}; files fetched: ${sync.filesFetched} (${formatBytes(sync.bytesFetched)})`,
  );
  if (sync.attempt > 1) lines.push(`- attempt ${sync.attempt} of ${MAX_SYNC_ATTEMPTS}`);
  return lines.join("\n");
}

function errorSection(error: { code: string; message: string }, heading: string): string {
  return `### ${heading}: ${markdownCode(error.code, { max: 50 })}\n\n${markdownCodeBlock(error.message, { max: MESSAGE_MAX })}`;
}

/** The changed paths, as many as fit in `room` bytes, then how many are left out. */
function pathsSection(changes: SyncChanges, room: number): string | null {
  const { added, modified, removed, renamed } = changes.totals;
  const total = added + modified + removed + renamed;
  if (total === 0) return null;
  const heading = `### Changed paths (${total})`;
  // Reserve room for the longest "left out" line, so it always fits after the last path that did.
  const reserve = bytes(leftOut(total)) + 1;
  let used = bytes(heading) + 1 + reserve;
  const lines: string[] = [];
  for (const change of changes.changes) {
    const line = changeLine(change);
    if (used + bytes(line) + 1 > room) break;
    used += bytes(line) + 1;
    lines.push(line);
  }
  if (lines.length === 0 && used > room) return null;
  const omitted = total - lines.length;
  return [heading, "", ...lines, ...(omitted > 0 ? [leftOut(omitted)] : [])].join("\n");
}

function leftOut(count: number): string {
  return `\n_…and ${count} more not shown._`;
}

function changeLine(change: SyncChange): string {
  const path = markdownCode(change.path, { max: PATH_MAX });
  if (change.change === "renamed") {
    return `- renamed ${markdownCode(change.previousPath, { max: PATH_MAX })} → ${path}`;
  }
  return `- ${change.change} ${path}`;
}

function isTerminal(sync: CheckRunSync): boolean {
  return sync.status === "succeeded" || sync.status === "failed" || sync.status === "cancelled";
}

/** The last resort: never more than `limit` bytes, cut at a character boundary. */
function fitBytes(text: string, limit: number): string {
  if (bytes(text) <= limit) return text;
  const cut = Buffer.from(text, "utf8")
    .subarray(0, limit - 4)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  return `${cut}\n…`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

function formatBytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KB`;
  return `${(count / (1024 * 1024)).toFixed(1)} MB`;
}
