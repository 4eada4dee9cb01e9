import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// Components navigate with Next's router; tests assert on the shared stand-in in ./router.
vi.mock("next/navigation", async () => {
  const { router } = await import("./router");
  return { useRouter: () => router };
});

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});
