import type { User } from "./types";

/** Who is signed in: the bearer token and the user it was issued for, kept in localStorage. */
export interface Session {
  token: string;
  user: User;
}

const STORAGE_KEY = "todo.session";

function isSession(value: unknown): value is Session {
  const candidate = value as Session | null;
  return (
    typeof candidate?.token === "string" &&
    typeof candidate.user?.email === "string" &&
    typeof candidate.user?.id === "number"
  );
}

export function loadSession(): Session | null {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    const parsed: unknown = stored ? JSON.parse(stored) : null;
    return isSession(parsed) ? parsed : null;
  } catch {
    // Storage disabled or holding something that is not ours: treat as signed out.
    return null;
  }
}

export function saveSession(session: Session): void {
  window.localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  try {
    window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored if storage is unavailable.
  }
}
