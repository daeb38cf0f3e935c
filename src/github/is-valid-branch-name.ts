/**
 * git check-ref-format's rules for a branch name, as far as they matter for a URL and a database key: every surface
 * that takes a branch from a user (CLI, `/sync`, REST, the queue's input) checks it here.
 */
export function isValidBranchName(name: string): boolean {
  if (name.startsWith("/") || name.endsWith("/") || name.endsWith(".") || name.endsWith(".lock"))
    return false;
  if (
    name.startsWith("-") ||
    name === "@" ||
    name.includes("..") ||
    name.includes("//") ||
    name.includes("@{")
  ) {
    return false;
  }
  if (name.split("/").some((part) => part.startsWith("."))) return false;
  // control characters, space, ~ ^ : ? * [ \ and DEL are never allowed in a ref
  for (const char of name) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || "~^:?*[\\".includes(char)) return false;
  }
  return true;
}
