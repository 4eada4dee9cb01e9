import Link from "next/link";

// Replaces Next's built-in 404 page, whose inline style attributes the CSP would block.
export default function NotFound() {
  return (
    <main className="auth-page">
      <div className="card">
        <h1>Page not found</h1>
        <p>
          <Link href="/">Back to your tasks</Link>
        </p>
      </div>
    </main>
  );
}
