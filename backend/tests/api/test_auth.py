import pytest
from fastapi.testclient import TestClient

from tests.conftest import PASSWORD, Account


def test_sign_up_returns_token_and_user(client: TestClient) -> None:
    response = client.post("/api/auth/signup", json={"email": "New.User@Example.com", "password": PASSWORD})

    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["user"]["email"] == "new.user@example.com"
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == body["user"]


def test_sign_up_rejects_taken_email_case_insensitively(client: TestClient, alice: Account) -> None:
    response = client.post("/api/auth/signup", json={"email": alice.email.upper(), "password": PASSWORD})

    assert response.status_code == 409
    assert response.json() == {"detail": "Email already registered"}


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "a@example.com", "password": "short"},
        {"email": "a@example.com"},
        {"email": "nul\u0000@example.com", "password": PASSWORD},
    ],
    ids=["malformed_email", "short_password", "missing_password", "nul_in_email"],
)
def test_sign_up_rejects_bad_input(client: TestClient, payload: dict[str, str]) -> None:
    response = client.post("/api/auth/signup", json=payload)

    assert response.status_code == 422
    assert isinstance(response.json()["detail"], str)


def test_sign_up_error_never_echoes_the_password(client: TestClient) -> None:
    response = client.post("/api/auth/signup", json={"email": "a@example.com", "password": "x" * 500})

    assert response.status_code == 422
    assert "x" * 500 not in response.text


def test_log_in_returns_token_for_correct_password(client: TestClient, alice: Account) -> None:
    response = client.post("/api/auth/login", json={"email": alice.email, "password": PASSWORD})

    assert response.status_code == 200
    assert response.json()["user"] == {"id": alice.id, "email": alice.email}


def test_log_in_rejects_wrong_password(client: TestClient, alice: Account) -> None:
    response = client.post("/api/auth/login", json={"email": alice.email, "password": "wrong password"})

    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect email or password"}


def test_log_in_answers_unknown_email_like_wrong_password(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"email": "nobody@example.com", "password": PASSWORD})

    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect email or password"}


def test_read_current_user_requires_token(client: TestClient) -> None:
    response = client.get("/api/auth/me")

    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["WWW-Authenticate"] == "Bearer"
