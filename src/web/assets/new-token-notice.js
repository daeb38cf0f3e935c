import { h } from "./dom.js";

/**
 * A token just created: the secret (the only time the page has it), a Copy button and a clear warning; "Done" drops it
 * from the page.
 * @param {any} created the API's created token, with `token`
 */
export function newTokenNotice(created) {
  const secret = h("input", {
    class: "mono new-token-value",
    readOnly: true,
    value: created.token,
    "aria-label": "New token",
    spellcheck: false,
  });
  const status = h("span", { class: "muted", role: "status" });
  const copy = h("button", { type: "button", class: "button small" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      status.textContent = "Copied.";
    } catch {
      secret.select();
      status.textContent = "Selected: copy it with Ctrl+C (⌘C).";
    }
  });
  const notice = h(
    "div",
    { class: "card new-token", role: "region", "aria-label": "New token" },
    h("p", {}, "Token ", h("strong", { class: "token-name" }, created.name), ` (${created.scope}) created.`),
    h(
      "p",
      { class: "warning" },
      "Copy it now: you won't see it again. Send it as ",
      h("code", {}, "Authorization: Bearer <token>"),
      ".",
    ),
    h("div", { class: "row" }, secret, copy, status),
  );
  const done = h("button", { type: "button", class: "button secondary small" }, "Done");
  done.addEventListener("click", () => notice.remove());
  notice.append(h("div", { class: "actions" }, done));
  return notice;
}
