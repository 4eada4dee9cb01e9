from fastapi import FastAPI

from app.api.routes import auth, chat, debug, health, live, tasks
from app.core.config import Settings


def include_routes(app: FastAPI, settings: Settings) -> None:
    app.include_router(health.router)
    app.include_router(health.api_router)
    app.include_router(auth.router)
    app.include_router(tasks.router)
    app.include_router(chat.router)
    app.include_router(live.router)
    if settings.DEBUG_SLOW_ENDPOINT:
        app.include_router(debug.router)
