import { describe, expect, it } from "@jest/globals";
import { parseSlashCommand } from "../../src/handlers/parse-slash-command.js";
import { editDistance } from "../../src/service/edit-distance.js";

describe("parseSlashCommand", () => {
  it("reads /sync and /resync with optional full and branch, in either order", () => {
    expect(parseSlashCommand("/sync")).toEqual({ kind: "sync", full: false, branch: null });
    expect(parseSlashCommand("/resync full")).toEqual({ kind: "sync", full: true, branch: null });
    expect(parseSlashCommand("/sync full release/1.2")).toEqual({
      kind: "sync",
      full: true,
      branch: "release/1.2",
    });
    expect(parseSlashCommand("/SYNC dev FULL")).toEqual({ kind: "sync", full: true, branch: "dev" });
  });

  it("takes the first non-empty line only", () => {
    expect(parseSlashCommand("\n  \r\n  /sync main  \nthanks!\n/sync full")).toEqual({
      kind: "sync",
      full: false,
      branch: "main",
    });
    expect(parseSlashCommand("Could someone run\n/sync")).toBeNull();
  });

  it("is not a command unless the line starts with the command word", () => {
    for (const body of ["", "sync", "/synchronize", "please /sync", "`/sync`", "/sync-all"]) {
      expect(parseSlashCommand(body)).toBeNull();
    }
  });

  it("reads help anywhere after the command", () => {
    expect(parseSlashCommand("/sync help")).toEqual({ kind: "help" });
    expect(parseSlashCommand("/resync full HELP")).toEqual({ kind: "help" });
  });

  it("suggests the keyword a word is a typo of", () => {
    expect(parseSlashCommand("/sync ful")).toEqual({
      kind: "invalid",
      problem: "unknown word `ful`",
      suggestion: "full",
    });
    expect(parseSlashCommand("/sync hlep")).toEqual({
      kind: "invalid",
      problem: "unknown word `hlep`",
      suggestion: "help",
    });
    expect(parseSlashCommand("/sync main fulll")).toMatchObject({ kind: "invalid", suggestion: "full" });
  });

  it("takes words far from every keyword, and any word with a slash, as branch names", () => {
    expect(parseSlashCommand("/sync main")).toMatchObject({ branch: "main" });
    expect(parseSlashCommand("/sync dev")).toMatchObject({ branch: "dev" });
    expect(parseSlashCommand("/sync fix/ful")).toMatchObject({ branch: "fix/ful" });
    expect(parseSlashCommand("/sync refs/heads/hello")).toEqual({
      kind: "sync",
      full: false,
      branch: "hello",
    });
  });

  it("refuses two branches and names that are not branch names", () => {
    expect(parseSlashCommand("/sync main dev")).toEqual({
      kind: "invalid",
      problem: "one branch at a time (got `main` and `dev`)",
      suggestion: null,
    });
    expect(parseSlashCommand("/sync a..b")).toEqual({
      kind: "invalid",
      problem: "`a..b` is not a valid branch name",
      suggestion: null,
    });
  });
});

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    expect([
      editDistance("", ""),
      editDistance("full", "full"),
      editDistance("ful", "full"),
      editDistance("hlep", "help"),
      editDistance("kitten", "sitting"),
      editDistance("", "abc"),
    ]).toEqual([0, 0, 1, 2, 3, 3]);
  });
});
