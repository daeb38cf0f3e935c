import type { SimulatorState } from "../simulator-state.js";

/**
 * One page of `items` as GitHub pages a list: `per_page` 1–100 (default 30), `page` from 1, and a Link header naming
 * the next and last pages while there are more.
 */
export function paginate<T>(
  sim: SimulatorState,
  path: string,
  items: readonly T[],
  query: URLSearchParams,
): { slice: T[]; link: Record<string, string> | undefined } {
  const perPage = Math.min(Math.max(Number(query.get("per_page") ?? 30) || 30, 1), 100);
  const page = Math.max(Number(query.get("page") ?? 1) || 1, 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const lastPage = Math.max(Math.ceil(items.length / perPage), 1);
  const pageUrl = (n: number) => `${sim.apiUrl}${path}?per_page=${perPage}&page=${n}`;
  const link =
    page < lastPage
      ? { link: `<${pageUrl(page + 1)}>; rel="next", <${pageUrl(lastPage)}>; rel="last"` }
      : undefined;
  return { slice, link };
}
