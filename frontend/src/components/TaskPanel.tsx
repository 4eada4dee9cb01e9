import type { TasksState } from "@/hooks/useTasks";
import { Alert } from "./Alert";
import { TaskComposer } from "./TaskComposer";
import { TaskFilterTabs } from "./TaskFilterTabs";
import { TaskList } from "./TaskList";

export function TaskPanel({ tasks }: { tasks: TasksState }) {
  // With nothing loaded, the alert says why; an "empty list" message would not be true.
  const nothingLoaded = tasks.error !== null && tasks.tasks.length === 0;
  return (
    <section className="panel" aria-labelledby="tasks-heading">
      <h2 id="tasks-heading">Tasks</h2>
      <TaskComposer onAdd={tasks.addTask} />
      <TaskFilterTabs value={tasks.filter} onChange={tasks.setFilter} />
      {tasks.error && (
        <Alert testId="tasks-error" onRetry={tasks.reload}>
          {tasks.error}
        </Alert>
      )}
      {!nothingLoaded && (
        <TaskList
          tasks={tasks.tasks}
          filter={tasks.filter}
          loading={tasks.loading}
          onChange={tasks.changeTask}
          onDelete={tasks.removeTask}
        />
      )}
    </section>
  );
}
