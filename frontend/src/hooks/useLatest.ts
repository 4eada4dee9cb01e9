import { useLayoutEffect, useRef } from "react";

/**
 * A ref that always holds the latest value, so long-lived effects (a WebSocket) can call fresh
 * callbacks without being torn down and rebuilt on every render.
 */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
