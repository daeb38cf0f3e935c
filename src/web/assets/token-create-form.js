import { ApiError } from "./api.js";
import { h, replace } from "./dom.js";

/** The server's bounds (personalTokenInput): a name of 1–100 characters, an expiry of 1–366 days or none. */
export const TOKEN_NAME_MAX = 100;
const EXPIRY_CHOICES = [
  ["7", "7 days"],
  ["30", "30 days"],
  ["90", "90 days"],
  ["366", "1 year"],
  ["", "Never"],
];

/**
 * "New token": a name, a scope (read, or write for actions too) and an expiry. The server's refusal (a bad name, too
 * many tokens) is shown in the form as text; `onCreated` gets the created token (with the secret, shown once).
 * @param {import("./sync-controls.js").PageContext} context
 * @param {{ onCreated: (created: any) => void }} options
 */
export function tokenCreateForm(context, { onCreated }) {
  const name = h("input", {
    id: "token-name",
    name: "name",
    required: true,
    maxLength: TOKEN_NAME_MAX,
    autocomplete: "off",
    placeholder: "e.g. laptop CLI",
  });
  const scope = h(
    "select",
    { id: "token-scope", name: "scope" },
    h("option", { value: "read" }, "read: look only"),
    h("option", { value: "write" }, "write: also sync and restore"),
  );
  const expiry = h(
    "select",
    { id: "token-expiry", name: "expiry" },
    EXPIRY_CHOICES.map(([value, label]) => h("option", { value, selected: value === "30" }, label)),
  );
  const problem = h("p", { class: "error", role: "alert", hidden: true });
  const submit = h("button", { type: "submit", class: "button" }, "Create token");
  const form = h(
    "form",
    { class: "token-create", "aria-labelledby": "token-create-title" },
    h("h3", { id: "token-create-title" }, "New token"),
    h(
      "div",
      { class: "fields" },
      field("token-name", "Name", name),
      field("token-scope", "Scope", scope),
      field("token-expiry", "Expires", expiry),
    ),
    problem,
    h("div", { class: "actions" }, submit),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const trimmed = name.value.trim();
    if (trimmed.length === 0 || trimmed.length > TOKEN_NAME_MAX) {
      show(problem, `Give the token a name of 1 to ${TOKEN_NAME_MAX} characters.`);
      return;
    }
    submit.disabled = true;
    try {
      const created = await context.api.post("/me/tokens", {
        name: trimmed,
        scope: scope.value,
        ...(expiry.value ? { expiresInDays: Number(expiry.value) } : {}),
      });
      show(problem, null);
      form.reset();
      onCreated(created);
    } catch (error) {
      if (error instanceof ApiError && error.status !== 401) show(problem, error.message);
      else context.fail(error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/**
 * @param {string} id
 * @param {string} label
 * @param {HTMLElement} control
 */
function field(id, label, control) {
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

/**
 * @param {HTMLElement} element
 * @param {string | null} message
 */
function show(element, message) {
  replace(element, message ?? "");
  element.hidden = message === null;
}
