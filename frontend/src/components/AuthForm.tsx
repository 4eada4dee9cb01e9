"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { errorMessage, logIn, signUp } from "@/lib/api";
import { loadSession, saveSession } from "@/lib/session";
import { Alert } from "./Alert";

export type AuthMode = "signup" | "login";

const MODES = {
  signup: {
    heading: "Create your account",
    submitLabel: "Sign up",
    busyLabel: "Signing up…",
    passwordAutoComplete: "new-password",
    submit: signUp,
    switchPrompt: "Already have an account?",
    switchHref: "/login",
    switchLabel: "Log in",
  },
  login: {
    heading: "Log in",
    submitLabel: "Log in",
    busyLabel: "Logging in…",
    passwordAutoComplete: "current-password",
    submit: logIn,
    switchPrompt: "New here?",
    switchHref: "/signup",
    switchLabel: "Create an account",
  },
} as const;

/** Sign-up or log-in: on success the session is stored and the person lands on their tasks. */
export function AuthForm({ mode }: { mode: AuthMode }) {
  const copy = MODES[mode];
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (loadSession()) router.replace("/");
  }, [router]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const { access_token, user } = await copy.submit({ email: email.trim(), password });
      saveSession({ token: access_token, user });
      router.replace("/");
    } catch (failure) {
      setError(errorMessage(failure));
      setSubmitting(false);
    }
  }

  return (
    <form className="card auth-form" onSubmit={handleSubmit} aria-labelledby="auth-heading" data-testid={`${mode}-form`}>
      <h1 id="auth-heading">{copy.heading}</h1>
      {error && <Alert testId="auth-error">{error}</Alert>}
      <label htmlFor="auth-email">Email</label>
      <input
        id="auth-email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <label htmlFor="auth-password">Password</label>
      <input
        id="auth-password"
        name="password"
        type="password"
        autoComplete={copy.passwordAutoComplete}
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <button type="submit" disabled={submitting}>
        {submitting ? copy.busyLabel : copy.submitLabel}
      </button>
      <p className="muted">
        {copy.switchPrompt} <Link href={copy.switchHref}>{copy.switchLabel}</Link>
      </p>
    </form>
  );
}
