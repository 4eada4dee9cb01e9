"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { createTask, deleteTask, errorMessage, isUnauthorized, listTasks, updateTask } from "@/lib/api";
import { applyTaskEvent, sortTasks, withTask, withoutTask } from "@/lib/taskList";
import type { Task, TaskChanges, TaskDraft, TaskEvent, TaskFilter } from "@/lib/types";

/** The signed-in user's tasks under the chosen filter, and the actions that change them. */
export function useTasks(token: string, onUnauthorized: () => void) {
  const [filter, setFilter] = useState<TaskFilter>("all");
  const [tasks, setTasks] = useState<Task[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Only the newest load may write the list: switching filters quickly must not show a stale answer.
  const latestLoad = useRef(0);

  const fail = useCallback(
    (failure: unknown) => {
      if (isUnauthorized(failure)) onUnauthorized();
      else setError(errorMessage(failure));
    },
    [onUnauthorized],
  );

  const reload = useCallback(async () => {
    const load = ++latestLoad.current;
    setLoading(true);
    try {
      const loaded = await listTasks(token, filter);
      if (load !== latestLoad.current) return;
      setTasks(sortTasks(loaded));
      setError(null);
    } catch (failure) {
      if (load === latestLoad.current) fail(failure);
    } finally {
      if (load === latestLoad.current) setLoading(false);
    }
  }, [token, filter, fail]);

  useEffect(() => {
    void reload();
  }, [reload]);

  /** Runs one change against the API; resolves to whether it succeeded. */
  const attempt = useCallback(
    async (change: () => Promise<void>) => {
      try {
        await change();
        setError(null);
        return true;
      } catch (failure) {
        fail(failure);
        return false;
      }
    },
    [fail],
  );

  const addTask = (draft: TaskDraft) =>
    attempt(async () => {
      const created = await createTask(token, draft);
      setTasks((current) => withTask(current, created, filter));
    });

  /** Shown at once (a checkbox must not lag behind the click), confirmed or undone by the server's answer. */
  const changeTask = async (id: number, changes: TaskChanges) => {
    const before = tasks.find((task) => task.id === id);
    if (before) setTasks((current) => withTask(current, { ...before, ...changes }, filter));
    const saved = await attempt(async () => {
      const updated = await updateTask(token, id, changes);
      setTasks((current) => withTask(current, updated, filter));
    });
    if (!saved && before) setTasks((current) => withTask(current, before, filter));
    return saved;
  };

  const removeTask = (id: number) =>
    attempt(async () => {
      await deleteTask(token, id);
      setTasks((current) => withoutTask(current, id));
    });

  const applyEvent = useCallback(
    (event: TaskEvent) => setTasks((current) => applyTaskEvent(current, event, filter)),
    [filter],
  );

  return { tasks, filter, setFilter, loading, error, reload, addTask, changeTask, removeTask, applyEvent };
}

export type TasksState = ReturnType<typeof useTasks>;
