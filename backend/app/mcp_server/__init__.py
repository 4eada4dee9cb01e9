"""MCP server exposing the task tools over stdio, for MCP clients such as desktop assistants and IDEs.

Run with `python -m mcp_server` (needs the `mcp` dependency group). It acts for one account,
named by MCP_USER_EMAIL, against the database in DATABASE_URL.
"""
