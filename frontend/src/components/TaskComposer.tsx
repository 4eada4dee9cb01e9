"use client";

import { useState, type FormEvent } from "react";
import type { TaskDraft } from "@/lib/types";

/** The form that adds a task; it keeps what was typed if adding fails. */
export function TaskComposer({ onAdd }: { onAdd: (draft: TaskDraft) => Promise<boolean> }) {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [saving, setSaving] = useState(false);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmedTitle = title.trim();
    if (!trimmedTitle) return;
    const trimmedDescription = description.trim();
    setSaving(true);
    const added = await onAdd(trimmedDescription ? { title: trimmedTitle, description: trimmedDescription } : { title: trimmedTitle });
    setSaving(false);
    if (added) {
      setTitle("");
      setDescription("");
    }
  }

  return (
    <form className="task-composer" aria-label="Add a task" onSubmit={handleSubmit}>
      <label htmlFor="new-task-title">New task</label>
      <input
        id="new-task-title"
        data-testid="new-task-title"
        placeholder="What needs doing?"
        required
        value={title}
        onChange={(event) => setTitle(event.target.value)}
      />
      <label htmlFor="new-task-description">Details (optional)</label>
      <input
        id="new-task-description"
        data-testid="new-task-description"
        value={description}
        onChange={(event) => setDescription(event.target.value)}
      />
      <button type="submit" data-testid="add-task" disabled={saving}>
        Add task
      </button>
    </form>
  );
}
