import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";

export type GitObjectType = "blob" | "tree" | "commit" | "tag";

/** One object as `git cat-file --batch` prints it. */
export type GitObject = { sha: string; type: GitObjectType; size: number; content: Buffer };

/** Reads objects through one long-lived `git cat-file --batch`; close() ends the process. */
export type CatFileBatch = {
  /** the object named by `spec` (a SHA, `<sha>^{tree}`, `<sha>:<path>`), or null when git finds none */
  read(spec: string): Promise<GitObject | null>;
  close(): void;
};

type Waiter = { resolve: (object: GitObject | null) => void; reject: (error: Error) => void };

const HEADER = /^([0-9a-f]{40}) (blob|tree|commit|tag) (\d+)$/;

/**
 * One `git cat-file --batch` process per repository, started on first use and restarted if it dies. Requests are
 * pipelined: each is one line on stdin, and git answers strictly in order, so a FIFO of waiters matches answers to
 * requests however many callers read at once.
 * @example const batch = createCatFileBatch(gitDir); const blob = await batch.read(sha);
 */
export function createCatFileBatch(gitDir: string): CatFileBatch {
  let reader: BatchReader | undefined;
  let closed = false;
  return {
    read(spec) {
      if (closed) return Promise.reject(new Error("cat-file batch is closed"));
      // A newline would split the request into two; git cannot name such a path on this protocol.
      if (spec.includes("\n") || spec.length === 0) return Promise.resolve(null);
      if (!reader || reader.dead) reader = new BatchReader(gitDir);
      return reader.read(spec);
    },
    close() {
      closed = true;
      reader?.close();
    },
  };
}

class BatchReader {
  dead = false;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiters: Waiter[] = [];
  // Parser state: either collecting a header line, or filling the body of the object whose header came.
  private head: Buffer = Buffer.alloc(0);
  private body: { object: GitObject; filled: number } | undefined;
  private skipNewline = false;

  constructor(gitDir: string) {
    this.child = spawn("git", ["--git-dir", gitDir, "cat-file", "--batch"], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.resume();
    this.child.stdin.on("error", (error) => this.fail(error));
    this.child.on("error", (error) => this.fail(error));
    this.child.on("close", (code) => this.fail(new Error(`git cat-file --batch exited with ${code}`)));
  }

  read(spec: string): Promise<GitObject | null> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.child.stdin.write(`${spec}\n`);
    });
  }

  close(): void {
    this.dead = true;
    this.child.stdin.end();
    this.child.kill();
  }

  private fail(error: Error): void {
    this.dead = true;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private onData(chunk: Buffer): void {
    let data = chunk;
    while (data.length > 0) {
      if (this.skipNewline) {
        data = data.subarray(1);
        this.skipNewline = false;
        continue;
      }
      if (this.body) {
        const { object } = this.body;
        const take = Math.min(object.size - this.body.filled, data.length);
        data.copy(object.content, this.body.filled, 0, take);
        this.body.filled += take;
        data = data.subarray(take);
        if (this.body.filled === object.size) {
          this.body = undefined;
          this.skipNewline = true;
          this.waiters.shift()?.resolve(object);
        }
        continue;
      }
      const end = data.indexOf(10);
      if (end < 0) {
        this.head = Buffer.concat([this.head, data]);
        return;
      }
      const line = Buffer.concat([this.head, data.subarray(0, end)]).toString("utf8");
      this.head = Buffer.alloc(0);
      data = data.subarray(end + 1);
      const match = HEADER.exec(line);
      if (!match) {
        // "<spec> missing" or "<spec> ambiguous": no body follows.
        this.waiters.shift()?.resolve(null);
        continue;
      }
      const size = Number(match[3]);
      const object: GitObject = {
        sha: match[1] as string,
        type: match[2] as GitObjectType,
        size,
        content: Buffer.allocUnsafe(size),
      };
      if (size === 0) {
        this.skipNewline = true;
        this.waiters.shift()?.resolve(object);
      } else {
        this.body = { object, filled: 0 };
      }
    }
  }
}
