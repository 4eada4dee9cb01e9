"use client";

import { useState } from "react";
import type { Task, TaskChanges } from "@/lib/types";
import { TaskEditForm } from "./TaskEditForm";

interface TaskItemProps {
  task: Task;
  onChange: (changes: TaskChanges) => Promise<boolean>;
  onDelete: () => Promise<boolean>;
}

/** One task: its checkbox (named by the title) completes it; it can be edited in place or deleted. */
export function TaskItem({ task, onChange, onDelete }: TaskItemProps) {
  const [editing, setEditing] = useState(false);
  const checkboxId = `task-${task.id}-completed`;

  async function save(changes: TaskChanges) {
    if (await onChange(changes)) setEditing(false);
  }

  if (editing) {
    return (
      <li className="task-item" data-testid="task-item" data-task-id={task.id}>
        <TaskEditForm task={task} onSave={save} onCancel={() => setEditing(false)} />
      </li>
    );
  }

  return (
    <li
      className={task.completed ? "task-item task-item--completed" : "task-item"}
      data-testid="task-item"
      data-task-id={task.id}
    >
      <input
        id={checkboxId}
        type="checkbox"
        checked={task.completed}
        onChange={() => void onChange({ completed: !task.completed })}
      />
      <div className="task-item__text">
        <label htmlFor={checkboxId} className="task-item__title" data-testid="task-title">
          {task.title}
        </label>
        {task.description && <p className="task-item__description">{task.description}</p>}
      </div>
      <button type="button" className="button-secondary" aria-label={`Edit "${task.title}"`} onClick={() => setEditing(true)}>
        Edit
      </button>
      <button type="button" className="button-danger" aria-label={`Delete "${task.title}"`} onClick={() => void onDelete()}>
        Delete
      </button>
    </li>
  );
}
