/** The part of a path after its last slash. */
export function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Whether two paths end in the same file name (git's basename_same in diffcore-rename.c). */
export function basenameSame(source: string, destination: string): boolean {
  let s = source.length;
  let d = destination.length;
  while (s > 0 && d > 0) {
    const c1 = source[--s];
    const c2 = destination[--d];
    if (c1 !== c2) return false;
    if (c1 === "/") return true;
  }
  return (s === 0 || source[s - 1] === "/") && (d === 0 || destination[d - 1] === "/");
}
