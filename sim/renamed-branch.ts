import type { SimRepository } from "./sim-repository.js";

/**
 * The branch a renamed one is called now, following renames in turn (a → b, then b → c: a is now c), or undefined
 * when `name` was never renamed or its last name is gone too. GitHub keeps redirecting a renamed branch's old name.
 */
export function renamedBranch(repository: SimRepository, name: string): string | undefined {
  const seen = new Set<string>();
  let current = name;
  while (!repository.branches.has(current)) {
    const next = repository.renamedBranches.get(current);
    if (next === undefined || seen.has(next)) return undefined;
    seen.add(current);
    current = next;
  }
  return current === name ? undefined : current;
}
