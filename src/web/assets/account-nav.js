import { signInHref, signOut } from "./account.js";
import { h, replace } from "./dom.js";

/**
 * The header's account corner: nothing when sign-in is not set up (the laptop), "Sign in with GitHub" when nobody is
 * signed in, else the person's login (as text), a link to their tokens and "Sign out".
 * @param {Element} nav
 * @param {import("./account.js").Account} account
 * @param {{ onSignedOut: () => void, fail: (error: unknown) => void }} options
 */
export function renderAccountNav(nav, account, { onSignedOut, fail }) {
  if (account.signIn === "off") {
    replace(nav);
    return;
  }
  if (account.signIn === "signed-out") {
    replace(nav, h("a", { class: "button small sign-in", href: signInHref() }, "Sign in with GitHub"));
    return;
  }
  const out = h("button", { type: "button", class: "button secondary small" }, "Sign out");
  out.addEventListener("click", async () => {
    out.disabled = true;
    try {
      await signOut();
      onSignedOut();
    } catch (error) {
      out.disabled = false;
      fail(error);
    }
  });
  replace(
    nav,
    h("span", { class: "signed-in-as" }, "Signed in as ", h("strong", { class: "login" }, account.login)),
    h("a", { href: "/settings/tokens", class: "tokens-link" }, "Tokens"),
    out,
  );
}
