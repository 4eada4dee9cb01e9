"use client";

import { useRef, useState, type FormEvent } from "react";
import { errorMessage, isUnauthorized, sendChatMessage } from "@/lib/api";
import type { Task } from "@/lib/types";
import { Alert } from "./Alert";
import { ChangedTasks } from "./ChangedTasks";

interface ChatExchange {
  id: number;
  message: string;
  reply: string;
  tasksChanged: Task[];
}

interface ChatPanelProps {
  token: string;
  /** The assistant changed tasks: reload the list, since `tasks_changed` leaves out the ones it deleted. */
  onTasksChanged: () => void;
  onUnauthorized: () => void;
}

/** A conversation with the task assistant, continued across messages by the backend's conversation id. */
export function ChatPanel({ token, onTasksChanged, onUnauthorized }: ChatPanelProps) {
  const [exchanges, setExchanges] = useState<ChatExchange[]>([]);
  const [draft, setDraft] = useState("");
  const [pendingMessage, setPendingMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const conversationId = useRef<string | undefined>(undefined);
  const nextExchangeId = useRef(0);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const message = draft.trim();
    if (!message || pendingMessage !== null) return;
    setPendingMessage(message);
    setError(null);
    try {
      const answer = await sendChatMessage(token, message, conversationId.current);
      conversationId.current = answer.conversation_id;
      setExchanges((current) => [
        ...current,
        { id: nextExchangeId.current++, message, reply: answer.reply, tasksChanged: answer.tasks_changed },
      ]);
      // Cleared only on success, so a failed message can be sent again as it is.
      setDraft("");
      if (answer.tasks_changed.length > 0) onTasksChanged();
    } catch (failure) {
      if (isUnauthorized(failure)) onUnauthorized();
      else setError(errorMessage(failure));
    } finally {
      setPendingMessage(null);
    }
  }

  return (
    <section className="panel chat-panel" aria-labelledby="chat-heading">
      <h2 id="chat-heading">Assistant</h2>
      <ol className="chat-log" role="log" aria-label="Conversation" data-testid="chat-log">
        {exchanges.length === 0 && pendingMessage === null && (
          <li className="muted">Try “Add a task to buy milk” or “What is still pending?”</li>
        )}
        {exchanges.map((exchange) => (
          <li key={exchange.id} className="chat-exchange">
            <p className="chat-bubble chat-bubble--user">{exchange.message}</p>
            <div className="chat-bubble chat-bubble--assistant" data-testid="chat-reply">
              <p>{exchange.reply}</p>
              <ChangedTasks tasks={exchange.tasksChanged} />
            </div>
          </li>
        ))}
        {pendingMessage !== null && (
          <li className="chat-exchange">
            <p className="chat-bubble chat-bubble--user">{pendingMessage}</p>
            <p role="status" className="chat-bubble chat-bubble--assistant muted">
              Thinking…
            </p>
          </li>
        )}
      </ol>
      {error && <Alert testId="chat-error">{error}</Alert>}
      <form className="chat-form" aria-label="Chat with the assistant" onSubmit={handleSubmit}>
        <label htmlFor="chat-message" className="visually-hidden">
          Your message
        </label>
        <input
          id="chat-message"
          data-testid="chat-input"
          placeholder="Ask the assistant…"
          autoComplete="off"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" data-testid="chat-send" disabled={pendingMessage !== null}>
          Send
        </button>
      </form>
    </section>
  );
}
