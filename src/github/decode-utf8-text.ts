// fatal: invalid UTF-8 is binary to us, not text with U+FFFD in it. ignoreBOM: keep a BOM, the copy must be exact.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The bytes as text, or null when they are binary for the memory's purposes: invalid UTF-8, or a NUL character
 * (which a PostgreSQL text column cannot hold).
 */
export function decodeUtf8Text(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}
