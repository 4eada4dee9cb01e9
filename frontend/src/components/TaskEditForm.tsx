"use client";

import { useState, type FormEvent } from "react";
import type { Task, TaskChanges } from "@/lib/types";

interface TaskEditFormProps {
  task: Task;
  onSave: (changes: TaskChanges) => Promise<void>;
  onCancel: () => void;
}

export function TaskEditForm({ task, onSave, onCancel }: TaskEditFormProps) {
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description ?? "");
  const [saving, setSaving] = useState(false);
  const fieldId = (name: string) => `task-${task.id}-${name}`;

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmedTitle = title.trim();
    if (!trimmedTitle) return;
    setSaving(true);
    // An emptied description is cleared (null), not saved as an empty string.
    await onSave({ title: trimmedTitle, description: description.trim() || null });
    setSaving(false);
  }

  return (
    <form className="task-edit-form" aria-label={`Edit "${task.title}"`} onSubmit={handleSubmit}>
      <label htmlFor={fieldId("title")}>Title</label>
      <input id={fieldId("title")} required value={title} onChange={(event) => setTitle(event.target.value)} />
      <label htmlFor={fieldId("description")}>Description</label>
      <input id={fieldId("description")} value={description} onChange={(event) => setDescription(event.target.value)} />
      <div className="task-edit-form__actions">
        <button type="submit" disabled={saving}>
          Save
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
