"use client";

import { useEffect, useState } from "react";
import { SESSION_EXPIRED_PARAM } from "@/hooks/useSession";

/** Tells people who were sent back to log in why it happened. */
export function SessionExpiredNotice() {
  const [expired, setExpired] = useState(false);

  // Read after mount: the page is pre-rendered once, without any query string.
  useEffect(() => {
    setExpired(new URLSearchParams(window.location.search).has(SESSION_EXPIRED_PARAM));
  }, []);

  if (!expired) return null;
  return (
    <p role="status" className="notice" data-testid="session-expired">
      Your session has expired. Please log in again.
    </p>
  );
}
