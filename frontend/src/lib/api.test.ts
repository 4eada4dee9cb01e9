import { describe, expect, it } from "vitest";
import { fakeBackend, jsonResponse, makeTask, unreachableBackend } from "../../test/fakeBackend";
import { ApiError, apiRequest, errorMessage, isUnauthorized, listTasks, sendChatMessage } from "./api";

async function failureOf(call: Promise<unknown>): Promise<ApiError> {
  const failure = await call.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(failure instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(failure)}`);
  return failure;
}

describe("apiRequest", () => {
  it("sends the bearer token and a JSON body to the same-origin path", async () => {
    const { requests } = fakeBackend({ "POST /api/tasks": () => jsonResponse(201, makeTask({ id: 7 })) });

    await apiRequest("/api/tasks", { method: "POST", token: "jwt-123", body: { title: "Buy milk" } });

    expect(requests[0]).toMatchObject({
      method: "POST",
      url: "/api/tasks",
      headers: { Authorization: "Bearer jwt-123", "Content-Type": "application/json" },
      body: { title: "Buy milk" },
    });
  });

  it("returns the parsed JSON of a successful response", async () => {
    fakeBackend({ "GET /api/auth/me": () => jsonResponse(200, { id: 1, email: "ada@example.com" }) });

    await expect(apiRequest("/api/auth/me", { token: "t" })).resolves.toEqual({ id: 1, email: "ada@example.com" });
  });

  it("resolves to nothing for 204 No Content", async () => {
    fakeBackend({ "DELETE /api/tasks/3": () => new Response(null, { status: 204 }) });

    await expect(apiRequest("/api/tasks/3", { method: "DELETE", token: "t" })).resolves.toBeUndefined();
  });

  it("fails with the server's own detail message", async () => {
    fakeBackend({ "POST /api/auth/signup": () => jsonResponse(409, { detail: "Email is already registered" }) });

    const failure = await failureOf(apiRequest("/api/auth/signup", { method: "POST", body: {} }));

    expect(failure.status).toBe(409);
    expect(failure.message).toBe("Email is already registered");
  });

  it("turns FastAPI validation errors into one sentence naming each field", async () => {
    fakeBackend({
      "POST /api/auth/signup": () =>
        jsonResponse(422, {
          detail: [
            { loc: ["body", "email"], msg: "value is not a valid email address" },
            { loc: ["body", "password"], msg: "String should have at least 8 characters" },
          ],
        }),
    });

    const failure = await failureOf(apiRequest("/api/auth/signup", { method: "POST", body: {} }));

    expect(failure.message).toBe(
      "email: value is not a valid email address; password: String should have at least 8 characters",
    );
  });

  it("says the server can't be reached when the network request itself fails", async () => {
    unreachableBackend();

    const failure = await failureOf(apiRequest("/api/tasks?status=all", { token: "t" }));

    expect(failure.status).toBe(0);
    expect(failure.message).toMatch(/can't reach the server/i);
  });

  it("falls back to a plain message when an error response is not JSON", async () => {
    fakeBackend({ "GET /api/tasks?status=all": () => new Response("<html>Bad Gateway</html>", { status: 502 }) });

    const failure = await failureOf(apiRequest("/api/tasks?status=all", { token: "t" }));

    expect(failure.message).toBe("The server is unavailable right now. Please try again shortly.");
  });
});

describe("API helpers", () => {
  it("asks for the tasks under a filter", async () => {
    const { requests } = fakeBackend({ "GET /api/tasks?status=pending": () => jsonResponse(200, []) });

    await listTasks("t", "pending");

    expect(requests[0].url).toBe("/api/tasks?status=pending");
  });

  it("starts a conversation without an id and continues one with it", async () => {
    const reply = { reply: "Done", conversation_id: "c1", tool_calls: [], tasks_changed: [] };
    const { requests } = fakeBackend({ "POST /api/chat": () => jsonResponse(200, reply) });

    await sendChatMessage("t", "hello");
    await sendChatMessage("t", "and again", "c1");

    expect(requests.map((request) => request.body)).toEqual([
      { message: "hello" },
      { message: "and again", conversation_id: "c1" },
    ]);
  });

  it("recognises an expired session only from a 401", () => {
    expect(isUnauthorized(new ApiError(401, "no"))).toBe(true);
    expect(isUnauthorized(new ApiError(403, "no"))).toBe(false);
    expect(isUnauthorized(new Error("no"))).toBe(false);
  });

  it("never shows a person a programming error's text", () => {
    expect(errorMessage(new TypeError("x is undefined"))).toBe("Something went wrong. Please try again.");
  });
});
