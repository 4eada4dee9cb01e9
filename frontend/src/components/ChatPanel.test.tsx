import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeBackend, jsonResponse, makeTask } from "../../test/fakeBackend";
import { ChatPanel } from "./ChatPanel";

function renderChat() {
  const onTasksChanged = vi.fn();
  const onUnauthorized = vi.fn();
  render(<ChatPanel token="jwt-ada" onTasksChanged={onTasksChanged} onUnauthorized={onUnauthorized} />);
  return { onTasksChanged, onUnauthorized };
}

async function say(message: string) {
  await userEvent.type(screen.getByLabelText("Your message"), message);
  await userEvent.click(screen.getByRole("button", { name: "Send" }));
}

const milk = makeTask({ id: 5, title: "Buy milk" });

describe("the assistant chat", () => {
  it("shows the reply and the tasks the assistant changed, and has the task list reload", async () => {
    fakeBackend({
      "POST /api/chat": () =>
        jsonResponse(200, {
          reply: "I added “Buy milk”.",
          conversation_id: "c0ffee",
          tool_calls: [{ name: "add_task", arguments: { title: "Buy milk" }, result: milk }],
          tasks_changed: [milk],
        }),
    });
    const { onTasksChanged } = renderChat();

    await say("Remind me to buy milk");

    expect(await screen.findByTestId("chat-reply")).toHaveTextContent("I added “Buy milk”.");
    expect(screen.getByText("Remind me to buy milk")).toBeInTheDocument();
    expect(screen.getByTestId("chat-tasks-changed")).toHaveTextContent("Buy milk (pending)");
    expect(onTasksChanged).toHaveBeenCalledOnce();
    expect(screen.getByLabelText("Your message")).toHaveValue("");
  });

  it("continues the same conversation on the next message", async () => {
    const reply = { reply: "OK", conversation_id: "c0ffee", tool_calls: [], tasks_changed: [] };
    const { requests } = fakeBackend({ "POST /api/chat": () => jsonResponse(200, reply) });
    const { onTasksChanged } = renderChat();

    await say("What is pending?");
    await screen.findByTestId("chat-reply");
    await say("Thanks");

    expect(await screen.findAllByTestId("chat-reply")).toHaveLength(2);
    expect(requests.map((request) => request.body)).toEqual([
      { message: "What is pending?" },
      { message: "Thanks", conversation_id: "c0ffee" },
    ]);
    expect(onTasksChanged).not.toHaveBeenCalled();
  });

  it("says clearly when chat is unavailable, and keeps the message to send later", async () => {
    fakeBackend({
      "POST /api/chat": () => jsonResponse(503, { detail: "Chat is unavailable: OPENAI_API_KEY is not configured" }),
    });
    renderChat();

    await say("Hello?");

    expect(await screen.findByTestId("chat-error")).toHaveTextContent(
      "Chat is unavailable: OPENAI_API_KEY is not configured",
    );
    expect(screen.getByRole("alert")).toBe(screen.getByTestId("chat-error"));
    expect(screen.getByLabelText("Your message")).toHaveValue("Hello?");
  });

  it("reports a failed language-model call in the backend's words", async () => {
    fakeBackend({ "POST /api/chat": () => jsonResponse(502, { detail: "The language model request failed" }) });
    renderChat();

    await say("Hello?");

    expect(await screen.findByTestId("chat-error")).toHaveTextContent("The language model request failed");
  });

  it("hands an expired session back to the app", async () => {
    fakeBackend({ "POST /api/chat": () => jsonResponse(401, { detail: "Could not validate credentials" }) });
    const { onUnauthorized } = renderChat();

    await say("Hello?");

    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalledOnce());
    expect(screen.queryByTestId("chat-error")).not.toBeInTheDocument();
  });

  it("sends nothing for a blank message", async () => {
    const { fetchMock } = fakeBackend({});
    renderChat();

    await say("   ");

    expect(fetchMock).not.toHaveBeenCalled();
  });
});
