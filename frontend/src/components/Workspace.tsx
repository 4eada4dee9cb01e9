"use client";

import { useLiveTaskEvents } from "@/hooks/useLiveTaskEvents";
import { useTasks } from "@/hooks/useTasks";
import type { Session } from "@/lib/session";
import { AppHeader } from "./AppHeader";
import { ChatPanel } from "./ChatPanel";
import { TaskPanel } from "./TaskPanel";

interface WorkspaceProps {
  session: Session;
  onLogOut: () => void;
  onUnauthorized: () => void;
}

/** Tasks beside the assistant, kept current by the backend's live task events. */
export function Workspace({ session, onLogOut, onUnauthorized }: WorkspaceProps) {
  const tasks = useTasks(session.token, onUnauthorized);
  const liveStatus = useLiveTaskEvents(session.token, {
    onEvent: tasks.applyEvent,
    onReconnected: tasks.reload,
    onUnauthorized,
  });

  return (
    <>
      <AppHeader email={session.user.email} liveStatus={liveStatus} onLogOut={onLogOut} />
      <main className="workspace">
        <TaskPanel tasks={tasks} />
        <ChatPanel token={session.token} onTasksChanged={tasks.reload} onUnauthorized={onUnauthorized} />
      </main>
    </>
  );
}
