"use client";

import { useSession } from "@/hooks/useSession";
import { Workspace } from "./Workspace";

/** The home page: the workspace for a signed-in person, otherwise a redirect to log in. */
export function TodoApp() {
  const { session, logOut, expire } = useSession();
  if (!session) {
    return (
      <p role="status" className="page-status">
        Loading…
      </p>
    );
  }
  return <Workspace session={session} onLogOut={logOut} onUnauthorized={expire} />;
}
