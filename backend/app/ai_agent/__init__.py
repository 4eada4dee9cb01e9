"""The chat agent: turns natural language into task operations through an OpenAI-compatible model."""
