"""Test-only routes, mounted only when DEBUG_SLOW_ENDPOINT=true (refused in production)."""

import asyncio
import time

from fastapi import APIRouter, Query

from app.api import API_PREFIX

router = APIRouter(prefix=f"{API_PREFIX}/debug", tags=["debug"], include_in_schema=False)


@router.get("/slow")
async def read_slowly(seconds: float = Query(default=1.0, ge=0, le=60)) -> dict[str, float]:
    """Answer after `seconds`, so a test can hold a request in flight across a shutdown."""
    await asyncio.sleep(seconds)
    return {"slept": seconds}


@router.get("/freeze")
async def freeze(seconds: float = Query(default=1.0, ge=0, le=120)) -> dict[str, float]:
    """Block the event loop for `seconds`, so every other request (liveness included) hangs:
    how a test makes the liveness probe fail on a process that is still running."""
    time.sleep(seconds)  # deliberately blocking: this is the hang being simulated
    return {"froze": seconds}
