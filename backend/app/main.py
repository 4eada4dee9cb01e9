"""Builds the FastAPI application: configuration, middleware, routes and the resources they share."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.ai_agent.llm_client import ChatCompletionsClient
from app.api.errors import use_error_shapes
from app.api.router import include_routes
from app.core.access_log import AccessLogMiddleware
from app.core.config import Settings, load_settings_or_exit
from app.core.db import create_database_engine, create_session_factory
from app.core.metrics import HttpMetrics, MetricsMiddleware
from app.ws_manager import create_connection_manager


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    app.state.shutting_down = False
    app.state.engine = create_database_engine(settings)
    app.state.session_factory = create_session_factory(app.state.engine)
    app.state.connection_manager = create_connection_manager(settings, app.state.engine)
    await app.state.connection_manager.start()
    app.state.llm = (
        ChatCompletionsClient(
            base_url=str(settings.OPENAI_BASE_URL),
            api_key=settings.OPENAI_API_KEY.get_secret_value(),
            model=settings.OPENAI_MODEL,
            timeout_seconds=settings.OPENAI_TIMEOUT_SECONDS,
        )
        if settings.OPENAI_API_KEY
        else None
    )
    yield
    app.state.shutting_down = True
    await app.state.connection_manager.stop()
    if app.state.llm:
        app.state.llm.close()
    app.state.engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings_or_exit()
    app = FastAPI(
        title="Todo Chatbot API",
        version=settings.APP_VERSION,
        description="Tasks, accounts and an AI assistant that manages tasks from natural language.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = HttpMetrics()
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    # Added last, so it runs first: every later log line of the request carries its id.
    app.add_middleware(AccessLogMiddleware)
    include_routes(app, settings)
    use_error_shapes(app)
    return app
