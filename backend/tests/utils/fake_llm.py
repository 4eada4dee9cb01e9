"""An OpenAI-compatible chat-completions endpoint on loopback that plays back scripted replies.

Tests script what the "model" says next (a tool call, a final answer, an HTTP error) and read
back every request the service sent, so the agent is driven over real HTTP without the internet.
"""

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_REPLY_TEXT = "Done."


def tool_call_reply(*calls: tuple[str, dict[str, Any] | str]) -> dict[str, Any]:
    """A completion in which the model calls tools; arguments may be given as raw (possibly broken) JSON text."""
    tool_calls = [
        {
            "id": f"call_{index}",
            "type": "function",
            "function": {"name": name, "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments)},
        }
        for index, (name, arguments) in enumerate(calls)
    ]
    return _completion({"role": "assistant", "content": None, "tool_calls": tool_calls}, "tool_calls")


def text_reply(text: str) -> dict[str, Any]:
    return _completion({"role": "assistant", "content": text}, "stop")


def _completion(message: dict[str, Any], finish_reason: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
    }


class HttpError:
    def __init__(self, status: int) -> None:
        self.status = status


class FakeChatModel:
    def __init__(self) -> None:
        self._script: deque[dict[str, Any] | HttpError] = deque()
        self.requests: list[dict[str, Any]] = []
        self.authorizations: list[str | None] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        self._script.clear()
        self.requests.clear()
        self.authorizations.clear()

    def script(self, *replies: dict[str, Any] | HttpError) -> None:
        """Queue what the model answers next; when the queue is empty it answers DEFAULT_REPLY_TEXT."""
        self._script.extend(replies)

    @property
    def unplayed(self) -> int:
        return len(self._script)

    def _next_reply(self, request: dict[str, Any], authorization: str | None) -> dict[str, Any] | HttpError:
        self.requests.append(request)
        self.authorizations.append(authorization)
        return self._script.popleft() if self._script else text_reply(DEFAULT_REPLY_TEXT)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        model = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if self.path != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found"}})
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                reply = model._next_reply(body, self.headers.get("Authorization"))
                if isinstance(reply, HttpError):
                    self._send(reply.status, {"error": {"message": "scripted failure"}})
                else:
                    self._send(200, reply)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

        return Handler
