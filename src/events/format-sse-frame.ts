/** One Server-Sent Events message: an optional `id:`, an optional `event:` type, and data as one JSON line. */
export type SseFrame = { id?: string; event?: string; data: unknown };

/**
 * The bytes of one SSE message. JSON.stringify never emits a raw newline, so `data` is one line; `id` and `event`
 * come from our own rows but are stripped of line breaks anyway, since a newline there would forge a field.
 * @example formatSseFrame({ id: "7", event: "phase", data: { phase: "diff" } }) // 'id: 7\nevent: phase\ndata: {"phase":"diff"}\n\n'
 */
export function formatSseFrame(frame: SseFrame): string {
  let text = "";
  if (frame.id !== undefined) text += `id: ${oneLine(frame.id)}\n`;
  if (frame.event !== undefined) text += `event: ${oneLine(frame.event)}\n`;
  return `${text}data: ${JSON.stringify(frame.data)}\n\n`;
}

function oneLine(value: string): string {
  return value.replace(/[\r\n]/g, "");
}
