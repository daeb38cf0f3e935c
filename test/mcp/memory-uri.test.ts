import { describe, expect, it } from "@jest/globals";
import { memoryUri, parseMemoryUri } from "../../src/mcp/memory-uri.js";

describe("memory URIs", () => {
  it("round-trips branches with slashes and commas and paths with spaces and percent signs", () => {
    const address = { owner: "octo", repo: "hello.world", branch: "feature/a,b", path: "docs/a b/100%.md" };

    const uri = memoryUri(address);

    expect(uri).toBe("memory://octo/hello.world/feature%2Fa%2Cb/docs/a%20b/100%25.md");
    expect(parseMemoryUri(uri)).toEqual(address);
  });

  it("refuses what is not a memory URI, saying what one is", () => {
    expect(() => parseMemoryUri("memory://octo/repo")).toThrow(
      /memory:\/\/\{owner\}\/\{repo\}\/\{branch\}\/\{path\}/,
    );
    expect(() => parseMemoryUri("memory://octo/repo/main/%E0%A4%A")).toThrow(/percent-encoding/);
  });
});
