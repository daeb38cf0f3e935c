const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** Whether a socket's remote address is this machine's loopback interface (IPv4, IPv6 or IPv4-mapped). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.has(address);
}

/**
 * Whether a Host header names this machine's loopback interface: `localhost` (and `*.localhost`, which browsers
 * resolve to it themselves), 127.0.0.0/8 or [::1], with any port. A name that DNS resolves to 127.0.0.1 is not one.
 * @example isLoopbackHost("localhost:3000") // true
 */
export function isLoopbackHost(host: string): boolean {
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  // nothing but a name and a port (no user info, no path): what a browser sends
  if (url.username || url.password || url.pathname !== "/" || url.search || url.hash) return false;
  const { hostname } = url;
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return true;
  if (hostname === "[::1]") return true;
  return /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
