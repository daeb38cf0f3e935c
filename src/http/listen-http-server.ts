import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { AppError } from "../errors.js";

export type ListenOptions = { port: number; host: string };

export type ListeningHttpServer = {
  server: Server;
  /** where to reach it, e.g. http://localhost:3000 (a wildcard host shown as localhost) */
  url: string;
  /** stops accepting connections and resolves once in-flight requests have finished */
  close: () => Promise<void>;
};

/** Starts listening; a port in use or not permitted becomes an AppError that says which variable to change. */
export function listenHttpServer(app: Express, options: ListenOptions): Promise<ListeningHttpServer> {
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host);
    server.once("listening", () =>
      resolve({ server, url: serverUrl(server, options.host), close: () => close(server) }),
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

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Idle keep-alive connections would hold close() open until they time out; in-flight requests still finish.
    server.closeIdleConnections();
  });
}

function serverUrl(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const shownHost =
    host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${shownHost}:${port}`;
}
