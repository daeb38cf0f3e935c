import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";

const SRC = path.resolve("src");

/** Every room of src/ (a folder, or a file at the top) and the rooms its relative imports reach. */
function roomGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const roomOf = (file: string) => path.relative(SRC, file).split(path.sep)[0] ?? "";
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated" && entry.name !== "assets") walk(full);
        continue;
      }
      if (!/\.ts$/.test(entry.name)) continue;
      const from = roomOf(full);
      const edges = graph.get(from) ?? new Set<string>();
      graph.set(from, edges);
      for (const match of readFileSync(full, "utf8").matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
        const target = path.resolve(folder, match[1] ?? "");
        if (!target.startsWith(SRC + path.sep)) continue;
        const to = roomOf(target);
        if (to !== from && to !== "generated") edges.add(to);
      }
    }
  };
  walk(SRC);
  return graph;
}

/** A cycle of rooms as a list (first room repeated at the end), or null when the graph has none. */
function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (room: string): string[] | null => {
    if (state.get(room) === "done") return null;
    if (state.get(room) === "open") return [...stack.slice(stack.indexOf(room)), room];
    state.set(room, "open");
    stack.push(room);
    for (const next of graph.get(room) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(room, "done");
    return null;
  };
  for (const room of graph.keys()) {
    const cycle = visit(room);
    if (cycle) return cycle;
  }
  return null;
}

describe("the rooms of src/", () => {
  it("import each other one way only: no folder imports a folder that imports it back", () => {
    const graph = roomGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(findCycle(graph)).toBeNull();
  });

  it("finds a cycle when there is one (the check itself)", () => {
    const graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
    ]);
    expect(findCycle(graph)).toEqual(["a", "b", "c", "a"]);
  });
});
