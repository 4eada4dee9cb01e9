import { describe, expect, it } from "vitest";
import { clearSession, loadSession, saveSession } from "./session";

const session = { token: "jwt-abc", user: { id: 1, email: "ada@example.com" } };

describe("the stored session", () => {
  it("survives a reload (it lives in localStorage)", () => {
    saveSession(session);
    expect(loadSession()).toEqual(session);
  });

  it("is gone after logging out", () => {
    saveSession(session);
    clearSession();
    expect(loadSession()).toBeNull();
  });

  it("is ignored when storage holds something that is not a session", () => {
    window.localStorage.setItem("todo.session", "{not json");
    expect(loadSession()).toBeNull();
    window.localStorage.setItem("todo.session", JSON.stringify({ token: "t" }));
    expect(loadSession()).toBeNull();
  });
});
