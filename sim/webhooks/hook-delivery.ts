/**
 * One webhook delivery as GitHub's delivery log keeps it: what `GET /app/hook/deliveries/{delivery_id}` answers,
 * request and response included. Field names are GitHub's, so the log and the API agree.
 */
export type HookDelivery = {
  /** increasing; a redelivery gets a new one */
  id: number;
  /** X-GitHub-Delivery, shared by every redelivery of the same event */
  guid: string;
  /** when the attempt started, ISO 8601 without milliseconds */
  delivered_at: string;
  redelivery: boolean;
  /** seconds */
  duration: number;
  /** "OK" for a 2xx answer, "Invalid HTTP Response: 503", "failed to connect to host" or "timed out" */
  status: string;
  /** the target's HTTP status; 0 when no answer came */
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
  throttled_at: string | null;
  /** the target the attempt went to */
  url: string;
  request: { headers: Record<string, string>; payload: unknown };
  /** `payload` is the response body; null when no answer came */
  response: { headers: Record<string, string>; payload: string | null };
};

/** The list form of a delivery (GitHub's "simple webhook delivery"): no url, request or response. */
export function simpleHookDelivery(
  delivery: HookDelivery,
): Omit<HookDelivery, "url" | "request" | "response"> {
  const { url: _url, request: _request, response: _response, ...simple } = delivery;
  return simple;
}
