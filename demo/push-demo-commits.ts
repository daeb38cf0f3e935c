import { commitChanges, type FileChange, type RandomChanges } from "../sim/generate/commit-changes.js";
import type { DemoStack } from "./start-demo-stack.js";
import { waitForIdle } from "./wait-for-idle.js";

/** A branch name that is also HTML (valid for git: `git check-ref-format` accepts it). */
export const HOSTILE_BRANCH = 'feature/"><svg/onload=alert(1)>';

type DemoPush = {
  /** a new branch starts from the default branch's head */
  branch: string;
  describe: string;
  changes: RandomChanges | Record<string, FileChange>;
};

const PUSHES: DemoPush[] = [
  {
    branch: "main",
    describe: "edit 12 files, add 4, remove 2, rename 1",
    changes: { modify: 12, add: 4, remove: 2, rename: 1 },
  },
  {
    branch: HOSTILE_BRANCH,
    describe: "a new branch whose name is HTML, adding a file whose name is HTML",
    changes: {
      'notes/"><img src=x onerror=alert(2)>.md': "# Also shown as text\n",
      "notes/plain.md": "# Plain\n",
    },
  },
  { branch: "main", describe: "edit 150 files and add 30", changes: { modify: 150, add: 30 } },
];

/**
 * The demo's pushes, as GitHub would deliver them: each moves a branch on the simulator and sends a signed `push`
 * webhook, then waits until the app has synced it (and pauses, so each sync can be watched).
 */
export async function pushDemoCommits(
  stack: DemoStack,
  options: { pauseMs: number; say: (line: string) => void },
): Promise<void> {
  const heads = new Map<string, string>([[stack.defaultBranch, stack.head]]);
  for (const [index, push] of PUSHES.entries()) {
    const parent = heads.get(push.branch) ?? (heads.get(stack.defaultBranch) as string);
    const sha = await commitChanges({
      gitDir: stack.gitDir,
      parent,
      changes: push.changes,
      seed: 100 + index,
      message: `Demo: ${push.describe}\n`,
    });
    heads.set(push.branch, sha);
    options.say(`push ${push.branch}: ${push.describe} (${parent.slice(0, 7)} → ${sha.slice(0, 7)})`);
    const delivery = await stack.sim.push(stack.owner, stack.name, push.branch, sha, { sender: "demo-user" });
    if (delivery.status === 0 || delivery.status >= 300) {
      throw new Error(`The app did not take the push webhook (${delivery.status || "no answer"}).`);
    }
    await waitForIdle({ appUrl: stack.url, owner: stack.owner, name: stack.name });
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
  }
}
