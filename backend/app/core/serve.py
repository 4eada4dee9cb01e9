"""Run the service: `python -m app.core.serve` (the image's command; one process, PID 1).

On SIGTERM or SIGINT readiness turns false at once, uvicorn stops accepting connections, lets
in-flight requests finish for up to SHUTDOWN_GRACE_SECONDS, then the lifespan closes the pools.
"""

import argparse
import contextlib
import logging
import signal
from collections.abc import Iterator
from types import FrameType

import uvicorn
from fastapi import FastAPI

from app.core.config import load_settings_or_exit
from app.core.logging import configure_logging
from app.core.migrate import upgrade_to_head
from app.main import create_app

logger = logging.getLogger("app.core.serve")
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class DrainingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # Probes that still reach us during the drain must already see "not ready".
        self.app.state.shutting_down = True
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # Unlike uvicorn's own, this does not re-raise the signal after draining: a requested
        # stop that drained cleanly is a success, so the process exits 0.
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in STOP_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app.core.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8000)
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    settings = load_settings_or_exit()
    configure_logging(settings.LOG_LEVEL)
    if settings.uses_dev_jwt_secret:
        logger.warning("JWT_SECRET is not set: using the built-in development secret (refused in production)")
    if settings.migrate_on_start:
        try:
            upgrade_to_head(settings)
        except Exception as error:
            logger.error("startup failed: could not migrate the database: %s", error)
            raise SystemExit(1) from None

    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=arguments.host,
        port=arguments.port,
        log_config=None,  # keep the JSON logging configured above
        access_log=False,  # AccessLogMiddleware writes one line per request with its id
        server_header=False,
        timeout_graceful_shutdown=settings.SHUTDOWN_GRACE_SECONDS,
    )
    DrainingServer(config, app).run()


if __name__ == "__main__":
    main()
