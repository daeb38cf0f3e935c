import { describe, expect, it } from "@jest/globals";
import express from "express";
import { listenHttpServer } from "../../src/http/listen-http-server.js";

describe("listenHttpServer", () => {
  it("listens on a free port, answers, and closes despite an open keep-alive connection", async () => {
    const app = express().get("/", (_req, res) => {
      res.json({ hello: "world" });
    });
    const http = await listenHttpServer(app, { port: 0, host: "127.0.0.1" });

    const response = await fetch(http.url, { keepalive: true });
    const body = await response.json();
    await http.close();

    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(body).toEqual({ hello: "world" });
    expect(http.server.listening).toBe(false);
  });

  it("reports a port in use as CONFIG_INVALID naming PORT", async () => {
    const first = await listenHttpServer(express(), { port: 0, host: "127.0.0.1" });
    const port = Number(new URL(first.url).port);

    const second = listenHttpServer(express(), { port, host: "127.0.0.1" });

    await expect(second).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: `Cannot listen on 127.0.0.1:${port} (EADDRINUSE). Set PORT (or HOST) to a free address.`,
    });
    await first.close();
  });
});
