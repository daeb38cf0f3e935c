import { signInHref } from "./account.js";
import { h, replace } from "./dom.js";
import { tokenForm } from "./token-form.js";

/**
 * The API asked who is there (401) on a server with sign in with GitHub: a card to sign in, and, folded away, the
 * operator's API_TOKEN form.
 * @param {Element} root
 * @param {{ refused: boolean, onToken: () => void }} options as for the token form
 */
export function renderSignInCard(root, options) {
  const operator = h(
    "details",
    { class: "operator-token", open: options.refused },
    h("summary", {}, "Operator: use the API token instead"),
    tokenForm(options),
  );
  replace(
    root,
    h(
      "section",
      { class: "card sign-in-card", "aria-labelledby": "sign-in-title" },
      h("h2", { id: "sign-in-title" }, "Sign in"),
      h(
        "p",
        {},
        "Sign in with your GitHub account to see the repositories GitHub lets you read, and to sync those you can write to.",
      ),
      h("a", { class: "button", href: signInHref() }, "Sign in with GitHub"),
    ),
    operator,
  );
}
