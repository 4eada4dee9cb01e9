// Shapes of the backend API (see the contract in frontend/README.md).

export interface User {
  id: number;
  email: string;
}

export interface Credentials {
  email: string;
  password: string;
}

export interface AuthResponse {
  access_token: string;
  token_type: "bearer";
  user: User;
}

export interface Task {
  id: number;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: string;
  updated_at: string;
}

export type TaskFilter = "all" | "pending" | "completed";

export interface TaskDraft {
  title: string;
  description?: string;
}

export type TaskChanges = Partial<Pick<Task, "title" | "description" | "completed">>;

export interface ToolCall {
  name: string;
  arguments: unknown;
  result: unknown;
}

export interface ChatReply {
  reply: string;
  conversation_id: string;
  tool_calls: ToolCall[];
  tasks_changed: Task[];
}

export interface TaskEvent {
  type: "task.created" | "task.updated" | "task.deleted";
  task: Task;
}
