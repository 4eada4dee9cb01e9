import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeTask } from "../../test/fakeBackend";
import { FakeWebSocket } from "../../test/fakeWebSocket";
import { useLiveTaskEvents } from "./useLiveTaskEvents";

function renderLiveEvents() {
  const handlers = { onEvent: vi.fn(), onReconnected: vi.fn(), onUnauthorized: vi.fn() };
  const hook = renderHook(() => useLiveTaskEvents("jwt", handlers));
  return { ...hook, handlers };
}

describe("useLiveTaskEvents", () => {
  beforeEach(() => {
    FakeWebSocket.install();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it("hands each task event over once the socket is open", () => {
    const { result, handlers } = renderLiveEvents();
    expect(result.current).toBe("connecting");

    const task = makeTask();
    act(() => {
      FakeWebSocket.latest().serverOpens();
      FakeWebSocket.latest().serverSends({ type: "task.created", task });
    });

    expect(result.current).toBe("live");
    expect(handlers.onEvent).toHaveBeenCalledWith({ type: "task.created", task });
  });

  it("reconnects after a drop, waiting longer after each failure, and asks for a reload once back", () => {
    const { result, handlers } = renderLiveEvents();
    act(() => FakeWebSocket.latest().serverOpens());

    act(() => FakeWebSocket.latest().serverCloses(1006));
    expect(result.current).toBe("reconnecting");
    act(() => vi.advanceTimersByTime(1000));
    expect(FakeWebSocket.instances).toHaveLength(2);

    act(() => FakeWebSocket.latest().serverCloses(1006));
    act(() => vi.advanceTimersByTime(1999));
    expect(FakeWebSocket.instances).toHaveLength(2);
    act(() => vi.advanceTimersByTime(1));
    expect(FakeWebSocket.instances).toHaveLength(3);

    act(() => FakeWebSocket.latest().serverOpens());
    expect(result.current).toBe("live");
    expect(handlers.onReconnected).toHaveBeenCalledOnce();
  });

  it("asks for a reload when the backend signals a resync", () => {
    const { handlers } = renderLiveEvents();
    act(() => {
      FakeWebSocket.latest().serverOpens();
      FakeWebSocket.latest().serverSends({ type: "resync" });
    });

    expect(handlers.onReconnected).toHaveBeenCalledOnce();
    expect(handlers.onEvent).not.toHaveBeenCalled();
  });

  it("gives up and reports an unauthorized session when closed with 4401", () => {
    const { handlers } = renderLiveEvents();

    act(() => FakeWebSocket.latest().serverCloses(4401));
    act(() => vi.advanceTimersByTime(60_000));

    expect(handlers.onUnauthorized).toHaveBeenCalledOnce();
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it("closes the socket and stops reconnecting when the page is left", () => {
    const { unmount } = renderLiveEvents();
    const socket = FakeWebSocket.latest();

    unmount();
    act(() => vi.advanceTimersByTime(60_000));

    expect(socket.closedByClient).toBe(true);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });
});
