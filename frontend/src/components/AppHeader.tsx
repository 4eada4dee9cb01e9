import type { LiveStatus } from "@/hooks/useLiveTaskEvents";

const LIVE_STATUS_LABELS: Record<LiveStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Offline, reconnecting…",
};

interface AppHeaderProps {
  email: string;
  liveStatus: LiveStatus;
  onLogOut: () => void;
}

export function AppHeader({ email, liveStatus, onLogOut }: AppHeaderProps) {
  return (
    <header className="app-header">
      <span className="brand">Todo Chatbot</span>
      <span role="status" className={`live-status live-status--${liveStatus}`} data-testid="live-status">
        {LIVE_STATUS_LABELS[liveStatus]}
      </span>
      <span className="current-user" data-testid="current-user">
        {email}
      </span>
      <button type="button" className="button-secondary" onClick={onLogOut}>
        Log out
      </button>
    </header>
  );
}
