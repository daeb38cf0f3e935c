import { storeToken } from "./api.js";
import { h, replace } from "./dom.js";

/**
 * The API asked for its token (401): a small form instead of `prompt()`. The token is kept in sessionStorage for the
 * browser session only, then `onToken` runs the page again.
 * @param {Element} root
 * @param {{ refused: boolean, onToken: () => void }} options `refused`: a token was sent and the server refused it
 */
export function renderTokenForm(root, options) {
  const form = tokenForm(options);
  replace(root, form);
  form.querySelector("input")?.focus();
}

/**
 * The form itself (also offered to the operator under "Sign in with GitHub").
 * @param {{ refused: boolean, onToken: () => void }} options
 */
export function tokenForm({ refused, onToken }) {
  const input = h("input", {
    id: "api-token",
    name: "token",
    type: "password",
    autocomplete: "off",
    required: true,
    spellcheck: false,
  });
  const form = h(
    "form",
    { class: "card token-form", "aria-labelledby": "token-title" },
    h("h2", { id: "token-title" }, "API token"),
    h(
      "p",
      {},
      "This server requires its API token (the API_TOKEN it was started with). It is kept for this browser session only.",
    ),
    refused ? h("p", { class: "error", role: "alert" }, "That token was refused. Try again.") : null,
    h("label", { for: "api-token" }, "Token"),
    h("div", { class: "row" }, input, h("button", { type: "submit", class: "button" }, "Continue")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    storeToken(token);
    onToken();
  });
  return form;
}
