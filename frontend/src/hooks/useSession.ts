"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { clearSession, loadSession, type Session } from "@/lib/session";

export const SESSION_EXPIRED_PARAM = "expired";

/** The stored session; sends visitors without one to the login page. */
export function useSession() {
  const router = useRouter();
  const [session, setSession] = useState<Session | null>(null);

  useEffect(() => {
    const stored = loadSession();
    if (stored) setSession(stored);
    else router.replace("/login");
  }, [router]);

  const logOut = useCallback(() => {
    clearSession();
    router.replace("/login");
  }, [router]);

  /** The backend rejected the token (HTTP 401 or WebSocket close 4401). */
  const expire = useCallback(() => {
    clearSession();
    router.replace(`/login?${SESSION_EXPIRED_PARAM}=1`);
  }, [router]);

  return { session, logOut, expire };
}
