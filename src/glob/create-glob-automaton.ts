/** One step of a compiled glob alternative: what it matches of the subject. */
export type GlobAtom =
  | { kind: "char"; test: (character: string) => boolean; literal?: string }
  /** `*`: any characters but `/` */
  | { kind: "star" }
  /** a leading or middle `**` segment with its slash: nothing, or anything that ends with `/` */
  | { kind: "anyDirectories" }
  /** a trailing `/**`: nothing, or `/` and anything */
  | { kind: "anySubpath" }
  /** any characters, `/` too (a trailing `/**` after a `*`, which picomatch does not let match nothing) */
  | { kind: "rest" }
  /** the glob `**` on its own: anything but the empty string */
  | { kind: "anything" };

/** A glob alternative's automaton: its states are (atom index, phase) pairs, phase 1 being inside a `**`. */
export type GlobAutomaton = (subject: string) => boolean;

// Bounds of one automaton's remembered sets and of the characters remembered per set (paths use few characters).
const MAX_DFA_NODES = 4_096;
const MAX_DFA_EDGES = 256;

/**
 * Advances every live state at once over the subject (Thompson's construction): at most the subject's length times
 * the number of atoms steps, whatever the glob — and, as the sets of states met are remembered (a lazily built
 * deterministic automaton), one step per character for the subjects that follow.
 */
export function createGlobAutomaton(atoms: GlobAtom[]): GlobAutomaton {
  const { head, tail, longest } = literalAnchors(atoms);
  const states = createStateSets(atoms);
  const dfa = createLazyDfa(states);
  return (subject) => {
    if (!subject.startsWith(head) || !subject.endsWith(tail) || !subject.includes(longest)) return false;
    let node = dfa.start;
    for (let at = 0; at < subject.length && node !== dfa.dead && node.states.length > 0; at += 1) {
      node = dfa.follow(node, subject[at] as string);
    }
    return node.accepts;
  };
}

/**
 * The literal text the glob starts and ends with, and its longest literal run: most subjects are told apart by these
 * alone.
 */
function literalAnchors(atoms: GlobAtom[]): { head: string; tail: string; longest: string } {
  const literalOf = (atom: GlobAtom | undefined) => (atom?.kind === "char" ? atom.literal : undefined);
  let head = "";
  for (let index = 0; literalOf(atoms[index]) !== undefined; index += 1) head += literalOf(atoms[index]);
  let tail = "";
  if (head.length < atoms.length) {
    for (let index = atoms.length - 1; literalOf(atoms[index]) !== undefined; index -= 1) {
      tail = literalOf(atoms[index]) + tail;
    }
  }
  let longest = "";
  let run = "";
  for (const atom of atoms) {
    run = literalOf(atom) === undefined ? "" : run + literalOf(atom);
    if (run.length > longest.length) longest = run;
  }
  return { head, tail, longest };
}

/** The nondeterministic automaton: sets of states (sorted), the first one and the step from one to the next. */
type StateSets = {
  /** the accepting state */
  accept: number;
  initial: Int32Array;
  /** the states reached from `from` by reading `character` (every state advanced at once) */
  step: (from: Int32Array, character: string) => Int32Array;
};

/** The buffers are reused: matching never re-enters itself. */
function createStateSets(atoms: GlobAtom[]): StateSets {
  const accept = atoms.length * 2;
  const size = accept + 2;
  const current = new Int32Array(size);
  const next = new Int32Array(size);
  const seen = new Int32Array(size);
  let generation = 0;
  let count = 0;

  // adds a state and every state it reaches without reading a character
  const add = (list: Int32Array, state: number) => {
    if (seen[state] === generation) return;
    seen[state] = generation;
    list[count++] = state;
    const index = state >> 1;
    const atom = atoms[index];
    if (!atom) return;
    if ((state & 1) === 0) {
      if (atom.kind === "star" || atom.kind === "rest" || atom.kind === "anySubpath")
        add(list, (index + 1) * 2);
      else if (atom.kind === "anyDirectories") {
        add(list, (index + 1) * 2);
        add(list, state + 1);
      }
    } else if (atom.kind === "anySubpath" || atom.kind === "anything") {
      add(list, (index + 1) * 2);
    }
  };

  const step = (from: Int32Array, character: string): Int32Array => {
    generation += 1;
    count = 0;
    for (let position = 0; position < from.length; position += 1) {
      const state = from[position] as number;
      const index = state >> 1;
      const atom = atoms[index];
      if (!atom) continue;
      if ((state & 1) === 0) {
        if (atom.kind === "char") {
          if (atom.test(character)) add(next, (index + 1) * 2);
        } else if (atom.kind === "star") {
          if (character !== "/") add(next, state);
        } else if (atom.kind === "rest") {
          add(next, state);
        } else if (atom.kind === "anySubpath") {
          if (character === "/") add(next, state + 1);
        } else if (atom.kind === "anything") {
          add(next, state + 1);
        }
      } else {
        add(next, state); // inside `**`: any character
        if (atom.kind === "anyDirectories" && character === "/") add(next, (index + 1) * 2);
      }
    }
    return next.slice(0, count).sort();
  };

  generation += 1;
  count = 0;
  add(current, 0);
  return { accept, initial: current.slice(0, count).sort(), step };
}

type DfaNode = { states: Int32Array; accepts: boolean; next: Map<string, DfaNode> };

/**
 * The deterministic automaton, built lazily: each set of states met gets a node whose transitions are remembered, so
 * a character costs one map lookup once the paths of a repository have been seen — the sets are computed once, not
 * once per path. Bounded: past MAX_DFA_NODES new sets are computed without being kept.
 */
function createLazyDfa(sets: StateSets): {
  start: DfaNode;
  dead: DfaNode;
  follow: (node: DfaNode, character: string) => DfaNode;
} {
  const nodes = new Map<string, DfaNode>();
  const nodeOf = (states: Int32Array): DfaNode => {
    const key = states.join(",");
    const known = nodes.get(key);
    if (known) return known;
    const node: DfaNode = { states, accepts: states.includes(sets.accept), next: new Map() };
    if (nodes.size < MAX_DFA_NODES) nodes.set(key, node);
    return node;
  };
  const start = nodeOf(sets.initial);
  const dead = nodeOf(new Int32Array(0));
  const follow = (node: DfaNode, character: string): DfaNode => {
    let following = node.next.get(character);
    if (!following) {
      following = nodeOf(sets.step(node.states, character));
      if (node.next.size < MAX_DFA_EDGES) node.next.set(character, following);
    }
    return following;
  };
  return { start, dead, follow };
}
