import { describe, expect, it } from "@jest/globals";
import { gitBlobSha } from "../../src/github/git-blob-sha.js";

describe("gitBlobSha", () => {
  it.each([
    ["", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"],
    ["hello\n", "ce013625030ba8dba906f756967f9e9ca394464a"],
  ])("gives %j the id `git hash-object` gives it", (text, sha) => {
    expect(gitBlobSha(new TextEncoder().encode(text))).toBe(sha);
  });

  it("hashes bytes, not text: invalid UTF-8 and NUL included", () => {
    expect(gitBlobSha(Uint8Array.from([0xff, 0x00, 0xfe]))).toMatch(/^[0-9a-f]{40}$/);
    expect(gitBlobSha(Uint8Array.from([0xff]))).not.toBe(gitBlobSha(new TextEncoder().encode("\ufffd")));
  });
});
