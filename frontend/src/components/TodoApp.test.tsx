import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { loadSession, saveSession } from "@/lib/session";
import type { Task } from "@/lib/types";
import { fakeBackend, jsonResponse, makeTask, unreachableBackend } from "../../test/fakeBackend";
import { FakeWebSocket } from "../../test/fakeWebSocket";
import { router } from "../../test/router";
import { TodoApp } from "./TodoApp";

const milk = makeTask({ id: 1, title: "Buy milk" });
const report = makeTask({ id: 2, title: "Write report", description: "Quarterly numbers" });

function signIn() {
  saveSession({ token: "jwt-ada", user: { id: 1, email: "ada@example.com" } });
}

function taskTitles() {
  return screen.queryAllByTestId("task-title").map((title) => title.textContent);
}

/** The task list from the server, then the given extra routes. */
function backendWith(tasks: Task[], routes: Parameters<typeof fakeBackend>[0] = {}) {
  return fakeBackend({ "GET /api/tasks?status=all": () => jsonResponse(200, tasks), ...routes });
}

beforeEach(() => FakeWebSocket.install());

describe("the home page", () => {
  it("sends a visitor without a session to log in", () => {
    render(<TodoApp />);

    expect(router.replace).toHaveBeenCalledWith("/login");
  });

  it("shows who is signed in and their tasks", async () => {
    signIn();
    backendWith([report, milk]);

    render(<TodoApp />);

    expect(await screen.findByText("Buy milk")).toBeInTheDocument();
    expect(taskTitles()).toEqual(["Buy milk", "Write report"]);
    expect(screen.getByText("Quarterly numbers")).toBeInTheDocument();
    expect(screen.getByTestId("current-user")).toHaveTextContent("ada@example.com");
  });

  it("logs out: the session is forgotten", async () => {
    signIn();
    backendWith([]);
    render(<TodoApp />);

    await userEvent.click(screen.getByRole("button", { name: "Log out" }));

    expect(loadSession()).toBeNull();
    expect(router.replace).toHaveBeenCalledWith("/login");
  });
});

describe("managing tasks", () => {
  beforeEach(signIn);

  it("adds a task and clears the form for the next one", async () => {
    const bread = makeTask({ id: 3, title: "Buy bread", description: "Sourdough" });
    const { requests } = backendWith([milk], { "POST /api/tasks": () => jsonResponse(201, bread) });
    render(<TodoApp />);
    await screen.findByText("Buy milk");

    await userEvent.type(screen.getByLabelText("New task"), "Buy bread");
    await userEvent.type(screen.getByLabelText("Details (optional)"), "Sourdough");
    await userEvent.click(screen.getByRole("button", { name: "Add task" }));

    expect(await screen.findByText("Buy bread")).toBeInTheDocument();
    expect(requests.at(-1)?.body).toEqual({ title: "Buy bread", description: "Sourdough" });
    expect(screen.getByLabelText("New task")).toHaveValue("");
  });

  it("completes a task with its checkbox", async () => {
    const { requests } = backendWith([milk], {
      "PATCH /api/tasks/1": () => jsonResponse(200, { ...milk, completed: true }),
    });
    render(<TodoApp />);

    await userEvent.click(await screen.findByRole("checkbox", { name: "Buy milk" }));

    expect(requests.at(-1)?.body).toEqual({ completed: true });
    expect(await screen.findByRole("checkbox", { name: "Buy milk" })).toBeChecked();
  });

  it("ticks the checkbox at once and unticks it if the server refuses the change", async () => {
    let answer: (response: Response) => void = () => {};
    backendWith([milk], { "PATCH /api/tasks/1": () => new Promise<Response>((resolve) => (answer = resolve)) });
    render(<TodoApp />);

    await userEvent.click(await screen.findByRole("checkbox", { name: "Buy milk" }));
    expect(screen.getByRole("checkbox", { name: "Buy milk" })).toBeChecked();

    await act(async () => answer(jsonResponse(500, { detail: "Database is unavailable" })));
    expect(screen.getByRole("checkbox", { name: "Buy milk" })).not.toBeChecked();
    expect(screen.getByTestId("tasks-error")).toHaveTextContent("Database is unavailable");
  });

  it("edits a task in place", async () => {
    const { requests } = backendWith([milk], {
      "PATCH /api/tasks/1": () => jsonResponse(200, { ...milk, title: "Buy oat milk" }),
    });
    render(<TodoApp />);

    await userEvent.click(await screen.findByRole("button", { name: 'Edit "Buy milk"' }));
    const form = screen.getByRole("form", { name: 'Edit "Buy milk"' });
    await userEvent.clear(within(form).getByLabelText("Title"));
    await userEvent.type(within(form).getByLabelText("Title"), "Buy oat milk");
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Buy oat milk")).toBeInTheDocument();
    expect(requests.at(-1)?.body).toEqual({ title: "Buy oat milk", description: null });
  });

  it("deletes a task", async () => {
    backendWith([milk, report], { "DELETE /api/tasks/1": () => new Response(null, { status: 204 }) });
    render(<TodoApp />);

    await userEvent.click(await screen.findByRole("button", { name: 'Delete "Buy milk"' }));

    expect(await screen.findByText("Write report")).toBeInTheDocument();
    expect(taskTitles()).toEqual(["Write report"]);
  });

  it("filters by asking the server for pending or completed tasks", async () => {
    backendWith([milk, report], {
      "GET /api/tasks?status=completed": () => jsonResponse(200, [{ ...report, completed: true }]),
    });
    render(<TodoApp />);
    await screen.findByText("Buy milk");

    await userEvent.click(screen.getByRole("button", { name: "Completed" }));

    expect(await screen.findByRole("button", { name: "Completed", pressed: true })).toBeInTheDocument();
    expect(taskTitles()).toEqual(["Write report"]);
  });

  it("hides a task completed under the 'Pending' filter", async () => {
    backendWith([], {
      "GET /api/tasks?status=pending": () => jsonResponse(200, [milk]),
      "PATCH /api/tasks/1": () => jsonResponse(200, { ...milk, completed: true }),
    });
    render(<TodoApp />);
    await userEvent.click(screen.getByRole("button", { name: "Pending" }));

    await userEvent.click(await screen.findByRole("checkbox", { name: "Buy milk" }));

    expect(await screen.findByText("Nothing pending.")).toBeInTheDocument();
  });
});

