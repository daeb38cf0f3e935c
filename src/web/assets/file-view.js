import { apiPath } from "./api.js";
import { h, replace } from "./dom.js";
import { formatBytes, shortSha } from "./format.js";
import { syncLink } from "./sync-link.js";

const REASONS = {
  binary: "This file is binary: memory keeps its SHA and size, not its content.",
  too_large: "This file was larger than the size cap when it was synced: memory keeps its SHA and size only.",
  submodule: "This is a submodule: a commit of another repository.",
};

/**
 * `/repos/:owner/:repo/file?path=&asOf=&branch=#L12`: one file of memory as it was right after a sync (or a branch's
 * memory now), with line numbers that are anchors (`#L12` scrolls to and marks line 12); a binary, too-large or
 * submodule file is named instead.
 * @param {Element} root
 * @param {import("./sync-controls.js").PageContext} context
 * @param {{ owner: string, name: string, path: string, asOf: string | null, branch?: string | null, line?: number | null }} file
 */
export async function renderFileView(root, context, file) {
  const entry = await context.api.get(
    apiPath(["repos", file.owner, file.name, "memory", "file"], {
      path: file.path,
      asOf: file.asOf,
      branch: file.branch,
    }),
  );
  document.title = `${entry.path} · ${file.owner}/${file.name} · Project Sync`;
  replace(
    root,
    h(
      "p",
      {},
      file.asOf ? [h("a", { href: `/syncs/${encodeURIComponent(file.asOf)}` }, "← Sync"), " · "] : null,
      h("a", { href: "/" }, "All repositories"),
    ),
    h(
      "article",
      { class: "card file-view", dataset: { path: entry.path } },
      h("h2", { class: "path" }, entry.path),
      h(
        "p",
        { class: "meta" },
        `${file.owner}/${file.name} · ${entry.mode} · ${formatBytes(entry.size)} · `,
        h("code", { title: entry.blobSha }, shortSha(entry.blobSha)),
        file.asOf ? [" · as of sync ", syncLink(file.asOf)] : ` · ${file.branch ?? "default branch"} now`,
      ),
      entry.content === null
        ? h(
            "p",
            { class: "omitted muted", dataset: { omitted: entry.omitted ?? "" } },
            REASONS[/** @type {keyof typeof REASONS} */ (entry.omitted)] ?? "No content stored.",
          )
        : contentLines(entry.content),
    ),
  );
  const target = file.line ? document.getElementById(`L${file.line}`) : null;
  if (target) {
    target.classList.add("target");
    target.scrollIntoView({ block: "center" });
  }
}

/** @param {string} content */
function contentLines(content) {
  const lines = content.split("\n");
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  return h(
    "table",
    { class: "file-content" },
    h(
      "tbody",
      {},
      lines.map((line, index) =>
        h(
          "tr",
          { id: `L${index + 1}` },
          h("td", { class: "line-number" }, h("a", { href: `#L${index + 1}` }, index + 1)),
          h("td", { class: "line-text" }, h("pre", {}, line)),
        ),
      ),
    ),
  );
}
