import { vi } from "vitest";

/** A WebSocket the test drives by hand: open it, push messages, close it with a code. */
export class FakeWebSocket {
  static instances: FakeWebSocket[] = [];

  onopen: (() => void) | null = null;
  onmessage: ((message: { data: unknown }) => void) | null = null;
  onclose: ((close: { code: number }) => void) | null = null;
  closedByClient = false;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  static latest(): FakeWebSocket {
    const socket = FakeWebSocket.instances.at(-1);
    if (!socket) throw new Error("no WebSocket was opened");
    return socket;
  }

  static install() {
    FakeWebSocket.instances = [];
    vi.stubGlobal("WebSocket", FakeWebSocket);
  }

  close() {
    this.closedByClient = true;
  }

  serverOpens() {
    this.onopen?.();
  }

  serverSends(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  serverCloses(code: number) {
    this.onclose?.({ code });
  }
}
