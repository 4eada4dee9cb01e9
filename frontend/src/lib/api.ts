import type {
  AuthResponse,
  ChatReply,
  Credentials,
  Task,
  TaskChanges,
  TaskDraft,
  TaskFilter,
} from "./types";

/** A failed API call. `status` is 0 when the server could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const UNREACHABLE_MESSAGE = "Can't reach the server. Check your connection and try again.";

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** The sentence to show a person for any error thrown while talking to the API. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : "Something went wrong. Please try again.";
}

// Used only when a failed response carries no `detail` of its own (e.g. an HTML page from a proxy).
function fallbackMessage(status: number): string {
  if (status === 401) return "Please log in again.";
  if (status === 502 || status === 503 || status === 504) {
    return "The server is unavailable right now. Please try again shortly.";
  }
  return `The request failed (HTTP ${status}).`;
}

/** FastAPI's `detail`: a sentence, or for validation errors a list of {loc, msg}. */
function detailMessage(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("detail" in body)) return null;
  const { detail } = body;
  if (typeof detail === "string") return detail;
  if (!Array.isArray(detail)) return null;
  return detail
    .map((item) => {
      const field = Array.isArray(item?.loc) ? item.loc[item.loc.length - 1] : null;
      const text = typeof item?.msg === "string" ? item.msg : JSON.stringify(item);
      return field && field !== "body" ? `${field}: ${text}` : text;
    })
    .join("; ");
}

async function readJson(response: Response): Promise<unknown> {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

interface RequestOptions {
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  token?: string;
  body?: unknown;
}

/** Calls a same-origin API path (nginx proxies /api/ to the backend) and returns the parsed JSON. */
export async function apiRequest<T>(path: string, { method = "GET", token, body }: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, UNREACHABLE_MESSAGE);
  }
  const payload = await readJson(response);
  if (!response.ok) {
    throw new ApiError(response.status, detailMessage(payload) ?? fallbackMessage(response.status));
  }
  return payload as T;
}

export const signUp = (credentials: Credentials) =>
  apiRequest<AuthResponse>("/api/auth/signup", { method: "POST", body: credentials });

export const logIn = (credentials: Credentials) =>
  apiRequest<AuthResponse>("/api/auth/login", { method: "POST", body: credentials });

export const listTasks = (token: string, filter: TaskFilter) =>
  apiRequest<Task[]>(`/api/tasks?status=${filter}`, { token });

export const createTask = (token: string, draft: TaskDraft) =>
  apiRequest<Task>("/api/tasks", { method: "POST", token, body: draft });

export const updateTask = (token: string, id: number, changes: TaskChanges) =>
  apiRequest<Task>(`/api/tasks/${id}`, { method: "PATCH", token, body: changes });

export const deleteTask = (token: string, id: number) =>
  apiRequest<void>(`/api/tasks/${id}`, { method: "DELETE", token });

export const sendChatMessage = (token: string, message: string, conversationId?: string) =>
  apiRequest<ChatReply>("/api/chat", { method: "POST", token, body: { message, conversation_id: conversationId } });
