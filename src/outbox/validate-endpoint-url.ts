import { isIP } from "node:net";
import { AppError } from "../errors.js";
import { isBlockedAddress } from "./blocked-addresses.js";

/** The longest endpoint URL accepted. */
export const MAX_ENDPOINT_URL_LENGTH = 2048;

export type EndpointTargetPolicy = {
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS: loopback and private addresses and plain http are allowed (development, tests) */
  allowPrivateTargets: boolean;
};

/**
 * Checks an endpoint URL before it is stored and again before each delivery: https (http only when private targets are
 * allowed), no user name or password, no fragment, and no literal address or local name (localhost, *.localhost,
 * *.internal) outside the public internet. Names are resolved, and their addresses checked, at each delivery.
 * Returns the URL normalised.
 * @example validateEndpointUrl("https://hooks.example.com/sync", { allowPrivateTargets: false })
 */
export function validateEndpointUrl(raw: string, policy: EndpointTargetPolicy): URL {
  if (raw.length > MAX_ENDPOINT_URL_LENGTH) {
    throw refused(`the URL is longer than ${MAX_ENDPOINT_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused("it is not an absolute URL");
  }
  const allowed = policy.allowPrivateTargets ? ["https:", "http:"] : ["https:"];
  if (!allowed.includes(url.protocol)) {
    throw refused(
      policy.allowPrivateTargets
        ? "only http and https URLs can receive webhooks"
        : "it must use https (plain http only with WEBHOOK_ALLOW_PRIVATE_TARGETS=true)",
    );
  }
  if (url.username || url.password) throw refused("it must not carry a user name or password");
  if (url.hash) throw refused("it must not have a #fragment");
  if (!policy.allowPrivateTargets) refuseLocalHost(url.hostname);
  return url;
}

/** A host that is a non-public literal address or a name that is local by definition. */
function refuseLocalHost(hostname: string): void {
  const host = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  const name = host.toLowerCase().replace(/\.$/, "");
  if (isIP(host) !== 0) {
    if (isBlockedAddress(host)) throw privateTarget(host);
    return;
  }
  if (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name.endsWith(".internal") ||
    !name.includes(".")
  ) {
    throw privateTarget(host);
  }
}

function privateTarget(host: string): AppError {
  return refused(
    `${host} is not a public address (loopback, private, link-local and similar ranges are refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true)`,
  );
}

function refused(why: string): AppError {
  return new AppError("BAD_INPUT", `This webhook URL cannot be used: ${why}.`);
}
