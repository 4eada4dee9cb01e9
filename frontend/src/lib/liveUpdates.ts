import type { TaskEvent } from "./types";

/** The backend closes the socket with this code when the token is missing, invalid or expired. */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

const MAX_RECONNECT_DELAY_MS = 30_000;

/** Same origin as the page (nginx proxies it), ws: or wss: to match http: or https:. */
export function liveUpdatesUrl(location: Pick<Location, "protocol" | "host">, token: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/ws?token=${encodeURIComponent(token)}`;
}

/** 1 s, 2 s, 4 s ... capped at 30 s, so a restarting backend is not hammered. */
export function reconnectDelay(failedAttempts: number): number {
  return Math.min(MAX_RECONNECT_DELAY_MS, 1000 * 2 ** failedAttempts);
}

const EVENT_TYPES = new Set<string>(["task.created", "task.updated", "task.deleted"]);

/** The event in a WebSocket message, or null for anything this UI does not understand. */
export function parseTaskEvent(data: unknown): TaskEvent | null {
  if (typeof data !== "string") return null;
  try {
    const message = JSON.parse(data);
    return EVENT_TYPES.has(message?.type) && typeof message.task?.id === "number" ? (message as TaskEvent) : null;
  } catch {
    return null;
  }
}

/** The backend's fan-out lost and regained its database connection: events may have been missed. */
export function isResyncSignal(data: unknown): boolean {
  if (typeof data !== "string") return false;
  try {
    return JSON.parse(data)?.type === "resync";
  } catch {
    return false;
  }
}
