/** A person line of a commit as GitHub spells it. */
export type GitSignature = { name: string; email: string; date: string };

/** The fields of a commit object the simulator serves. */
export type GitCommitInfo = {
  sha: string;
  tree: string;
  parents: string[];
  author: GitSignature;
  committer: GitSignature;
  message: string;
};

/**
 * A raw commit object (`tree …\nparent …\nauthor …\ncommitter …\n\nmessage`) as its fields.
 * @example parseCommit(sha, object.content).tree
 */
export function parseCommit(sha: string, content: Buffer): GitCommitInfo {
  const text = content.toString("utf8");
  const split = text.indexOf("\n\n");
  const headers = (split < 0 ? text : text.slice(0, split)).split("\n");
  const message = split < 0 ? "" : text.slice(split + 2);
  let tree = "";
  const parents: string[] = [];
  let author: GitSignature = { name: "", email: "", date: new Date(0).toISOString() };
  let committer = author;
  for (const line of headers) {
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = parseSignature(value);
    else if (key === "committer") committer = parseSignature(value);
  }
  return { sha, tree, parents, author, committer, message };
}

/** `Name <email> 1700000000 +0000` */
function parseSignature(value: string): GitSignature {
  const match = /^(.*) <([^>]*)> (\d+) [+-]\d{4}$/.exec(value);
  if (!match) return { name: value, email: "", date: new Date(0).toISOString() };
  return {
    name: match[1] as string,
    email: match[2] as string,
    date: new Date(Number(match[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}
