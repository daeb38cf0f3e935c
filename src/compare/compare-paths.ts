/**
 * Orders paths as git and PostgreSQL's "C" collation do: by their UTF-8 bytes, which is the order of their code
 * points (JavaScript's `<` compares UTF-16 units and differs above U+FFFF).
 */
export function comparePaths(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.codePointAt(index) as number;
    const y = b.codePointAt(index) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) index += 1;
  }
  return a.length - b.length;
}
