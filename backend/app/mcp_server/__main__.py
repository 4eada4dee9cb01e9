import sys

import anyio
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from app.core.config import load_settings_or_exit
from app.core.db import create_database_engine, create_session_factory
from app.mcp_server.server import McpSettings, UnknownUserError, create_server, resolve_owner


async def serve_stdio(server: Server) -> None:
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def main() -> None:
    settings = load_settings_or_exit(McpSettings)
    engine = create_database_engine(settings)
    try:
        session_factory = create_session_factory(engine)
        owner_id = resolve_owner(session_factory, settings.MCP_USER_EMAIL)
        server = create_server(session_factory=session_factory, owner_id=owner_id, version=settings.APP_VERSION)
        anyio.run(serve_stdio, server)
    except UnknownUserError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
