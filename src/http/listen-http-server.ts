import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { AppError } from "../errors.js";

export type ListenOptions = { port: number; host: string };

export type ListeningHttpServer = {
  server: Server;
  /** where to reach it, e.g. http://localhost:3000 (a wildcard host shown as localhost) */
  url: string;
  /**
   * stops accepting connections, ends open event streams (their clients reconnect, with Last-Event-ID, elsewhere) and
   * resolves once in-flight requests have finished (cut off after `graceMs`, default 10 s)
   */
  close: (options?: { graceMs?: number }) => Promise<void>;
};

/** Starts listening; a port in use or not permitted becomes an AppError that says which variable to change. */
export function listenHttpServer(app: Express, options: ListenOptions): Promise<ListeningHttpServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host);
    // Node closes an idle keep-alive connection after 5 s; a client (a proxy, a load balancer, GitHub) that reuses
    // it at that moment gets ECONNRESET, and a webhook delivery fails. Outlive the usual 60 s idle timeout of
    // proxies and load balancers instead; shutdown closes idle connections itself.
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1_000;
    const open = new Set<ServerResponse>();
    server.on("request", (_req, res: ServerResponse) => {
      open.add(res);
      res.once("close", () => open.delete(res));
    });
    server.once("listening", () =>
      resolve({
        server,
        url: serverUrl(server, options.host),
        close: (closeOptions) => close(server, open, closeOptions?.graceMs ?? DEFAULT_GRACE_MS),
      }),
    );
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE" && error.code !== "EACCES") {
        reject(error);
        return;
      }
      reject(
        new AppError(
          "CONFIG_INVALID",
          `Cannot listen on ${options.host}:${options.port} (${error.code}). Set PORT (or HOST) to a free address.`,
          { cause: error },
        ),
      );
    });
  });
}

// How long in-flight requests may take to finish at shutdown before their connections are cut.
const DEFAULT_GRACE_MS = 10_000;
const KEEP_ALIVE_MS = 65_000;

function close(server: Server, open: Set<ServerResponse>, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const cutOff = setTimeout(() => server.closeAllConnections(), graceMs);
    cutOff.unref();
    server.close((error) => {
      clearTimeout(cutOff);
      if (error) reject(error);
      else resolve();
    });
    // Idle keep-alive connections would hold close() open until they time out; in-flight requests still finish.
    server.closeIdleConnections();
    for (const res of open) {
      // once answered, its keep-alive connection is idle: close it too, or close() would wait for it to time out
      res.once("close", () => server.closeIdleConnections());
      // An event stream lasts as long as its sync: end it now; the client reconnects (to another process) and resumes.
      if (String(res.getHeader("content-type") ?? "").startsWith("text/event-stream")) res.end();
    }
  });
}

function serverUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const shownHost =
    host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${shownHost}:${port}`;
}
