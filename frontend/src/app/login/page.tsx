import type { Metadata } from "next";
import { AuthForm } from "@/components/AuthForm";
import { SessionExpiredNotice } from "@/components/SessionExpiredNotice";

export const metadata: Metadata = { title: "Log in · Todo Chatbot" };

export default function LoginPage() {
  return (
    <main className="auth-page">
      <SessionExpiredNotice />
      <AuthForm mode="login" />
    </main>
  );
}
