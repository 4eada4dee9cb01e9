import type { NextConfig } from "next";

const isDevServer = process.env.NODE_ENV === "development";

const nextConfig: NextConfig = {
  // A static export: nginx serves out/ and proxies /api/ to the backend, so no Node server runs in production.
  output: "export",
  // ESLint runs as `npm run lint` (make frontend), not again in the image build; `next build` still type-checks.
  eslint: { ignoreDuringBuilds: true },
  // `next dev` only: forward /api/ (WebSocket included) to a local backend, as nginx does in production.
  ...(isDevServer && {
    rewrites: async () => [
      { source: "/api/:path*", destination: `${process.env.BACKEND_URL ?? "http://127.0.0.1:8000"}/api/:path*` },
    ],
  }),
};

export default nextConfig;
