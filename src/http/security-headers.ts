import type { RequestHandler } from "express";

// The page loads only its own scripts, styles and API (no inline script or style, no framing, no plugins).
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");
// JSON and event streams are never rendered as documents.
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Security headers for the API's or the page's responses: nosniff, no framing, no referrer, and a strict CSP
 * (`default-src 'self'`, no inline scripts) for the page.
 */
export function securityHeaders(area: "api" | "page"): RequestHandler {
  const headers = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Content-Security-Policy": area === "page" ? PAGE_CSP : API_CSP,
  };
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}
