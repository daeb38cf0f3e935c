import { generateKeyPairSync } from "node:crypto";

/** A throwaway GitHub App private key (PKCS#1 PEM, as GitHub hands them out) for an app that talks to the simulator. */
export function generateAppKey(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs1",
    format: "pem",
  }) as string;
}
