import type { Task } from "@/lib/types";

/** The tasks an assistant reply created or changed, so the person can see what it did. */
export function ChangedTasks({ tasks }: { tasks: Task[] }) {
  if (tasks.length === 0) return null;
  return (
    <div className="changed-tasks" data-testid="chat-tasks-changed">
      <p className="changed-tasks__heading">Tasks changed</p>
      <ul>
        {tasks.map((task) => (
          <li key={task.id}>
            {task.title} <span className="muted">({task.completed ? "completed" : "pending"})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
