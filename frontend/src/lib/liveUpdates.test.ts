import { describe, expect, it } from "vitest";
import { makeTask } from "../../test/fakeBackend";
import { isResyncSignal, liveUpdatesUrl, parseTaskEvent, reconnectDelay } from "./liveUpdates";

describe("liveUpdatesUrl", () => {
  it("points at the page's own origin, with ws: for http: and wss: for https:", () => {
    expect(liveUpdatesUrl({ protocol: "http:", host: "localhost:8080" }, "t")).toBe("ws://localhost:8080/api/ws?token=t");
    expect(liveUpdatesUrl({ protocol: "https:", host: "todo.example" }, "t")).toBe("wss://todo.example/api/ws?token=t");
  });

  it("escapes the token for the query string", () => {
    expect(liveUpdatesUrl({ protocol: "http:", host: "h" }, "a+b/c=")).toBe("ws://h/api/ws?token=a%2Bb%2Fc%3D");
  });
});

describe("reconnectDelay", () => {
  it("doubles from one second and stops growing at thirty", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(reconnectDelay)).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });
});

describe("parseTaskEvent", () => {
  it("reads task events", () => {
    const task = makeTask();
    expect(parseTaskEvent(JSON.stringify({ type: "task.updated", task }))).toEqual({ type: "task.updated", task });
  });

  it("ignores messages it does not understand", () => {
    expect(parseTaskEvent("not json")).toBeNull();
    expect(parseTaskEvent(JSON.stringify({ type: "ping" }))).toBeNull();
    expect(parseTaskEvent(JSON.stringify({ type: "task.created" }))).toBeNull();
    expect(parseTaskEvent(new ArrayBuffer(2))).toBeNull();
  });
});

describe("isResyncSignal", () => {
  it("recognises the backend's resync message and nothing else", () => {
    expect(isResyncSignal(JSON.stringify({ type: "resync" }))).toBe(true);
    expect(isResyncSignal(JSON.stringify({ type: "task.created", task: makeTask() }))).toBe(false);
    expect(isResyncSignal("not json")).toBe(false);
    expect(isResyncSignal(new ArrayBuffer(2))).toBe(false);
  });
});
