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

  it("ends open event streams when it closes, so shutdown does not wait for a sync to finish", async () => {
    const app = express().get("/events", (_req, res) => {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write("data: first\n\n");
    });
    const http = await listenHttpServer(app, { port: 0, host: "127.0.0.1" });
    const response = await fetch(`${http.url}/events`);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();

    await http.close({ graceMs: 60_000 });
    const rest = await reader.read();

    expect(new TextDecoder().decode(first.value)).toBe("data: first\n\n");
    expect(rest.done).toBe(true);
    expect(http.server.listening).toBe(false);
  });

  it("cuts a request still running after the grace period", async () => {
    const app = express().get("/slow", () => {
      // never answers
    });
    const http = await listenHttpServer(app, { port: 0, host: "127.0.0.1" });
    const pending = fetch(`${http.url}/slow`).then(
      () => "answered",
      () => "cut",
    );
    await new Promise<void>((resolve) => http.server.once("request", () => resolve()));

    await http.close({ graceMs: 10 });

    expect(await pending).toBe("cut");
  });

  it("closes a keep-alive connection as soon as its in-flight request is answered", async () => {
    let answer: () => void = () => {};
    const app = express().get("/slow", (_req, res) => {
      answer = () => res.json({ done: true });
    });
    const http = await listenHttpServer(app, { port: 0, host: "127.0.0.1" });
    // longer than the test's timeout: close() must not wait for the connection to time out
    http.server.keepAliveTimeout = 120_000;
    const pending = fetch(`${http.url}/slow`, { keepalive: true });
    await new Promise<void>((resolve) => http.server.once("request", () => setImmediate(resolve)));

    const closed = http.close({ graceMs: 120_000 });
    answer();
    const body = await (await pending).json();
    await closed;

    expect(body).toEqual({ done: true });
    expect(http.server.listening).toBe(false);
  });
});
