import { vi } from "vitest";
import type { Task } from "@/lib/types";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Route = (request: RecordedRequest) => Response | Promise<Response>;

export function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/**
 * Replaces fetch with a backend made of routes keyed "METHOD /path?query". Unknown routes answer 404.
 * `requests` records every call, so tests can assert what the UI sent.
 */
export function fakeBackend(routes: Record<string, Route>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    const request: RecordedRequest = {
      method: init.method ?? "GET",
      url,
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const route = routes[`${request.method} ${url}`];
    return route ? route(request) : jsonResponse(404, { detail: `no fake route for ${request.method} ${url}` });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { requests, fetchMock };
}

/** fetch that fails the way a browser's does when nothing answers. */
export function unreachableBackend() {
  vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
}

let nextId = 1;

export function makeTask(overrides: Partial<Task> = {}): Task {
  const id = overrides.id ?? nextId++;
  return {
    id,
    title: `Task ${id}`,
    description: null,
    completed: false,
    created_at: "2026-01-01T10:00:00Z",
    updated_at: "2026-01-01T10:00:00Z",
    ...overrides,
  };
}
