import type { Metadata } from "next";
import { AuthForm } from "@/components/AuthForm";

export const metadata: Metadata = { title: "Sign up · Todo Chatbot" };

export default function SignUpPage() {
  return (
    <main className="auth-page">
      <AuthForm mode="signup" />
    </main>
  );
}
