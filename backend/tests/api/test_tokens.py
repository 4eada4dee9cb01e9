"""Every task route trusts only unexpired tokens signed with the service's secret."""

import base64
import json

import jwt
import pytest
from fastapi.testclient import TestClient

from app.core.security import create_access_token
from tests.conftest import TEST_JWT_SECRET, Account


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _with_payload(token: str, **claims: object) -> str:
    """The same token with its payload rewritten and the original signature kept."""
    header, payload, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**decoded, **claims}).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_read_tasks_accepts_valid_token(client: TestClient, alice: Account) -> None:
    assert client.get("/api/tasks", headers=alice.headers).status_code == 200


def test_read_tasks_rejects_token_with_tampered_subject(client: TestClient, alice: Account, bob: Account) -> None:
    forged = _with_payload(alice.token, sub=str(bob.id))

    response = client.get("/api/tasks", headers=_bearer(forged))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or expired token"}


def test_read_tasks_rejects_token_signed_with_another_secret(client: TestClient, alice: Account) -> None:
    token = create_access_token(alice.id, secret="some-other-secret-of-sufficient-length!", expire_minutes=5)

    assert client.get("/api/tasks", headers=_bearer(token)).status_code == 401


def test_read_tasks_rejects_expired_token(client: TestClient, alice: Account) -> None:
    token = create_access_token(alice.id, secret=TEST_JWT_SECRET, expire_minutes=-1)

    response = client.get("/api/tasks", headers=_bearer(token))

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or expired token"}


def test_read_tasks_rejects_unsigned_token(client: TestClient, alice: Account) -> None:
    unsigned = jwt.encode({"sub": str(alice.id), "exp": 4102444800}, key=None, algorithm="none")

    assert client.get("/api/tasks", headers=_bearer(unsigned)).status_code == 401


def test_read_tasks_rejects_token_without_expiry(client: TestClient, alice: Account) -> None:
    token = jwt.encode({"sub": str(alice.id)}, TEST_JWT_SECRET, algorithm="HS256")

    assert client.get("/api/tasks", headers=_bearer(token)).status_code == 401


def test_read_tasks_rejects_token_of_unknown_user(client: TestClient) -> None:
    token = create_access_token(987654, secret=TEST_JWT_SECRET, expire_minutes=5)

    assert client.get("/api/tasks", headers=_bearer(token)).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer not.a.jwt", "Basic dXNlcjpwYXNz"], ids=["empty", "garbage", "basic"]
)
def test_read_tasks_rejects_malformed_authorization(client: TestClient, header: str) -> None:
    response = client.get("/api/tasks", headers={"Authorization": header})

    assert response.status_code == 401
