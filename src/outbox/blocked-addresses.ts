import { BlockList, isIP } from "node:net";

// Every range that is not the public internet: this host, private networks, carrier-grade NAT, link-local (cloud
// metadata at 169.254.169.254), multicast, reserved, documentation and benchmarking ranges.
const BLOCKED_V4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
];
// The IPv6 equivalents, plus the forms that embed an IPv4 address (IPv4-compatible, 6to4, NAT64 local use).
const BLOCKED_V6 = [
  "::/96",
  "::1/128",
  "64:ff9b:1::/48",
  "100::/64",
  "2001::/23",
  "2001:db8::/32",
  "2002::/16",
  "fc00::/7",
  "fe80::/10",
  "fec0::/10",
  "ff00::/8",
];

const blocked = new BlockList();
for (const range of BLOCKED_V4) {
  const [network = "", prefix] = range.split("/");
  blocked.addSubnet(network, Number(prefix), "ipv4");
}
for (const range of BLOCKED_V6) {
  const [network = "", prefix] = range.split("/");
  blocked.addSubnet(network, Number(prefix), "ipv6");
}

/**
 * Whether an IP address is one outbound webhooks must not reach (loopback, private, unique-local, link-local, CGNAT,
 * multicast, unspecified, reserved), IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) judged by their IPv4 address.
 * Anything that is not an IP address is blocked too.
 * @example isBlockedAddress("169.254.169.254") // true
 */
export function isBlockedAddress(address: string): boolean {
  const bare = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const version = isIP(bare);
  if (version === 4) return blocked.check(bare, "ipv4");
  if (version !== 6) return true;
  const mapped = mappedIpv4(bare);
  if (mapped) return blocked.check(mapped, "ipv4");
  return blocked.check(bare, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:xxxx:xxxx), else null. */
function mappedIpv4(address: string): string | null {
  const match = /^(?:0{0,4}:){0,4}:?(?:0{0,4}:)?ffff:(.+)$/i.exec(address);
  const rest = match?.[1];
  if (!rest) return null;
  if (isIP(rest) === 4) return rest;
  const words = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!words) return null;
  const high = Number.parseInt(words[1] ?? "0", 16);
  const low = Number.parseInt(words[2] ?? "0", 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}
