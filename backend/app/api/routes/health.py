"""Probes and metrics, outside /api so the platform can reach them without going through auth or a proxy."""

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import Response
from pydantic import BaseModel

from app.api import API_PREFIX
from app.core.db import database_is_reachable
from app.models.common import ErrorMessage

router = APIRouter(tags=["health"])
# /api/health: the readiness check again, reachable through the frontend's /api proxy.
api_router = APIRouter(prefix=API_PREFIX, tags=["health"])

NOT_READY = {
    503: {
        "model": ErrorMessage,
        "description": "Shutting down, the database is unreachable, or live updates are not connected to it",
    }
}


class Status(BaseModel):
    status: str = "ok"


class VersionedStatus(Status):
    version: str


async def _ensure_ready(request: Request) -> None:
    if request.app.state.shutting_down:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="Shutting down")
    if not await database_is_reachable(request.app.state.engine):
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="Database is unreachable")
    if not request.app.state.connection_manager.is_ready:
        # Clients connected here would miss changes made through other replicas.
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail="Live updates are not connected")


@router.get("/healthz", response_model=Status)
async def read_liveness() -> Status:
    """Liveness: the process answers. Never touches the database, so a database outage restarts nothing."""
    return Status()


@router.get("/readyz", response_model=Status, responses=NOT_READY)
@api_router.get("/health", response_model=Status, responses=NOT_READY)
async def read_readiness(request: Request) -> Status:
    """Readiness: the database answers, live updates listen to it, and the process is not shutting down."""
    await _ensure_ready(request)
    return Status()


@router.get("/health", response_model=VersionedStatus, responses=NOT_READY)
async def read_health(request: Request) -> VersionedStatus:
    """Readiness plus the running version."""
    await _ensure_ready(request)
    return VersionedStatus(version=request.app.state.settings.APP_VERSION)


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Prometheus text format"}
    },
)
async def read_metrics(request: Request) -> Response:
    """Request counts and latencies in the Prometheus text format."""
    body, content_type = request.app.state.metrics.render()
    return Response(content=body, media_type=content_type)
