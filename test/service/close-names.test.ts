import { describe, expect, it } from "@jest/globals";
import { closeNames } from "../../src/service/close-names.js";

describe("closeNames", () => {
  const branches = ["main", "master", "develop", "feature/login", "release/1.0"];

  it("offers the nearest names by edit distance, ignoring case, nearest first", () => {
    expect(closeNames("mian", branches)).toEqual(["main"]);
    expect(closeNames("Develop", branches)).toEqual(["develop"]);
    expect(closeNames("maste", branches)).toEqual(["master"]);
    expect(closeNames("mastr", ["main", "master", "mister"])).toEqual(["master", "mister"]);
  });

  it("counts a name holding the one asked for as close, and offers nothing for a name like none", () => {
    expect(closeNames("login", branches)).toEqual(["feature/login"]);
    expect(closeNames("zzzzzz", branches)).toEqual([]);
  });
});
