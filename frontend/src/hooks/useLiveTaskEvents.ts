"use client";

import { useEffect, useState } from "react";
import {
  UNAUTHORIZED_CLOSE_CODE,
  isResyncSignal,
  liveUpdatesUrl,
  parseTaskEvent,
  reconnectDelay,
} from "@/lib/liveUpdates";
import type { TaskEvent } from "@/lib/types";
import { useLatest } from "./useLatest";

export type LiveStatus = "connecting" | "live" | "reconnecting";

interface LiveTaskEventHandlers {
  onEvent: (event: TaskEvent) => void;
  /** The socket came back after a drop, or the backend says it missed events (resync): reload. */
  onReconnected: () => void;
  onUnauthorized: () => void;
}

/** Keeps a WebSocket to the backend open (reconnecting with backoff) and hands over each task event. */
export function useLiveTaskEvents(token: string, handlers: LiveTaskEventHandlers): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const latest = useLatest(handlers);

  useEffect(() => {
    let socket: WebSocket | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failedAttempts = 0;
    let connectedBefore = false;
    let stopped = false;

    const connect = () => {
      socket = new WebSocket(liveUpdatesUrl(window.location, token));
      socket.onopen = () => {
        failedAttempts = 0;
        setStatus("live");
        if (connectedBefore) latest.current.onReconnected();
        connectedBefore = true;
      };
      socket.onmessage = (message) => {
        if (isResyncSignal(message.data)) {
          latest.current.onReconnected();
          return;
        }
        const event = parseTaskEvent(message.data);
        if (event) latest.current.onEvent(event);
      };
      socket.onclose = (close) => {
        if (stopped) return;
        if (close.code === UNAUTHORIZED_CLOSE_CODE) {
          latest.current.onUnauthorized();
          return;
        }
        setStatus("reconnecting");
        retryTimer = setTimeout(connect, reconnectDelay(failedAttempts++));
      };
    };

    connect();
    return () => {
      stopped = true;
      clearTimeout(retryTimer);
      socket?.close();
    };
  }, [token, latest]);

  return status;
}
