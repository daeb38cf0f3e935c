import { apiPath } from "./api.js";
import { h } from "./dom.js";
import { shortId, timeAgo } from "./format.js";

/**
 * A sync's links to its changes and a "compare with…" picker of the repository's other successful syncs (any
 * branch), leading to `/syncs/:id/compare/:other`.
 * @param {import("./sync-controls.js").PageContext} context
 * @param {any} sync a successful sync
 */
export function compareLinks(context, sync) {
  const [owner = "", name = ""] = String(sync.repository).split("/");
  const select = h(
    "select",
    { id: "compare-with", disabled: true },
    h("option", { value: "" }, "compare with…"),
  );
  const go = h("button", { type: "submit", class: "button secondary", disabled: true }, "Compare");
  const form = h(
    "form",
    { class: "row compare-form" },
    h(
      "a",
      { href: `/syncs/${encodeURIComponent(sync.id)}/changes`, class: "button secondary changes-link" },
      "Changes",
    ),
    h("label", { for: "compare-with", class: "visually-hidden" }, "Compare with another sync"),
    select,
    go,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (select.value)
      location.assign(`/syncs/${encodeURIComponent(sync.id)}/compare/${encodeURIComponent(select.value)}`);
  });
  select.addEventListener("change", () => {
    go.disabled = !select.value;
  });
  context.api.get(apiPath(["repos", owner, name, "syncs"], { limit: 100 })).then(
    /** @param {any} page */
    (page) => {
      for (const other of page.syncs) {
        if (other.status !== "succeeded" || other.id === sync.id) continue;
        const label = `#${shortId(other.id)} · ${other.branch} · ${timeAgo(other.createdAt)}`;
        select.append(h("option", { value: other.id }, label));
      }
      select.disabled = false;
    },
    context.fail,
  );
  return form;
}
