import type { NextConfig } from "next";

const isDevServer = process.env.NODE_ENV === "development";

const nextConfig: NextConfig = {
  // A static export: nginx serves out/ and proxies /api/ to the backend, so no Node server runs in production.
  output: "export",
  // The project does not use ESLint; `next build` still type-checks (and `npm run typecheck` does the same).
  eslint: { ignoreDuringBuilds: true },
  // `next dev` only: forward /api/ (WebSocket included) to a local backend, as nginx does in production.
  ...(isDevServer && {
    rewrites: async () => [
      { source: "/api/:path*", destination: `${process.env.BACKEND_URL ?? "http://127.0.0.1:8000"}/api/:path*` },
    ],
  }),
};

export default nextConfig;
