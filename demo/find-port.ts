import { createServer } from "node:net";

/**
 * `preferred` when nothing listens there on `host`, otherwise a free port the system picks (0: always a free one).
 * @example const port = await findPort(3000, "127.0.0.1") // 3000, or e.g. 41873 when 3000 is taken
 */
export async function findPort(preferred: number, host: string): Promise<number> {
  if (preferred !== 0) {
    const port = await tryListen(preferred, host);
    if (port !== null) return port;
  }
  const port = await tryListen(0, host);
  if (port === null) throw new Error(`No free port on ${host}.`);
  return port;
}

function tryListen(port: number, host: string): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen(port, host, () => {
      const address = server.address();
      const chosen = typeof address === "object" && address ? address.port : null;
      server.close(() => resolve(chosen));
    });
  });
}
