import { editDistance } from "./edit-distance.js";

/**
 * The names most like `wanted` (edit distance, ignoring case; a name containing it or contained in it counts as
 * close), nearest first, at most `max` — what "did you mean" offers.
 * @example closeNames("mian", ["main", "dev", "release/1.0"]) // ["main"]
 */
export function closeNames(wanted: string, names: readonly string[], max = 3): string[] {
  const target = wanted.toLowerCase();
  const allowed = Math.max(2, Math.floor(target.length / 3));
  return names
    .map((name) => {
      const lower = name.toLowerCase();
      const contains = target.length >= 3 && (lower.includes(target) || target.includes(lower));
      return { name, distance: contains ? 0.5 : editDistance(target, lower.slice(0, 300)) };
    })
    .filter((candidate) => candidate.distance <= allowed && candidate.name !== wanted)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((candidate) => candidate.name);
}
