import type { Task, TaskEvent, TaskFilter } from "./types";

// Pure rules for keeping the visible task list in step with the server.

export function matchesFilter(task: Task, filter: TaskFilter): boolean {
  if (filter === "pending") return !task.completed;
  if (filter === "completed") return task.completed;
  return true;
}

/** Oldest first, like a written list; ids grow with creation, so they give a stable order. */
export function sortTasks(tasks: Task[]): Task[] {
  return [...tasks].sort((a, b) => a.id - b.id);
}

export function withoutTask(tasks: Task[], id: number): Task[] {
  return tasks.filter((task) => task.id !== id);
}

/**
 * The list after `task` was created or changed: it is added or replaced, or dropped when it no longer
 * belongs under the current filter. Applying the same task twice is harmless, which matters because
 * our own change comes back once from the API response and once more over the WebSocket.
 */
export function withTask(tasks: Task[], task: Task, filter: TaskFilter): Task[] {
  const others = withoutTask(tasks, task.id);
  return matchesFilter(task, filter) ? sortTasks([...others, task]) : others;
}

export function applyTaskEvent(tasks: Task[], event: TaskEvent, filter: TaskFilter): Task[] {
  return event.type === "task.deleted" ? withoutTask(tasks, event.task.id) : withTask(tasks, event.task, filter);
}
