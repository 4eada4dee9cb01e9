"""One error shape for every failure: {"detail": "<sentence>"}; validation errors add the per-field list."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from app.models.common import ErrorMessage

# Documented on the routes that can answer them.
UNAUTHORIZED = {401: {"model": ErrorMessage, "description": "Missing, invalid or expired token"}}
NOT_FOUND = {404: {"model": ErrorMessage, "description": "No such item for this user"}}
MALFORMED_BODY = {400: {"model": ErrorMessage, "description": "The body is not parseable JSON"}}


def _field_error(error: dict[str, Any]) -> dict[str, Any]:
    # The rejected input is left out: it may be a password.
    return {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}


def _summary(errors: list[dict[str, Any]]) -> str:
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"] if part != "body")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first['msg']}{more}" if where else f"{first['msg']}{more}"


async def validation_error_handler(_: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [_field_error(error) for error in exc.errors()]
    return JSONResponse(
        status_code=422, content={"detail": _summary(errors) if errors else "Invalid request", "errors": errors}
    )


def use_error_shapes(app: FastAPI) -> None:
    """Install the validation handler and make the OpenAPI document describe what it returns."""
    app.add_exception_handler(RequestValidationError, validation_error_handler)  # type: ignore[arg-type]

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            schema["components"]["schemas"]["HTTPValidationError"] = {
                "title": "HTTPValidationError",
                "type": "object",
                "required": ["detail", "errors"],
                "properties": {
                    "detail": {"type": "string", "title": "Detail"},
                    "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
                },
            }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
