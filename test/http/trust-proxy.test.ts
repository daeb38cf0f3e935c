import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { loadEnv } from "../../src/config/env.js";
import { silentLogger } from "../../src/logger.js";
import type { ServiceDeps } from "../../src/service/service-deps.js";
import { createApiTestServer, remoteClient } from "../api/api-test-server.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.js";

describe("TRUST_PROXY: which proxies' X-Forwarded-For the loopback-only rule believes", () => {
  let database: TestDatabase;
  let service: ServiceDeps;
  beforeAll(async () => {
    database = await createTestDatabase();
    service = {
      db: database.db,
      githubFor: async () => null,
      now: () => new Date(),
      log: silentLogger,
      maxFileSizeBytes: 1024,
    };
  });
  afterAll(async () => {
    await database.drop();
  });

  /** The app without API_TOKEN, its socket peer at `socket`, trusting `trust`; status of the API and the page. */
  async function statuses(
    socket: string,
    trust: string | undefined,
    forwardedFor?: string,
  ): Promise<number[]> {
    const trustProxy = loadEnv({ TRUST_PROXY: trust }).TRUST_PROXY;
    const { app } = createApiTestServer({ service, middleware: [remoteClient(socket)], trustProxy });
    const send = (path: string) => {
      const req = request(app).get(path).set("Host", "localhost:3000");
      return forwardedFor === undefined ? req : req.set("X-Forwarded-For", forwardedFor);
    };
    return [(await send("/api/v1/repos")).status, (await send("/")).status];
  }

  it("unset: a proxy on this machine forwarding a remote client is loopback, as without a proxy", async () => {
    expect(await statuses("127.0.0.1", undefined, "203.0.113.7")).toEqual([200, 200]);
  });

  it("loopback: the same request is judged by the client the proxy names, and refused", async () => {
    expect(await statuses("127.0.0.1", "loopback", "203.0.113.7")).toEqual([403, 403]);
    expect(await statuses("127.0.0.1", "loopback", "127.0.0.1")).toEqual([200, 200]);
  });

  it("never believes X-Forwarded-For from an address it was not told to trust", async () => {
    expect(await statuses("203.0.113.7", "loopback", "127.0.0.1")).toEqual([403, 403]);
    expect(await statuses("10.1.2.3", "10.0.0.0/8, loopback", "127.0.0.1")).toEqual([200, 200]);
    expect(await statuses("10.1.2.3", "10.9.9.9", "127.0.0.1")).toEqual([403, 403]);
  });

  it("parses addresses, subnets and names; false and empty are none", () => {
    expect(loadEnv({ TRUST_PROXY: " loopback, 10.0.0.0/8,::1, fd00::/8 " }).TRUST_PROXY).toEqual([
      "loopback",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
    ]);
    expect(loadEnv({ TRUST_PROXY: "false" }).TRUST_PROXY).toEqual([]);
    expect(loadEnv({ TRUST_PROXY: " " }).TRUST_PROXY).toEqual([]);
    expect(loadEnv({}).TRUST_PROXY).toEqual([]);
  });

  it.each(["true", "1", "10.0.0.0/33", "proxy.example", "10.0.0.1/8/1", "loopback,"])(
    "refuses TRUST_PROXY=%s with a message naming the variable",
    (value) => {
      expect(() => loadEnv({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
    },
  );
});
