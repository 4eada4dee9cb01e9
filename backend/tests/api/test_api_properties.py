"""Property-based tests generated from the app's own OpenAPI schema (schemathesis).

For every operation, generated valid and invalid requests must get documented answers that match
their schemas: bad input a 4xx, never a 500.
"""

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from tests.conftest import PASSWORD


@pytest.fixture
def access_token(app: FastAPI) -> str:
    """A user with one task, so generated task ids sometimes exist."""
    # This client's lifespan ends before schemathesis starts the app's lifespan for itself.
    with TestClient(app) as client:
        token = client.post("/api/auth/signup", json={"email": "props@example.com", "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        client.post("/api/tasks", json={"title": "existing"}, headers=headers)
    return token["access_token"]


@pytest.fixture
def api_schema(app: FastAPI, access_token: str) -> schemathesis.schemas.BaseSchema:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)

    # Registered as auth, so schemathesis still sends requests without it when testing rejection.
    class BearerToken:
        def get(self, case: schemathesis.Case, context: Any) -> str:
            return access_token

        def set(self, case: schemathesis.Case, data: str, context: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    schema.auth(refresh_interval=None)(BearerToken)
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    # Starlette's 405 lists only the methods of the first route matching the path (one route per
    # method here), so its Allow header is incomplete; no client of this API reads it.
    case.call_and_validate(excluded_checks=[schemathesis.checks.allow_header_conformance])
