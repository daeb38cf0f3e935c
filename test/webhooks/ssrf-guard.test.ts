// Outbound webhooks never reach the app's own network unless WEBHOOK_ALLOW_PRIVATE_TARGETS allows it: refused at
// registration, at each delivery (literal addresses, names and what names resolve to), no redirects followed, and
// every request bounded in time. Only 127.0.0.1 is ever connected to here: every other target is refused before any
// connection is made, which the receiver's empty log proves for the loopback ones.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { AppError } from "../../src/errors.js";
import { isBlockedAddress } from "../../src/outbox/blocked-addresses.js";
import { guardedLookup } from "../../src/outbox/guarded-lookup.js";
import { sendWebhook } from "../../src/outbox/send-webhook.js";
import { validateEndpointUrl } from "../../src/outbox/validate-endpoint-url.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

const REFUSED_TARGETS = [
  "https://127.0.0.1/hook",
  "https://127.8.9.10/hook",
  "https://10.1.2.3/hook",
  "https://172.20.0.1/hook",
  "https://192.168.1.1/hook",
  "https://169.254.169.254/latest/meta-data",
  "https://100.64.0.1/hook",
  "https://0.0.0.0/hook",
  "https://224.0.0.1/hook",
  "https://2130706433/hook",
  "https://[::1]/hook",
  "https://[::]/hook",
  "https://[::ffff:127.0.0.1]/hook",
  "https://[::ffff:a9fe:a9fe]/hook",
  "https://[fd00::1]/hook",
  "https://[fe80::1]/hook",
  "https://[ff02::1]/hook",
  "https://localhost/hook",
  "https://LOCALHOST./hook",
  "https://api.localhost/hook",
  "https://metadata.google.internal/hook",
  "https://intranet/hook",
];

describe("isBlockedAddress", () => {
  it.each([
    ["127.0.0.1", true],
    ["10.255.255.255", true],
    ["172.31.0.1", true],
    ["172.32.0.1", false],
    ["192.168.0.10", true],
    ["169.254.169.254", true],
    ["100.100.100.200", true],
    ["255.255.255.255", true],
    ["8.8.8.8", false],
    ["93.184.216.34", false],
    ["::1", true],
    ["::", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:8.8.8.8", false],
    ["fc00::1", true],
    ["fdff:ffff::1", true],
    ["fe80::abcd", true],
    ["ff05::2", true],
    ["2001:db8::1", true],
    ["2606:4700:4700::1111", false],
    ["not an address", true],
  ])("%s → %s", (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });
});

describe("validateEndpointUrl", () => {
  it.each(REFUSED_TARGETS)("refuses %s", (url) => {
    expect(() => validateEndpointUrl(url, { allowPrivateTargets: false })).toThrow(
      /not a public address|cannot be used/,
    );
  });

  it.each([
    ["http://hooks.example.com/x", /must use https/],
    ["https://user:pass@hooks.example.com/x", /user name or password/],
    ["https://hooks.example.com/x#frag", /fragment/],
    ["ftp://hooks.example.com/x", /must use https/],
    ["hooks.example.com/x", /not an absolute URL/],
    [`https://hooks.example.com/${"x".repeat(2100)}`, /longer than/],
  ])("refuses %s", (url, message) => {
    expect(() => validateEndpointUrl(url, { allowPrivateTargets: false })).toThrow(message);
  });

  it("accepts public https URLs, and local ones only when private targets are allowed", () => {
    expect(validateEndpointUrl("https://hooks.example.com/x?a=1", { allowPrivateTargets: false }).href).toBe(
      "https://hooks.example.com/x?a=1",
    );
    expect(validateEndpointUrl("https://93.184.216.34/x", { allowPrivateTargets: false }).hostname).toBe(
      "93.184.216.34",
    );
    expect(validateEndpointUrl("http://127.0.0.1:9/x", { allowPrivateTargets: true }).port).toBe("9");
  });
});

describe("sendWebhook", () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  const send = (url: string, options: { allowPrivateTargets?: boolean; timeoutMs?: number } = {}) =>
    sendWebhook({
      url,
      headers: { "content-type": "application/json" },
      body: "{}",
      allowPrivateTargets: options.allowPrivateTargets ?? false,
      timeoutMs: options.timeoutMs,
    });

  it.each(REFUSED_TARGETS)("refuses to send to %s without connecting", async (url) => {
    await expect(send(url)).rejects.toThrow(AppError);
    expect(receiver.received).toHaveLength(0);
  });

  it("refuses the local receiver itself unless private targets are allowed", async () => {
    const port = new URL(receiver.url).port;
    await expect(send(receiver.url, { allowPrivateTargets: false })).rejects.toThrow(
      /not a public address|https/,
    );
    await expect(send(`http://localhost:${port}/hooks`)).rejects.toThrow(/https/);
    expect(receiver.received).toHaveLength(0);

    expect(await send(receiver.url, { allowPrivateTargets: true })).toEqual({ statusCode: 200, body: "ok" });
    expect(receiver.received).toHaveLength(1);
  });

  it("checks what a name resolves to: localhost is refused at its lookup, with the address named", async () => {
    const lookup = guardedLookup(false);
    const refused = await new Promise<unknown>((resolve) =>
      lookup("localhost", { all: true }, (error) => resolve(error)),
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).message).toMatch(
      /localhost resolves to (127\.0\.0\.1|::1), which is not a public address/,
    );

    const allowed = await new Promise<unknown>((resolve) =>
      guardedLookup(true)("localhost", { all: true }, (error, addresses) => resolve(error ?? addresses)),
    );
    expect(allowed).toEqual(
      expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]),
    );
  });

  it("does not follow redirects: a 3xx is the answer", async () => {
    receiver.setPlan(() => 302);
    const before = receiver.received.length;

    const response = await send(receiver.url, { allowPrivateTargets: true });

    expect(response.statusCode).toBe(302);
    expect(receiver.received).toHaveLength(before + 1);
  });

  it("times out an endpoint that does not answer", async () => {
    receiver.setPlan(() => "hold");

    await expect(send(receiver.url, { allowPrivateTargets: true, timeoutMs: 300 })).rejects.toThrow(
      /No answer within 0.3 s/,
    );
  });
});
