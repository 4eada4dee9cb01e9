import { vi } from "vitest";

/** Stands in for Next's App Router in component tests (one object, so effects see a stable router). */
export const router = {
  push: vi.fn(),
  replace: vi.fn(),
  back: vi.fn(),
  forward: vi.fn(),
  refresh: vi.fn(),
  prefetch: vi.fn(),
};
