import type { Task, TaskChanges, TaskFilter } from "@/lib/types";
import { TaskItem } from "./TaskItem";

const EMPTY_MESSAGES: Record<TaskFilter, string> = {
  all: "No tasks yet. Add one above or ask the assistant.",
  pending: "Nothing pending.",
  completed: "Nothing completed yet.",
};

interface TaskListProps {
  tasks: Task[];
  filter: TaskFilter;
  loading: boolean;
  onChange: (id: number, changes: TaskChanges) => Promise<boolean>;
  onDelete: (id: number) => Promise<boolean>;
}

export function TaskList({ tasks, filter, loading, onChange, onDelete }: TaskListProps) {
  if (tasks.length === 0) {
    return loading ? (
      <p role="status" className="muted">
        Loading tasks…
      </p>
    ) : (
      <p className="muted" data-testid="tasks-empty">
        {EMPTY_MESSAGES[filter]}
      </p>
    );
  }
  return (
    <ul className="task-list" aria-label="Tasks" aria-busy={loading} data-testid="task-list">
      {tasks.map((task) => (
        <TaskItem
          key={task.id}
          task={task}
          onChange={(changes) => onChange(task.id, changes)}
          onDelete={() => onDelete(task.id)}
        />
      ))}
    </ul>
  );
}
