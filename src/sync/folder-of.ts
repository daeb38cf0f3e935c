/** The folder holding a path, as memory and tree walks name folders: "a/b/c.txt" → "a/b/", "c.txt" → "". */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash + 1);
}
