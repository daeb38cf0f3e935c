import { describe, expect, it } from "@jest/globals";
import { signInFromEnv } from "../../src/auth/sign-in-from-env.js";

const API = "https://api.github.com";

describe("signInFromEnv", () => {
  it("leaves sign-in off without a client id and secret: the laptop case is unchanged", () => {
    expect(signInFromEnv({}, API)).toBeNull();
    expect(
      signInFromEnv({ SESSION_SECRET: "x".repeat(32), PUBLIC_URL: "https://a.example" }, API),
    ).toBeNull();
  });

  it("configures sign-in when all four are set, and names what is missing otherwise", () => {
    const env = {
      GITHUB_CLIENT_ID: "Iv23abc",
      GITHUB_CLIENT_SECRET: "secret",
      SESSION_SECRET: "x".repeat(32),
      PUBLIC_URL: "https://sync.example.com/",
    };
    expect(signInFromEnv(env, API)).toEqual({
      config: {
        clientId: "Iv23abc",
        clientSecret: "secret",
        apiBaseUrl: API,
        publicUrl: "https://sync.example.com",
      },
      sessionSecret: "x".repeat(32),
    });
    expect(() => signInFromEnv({ ...env, SESSION_SECRET: undefined, PUBLIC_URL: undefined }, API)).toThrow(
      "Sign in with GitHub needs SESSION_SECRET, PUBLIC_URL as well",
    );
    expect(() => signInFromEnv({ GITHUB_CLIENT_ID: "Iv23abc" }, API)).toThrow(/GITHUB_CLIENT_SECRET/);
  });
});
