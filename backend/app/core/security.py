"""Password hashing (argon2id) and access tokens (JWT, HS256)."""

from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

JWT_ALGORITHM = "HS256"

# argon2id with the library's defaults (RFC 9106 low-memory profile). Module-level so the test
# suite can substitute cheap parameters; the hash string records its own parameters either way.
password_hasher = PasswordHasher()


@cache
def _hash_of_no_account() -> str:
    """Verified against when the email is unknown, so a failed login takes as long either way
    and response time does not reveal which emails have accounts. Made on first use, not at startup."""
    return password_hasher.hash("password-of-no-account")


class InvalidTokenError(Exception):
    """The token is missing, malformed, tampered with or expired."""


def hash_password(password: str) -> str:
    return password_hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Check a password; `password_hash=None` (no such user) still costs one full verification."""
    try:
        return password_hasher.verify(password_hash or _hash_of_no_account(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def create_access_token(user_id: int, *, secret: str, expire_minutes: int) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(minutes=expire_minutes)}
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM)


def read_access_token(token: str, *, secret: str) -> int:
    """Return the user id a valid token was issued to."""
    try:
        claims = jwt.decode(token, secret, algorithms=[JWT_ALGORITHM], options={"require": ["sub", "exp"]})
        return int(claims["sub"])
    except (jwt.PyJWTError, ValueError) as error:
        raise InvalidTokenError(str(error)) from error
