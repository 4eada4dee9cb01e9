"""A minimal client for the OpenAI-compatible chat-completions API (OpenAI, Azure, vLLM, Ollama, ...)."""

import json
from dataclasses import dataclass
from typing import Any

import httpx


class LLMError(Exception):
    """The model endpoint failed or answered something that is not a chat completion."""


@dataclass(frozen=True)
class ToolCall:
    id: str
    name: str
    arguments: str  # JSON text exactly as the model produced it; it may not parse


@dataclass(frozen=True)
class AssistantMessage:
    content: str | None
    tool_calls: list[ToolCall]

    def as_message(self) -> dict[str, Any]:
        """This reply as a conversation message, to send back alongside the tool results."""
        message: dict[str, Any] = {"role": "assistant", "content": self.content}
        if self.tool_calls:
            message["tool_calls"] = [
                {"id": call.id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}
                for call in self.tool_calls
            ]
        return message


class ChatCompletionsClient:
    def __init__(self, *, base_url: str, api_key: str, model: str, timeout_seconds: float) -> None:
        self._model = model
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout_seconds,
        )

    def close(self) -> None:
        self._http.close()

    def complete(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> AssistantMessage:
        payload = {"model": self._model, "messages": messages, "tools": tools}
        try:
            response = self._http.post("chat/completions", json=payload)
        except httpx.HTTPError as error:
            raise LLMError(f"could not reach the model endpoint ({type(error).__name__})") from error
        if response.status_code != httpx.codes.OK:
            raise LLMError(f"the model endpoint answered HTTP {response.status_code}")
        try:
            return _parse_reply(response.json())
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise LLMError("the model endpoint answered with an unexpected body") from error


def _parse_reply(body: dict[str, Any]) -> AssistantMessage:
    message = body["choices"][0]["message"]
    calls = [
        ToolCall(id=call["id"], name=call["function"]["name"], arguments=call["function"].get("arguments") or "{}")
        for call in message.get("tool_calls") or []
    ]
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        raise TypeError("message content is not text")
    return AssistantMessage(content=content, tool_calls=calls)


def tool_definition(name: str, description: str, parameters: dict[str, Any]) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, "description": description, "parameters": parameters}}


def tool_result_message(call_id: str, result: dict[str, Any]) -> dict[str, Any]:
    return {"role": "tool", "tool_call_id": call_id, "content": json.dumps(result)}
