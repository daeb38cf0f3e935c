/**
 * Builds DOM nodes from data without ever parsing it as HTML: strings become text nodes, so a file or branch named
 * `<img src=x onerror=alert(1)>` is shown literally. No innerHTML anywhere in the page.
 */

/** @typedef {Node | string | number | null | undefined | false | Child[]} Child */

/**
 * An element with properties and children.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, unknown>} [props] `class`, `on<event>` handlers, `dataset`, any DOM property, else an attribute
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 * @example h("a", { href: "/", class: "brand" }, "Project Sync")
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key === "class") element.className = String(value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    } else if (key in element) /** @type {Record<string, unknown>} */ (element)[key] = value;
    else if (value !== false) element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/**
 * Appends children (nested arrays flattened, empty values skipped) as nodes or text.
 * @param {Element} parent
 * @param {Child[]} children
 */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(typeof child === "object" ? child : String(child));
  }
}

/**
 * Replaces an element's children.
 * @param {Element} parent
 * @param {...Child} children
 */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}
