import json

from app.api.openapi_document import DOCUMENT_PATH, render_openapi_document


def test_committed_openapi_document_matches_code() -> None:
    assert DOCUMENT_PATH.read_text() == render_openapi_document(), (
        "backend/openapi.json is stale: run `python -m app.api.openapi_document` in backend/ and commit the result"
    )


def test_openapi_document_lists_probe_paths() -> None:
    paths = json.loads(DOCUMENT_PATH.read_text())["paths"]

    assert {"/healthz", "/readyz", "/health", "/metrics", "/api/health"} <= set(paths)


def test_openapi_document_omits_debug_routes() -> None:
    assert not [path for path in json.loads(DOCUMENT_PATH.read_text())["paths"] if "debug" in path]
