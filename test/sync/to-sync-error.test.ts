import { describe, expect, it } from "@jest/globals";
import { AppError } from "../../src/errors.js";
import { toSyncError } from "../../src/sync/to-sync-error.js";

describe("toSyncError", () => {
  it("keeps AppErrors as they are", () => {
    const error = new AppError("GITHUB_UNAVAILABLE", "down", { retryable: true });

    expect(toSyncError(error)).toBe(error);
  });

  it("turns a lost or refused database connection into DATABASE_UNAVAILABLE, retryable", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const wrapped = new Error("Invalid invocation", { cause: { kind: "postgres", originalCode: "57P01" } });
    const terminated = new Error("Connection terminated unexpectedly");

    for (const error of [refused, wrapped, terminated]) {
      expect(toSyncError(error)).toMatchObject({ code: "DATABASE_UNAVAILABLE", retryable: true });
    }
  });

  it("turns anything else into INTERNAL, not retryable", () => {
    expect(toSyncError(new TypeError("x is undefined"))).toMatchObject({
      code: "INTERNAL",
      retryable: false,
    });
    expect(toSyncError(Object.assign(new Error("duplicate"), { code: "23505" }))).toMatchObject({
      code: "INTERNAL",
    });
  });
});