describe("when things go wrong", () => {
  beforeEach(signIn);

  it("says the backend can't be reached, and Retry loads the tasks once it is back", async () => {
    unreachableBackend();
    render(<TodoApp />);

    expect(await screen.findByTestId("tasks-error")).toHaveTextContent(/can't reach the server/i);
    expect(screen.queryByTestId("tasks-empty")).not.toBeInTheDocument();

    backendWith([milk]);
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));

    expect(await screen.findByText("Buy milk")).toBeInTheDocument();
    expect(screen.queryByTestId("tasks-error")).not.toBeInTheDocument();
  });

  it("shows nginx's 'backend unavailable' answer", async () => {
    fakeBackend({
      "GET /api/tasks?status=all": () =>
        jsonResponse(502, { detail: "Cannot reach the backend right now. Please try again shortly." }),
    });
    render(<TodoApp />);

    expect(await screen.findByTestId("tasks-error")).toHaveTextContent("Cannot reach the backend right now.");
  });

  it("keeps a task that could not be added in the form", async () => {
    backendWith([], { "POST /api/tasks": () => jsonResponse(500, { detail: "Database is unavailable" }) });
    render(<TodoApp />);

    await userEvent.type(screen.getByLabelText("New task"), "Buy bread");
    await userEvent.click(screen.getByRole("button", { name: "Add task" }));

    expect(await screen.findByTestId("tasks-error")).toHaveTextContent("Database is unavailable");
    expect(screen.getByLabelText("New task")).toHaveValue("Buy bread");
  });

  it("sends the person back to log in when the server rejects their session", async () => {
    fakeBackend({ "GET /api/tasks?status=all": () => jsonResponse(401, { detail: "Could not validate credentials" }) });
    render(<TodoApp />);

    await vi.waitFor(() => expect(router.replace).toHaveBeenCalledWith("/login?expired=1"));
    expect(loadSession()).toBeNull();
  });
});

describe("live updates", () => {
  beforeEach(signIn);

  async function renderLive(tasks: Task[]) {
    backendWith(tasks);
    render(<TodoApp />);
    await screen.findByTestId(tasks.length ? "task-list" : "tasks-empty");
    const socket = FakeWebSocket.latest();
    act(() => socket.serverOpens());
    return socket;
  }

  it("connects to the backend's WebSocket with the session token and says it is live", async () => {
    const socket = await renderLive([]);

    expect(socket.url).toBe("ws://localhost:3000/api/ws?token=jwt-ada");
    expect(screen.getByTestId("live-status")).toHaveTextContent("Live");
  });

  it("shows tasks created, changed and deleted elsewhere (e.g. by the assistant)", async () => {
    const socket = await renderLive([milk]);

    act(() => socket.serverSends({ type: "task.created", task: report }));
    act(() => socket.serverSends({ type: "task.updated", task: { ...milk, title: "Buy oat milk" } }));
    expect(taskTitles()).toEqual(["Buy oat milk", "Write report"]);

    act(() => socket.serverSends({ type: "task.deleted", task: report }));
    expect(taskTitles()).toEqual(["Buy oat milk"]);
  });

  it("sends the person back to log in when the socket is refused for a bad token", async () => {
    const socket = await renderLive([]);

    act(() => socket.serverCloses(4401));

    expect(router.replace).toHaveBeenCalledWith("/login?expired=1");
  });
});
