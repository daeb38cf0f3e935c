import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { AppError } from "../errors.js";
import { isBlockedAddress } from "./blocked-addresses.js";

/**
 * dns.lookup for outbound webhooks: the connection goes to an address checked here, never to one a second lookup
 * returned. It fails when any address of the name is outside the public internet (unless allowed).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 4);
      const blocked = allowPrivate ? undefined : addresses.find((entry) => isBlockedAddress(entry.address));
      if (blocked) {
        const refused = new AppError(
          "FORBIDDEN",
          `${hostname} resolves to ${blocked.address}, which is not a public address; the webhook was not sent.`,
        );
        return callback(refused as NodeJS.ErrnoException, "", 4);
      }
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), "", 4);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}
