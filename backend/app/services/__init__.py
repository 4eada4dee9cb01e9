"""Business operations on users, tasks and conversations, shared by the API, the chat agent and the MCP server."""
