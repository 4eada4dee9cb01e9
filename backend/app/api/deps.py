"""Dependencies shared by the routes: settings, database session, the current user, app services."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.requests import HTTPConnection

from app.ai_agent.llm_client import ChatCompletionsClient
from app.core.config import Settings
from app.core.security import InvalidTokenError, read_access_token
from app.models.user import User
from app.services.users import get_user
from app.ws_manager import ConnectionManager


def get_settings(connection: HTTPConnection) -> Settings:
    return connection.app.state.settings


def get_session(connection: HTTPConnection) -> Iterator[Session]:
    with connection.app.state.session_factory() as session:
        yield session


def get_connection_manager(connection: HTTPConnection) -> ConnectionManager:
    return connection.app.state.connection_manager


def get_llm(connection: HTTPConnection) -> ChatCompletionsClient | None:
    return connection.app.state.llm


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ConnectionManagerDep = Annotated[ConnectionManager, Depends(get_connection_manager)]
LLMDep = Annotated[ChatCompletionsClient | None, Depends(get_llm)]
TokenDep = Annotated[HTTPAuthorizationCredentials | None, Depends(HTTPBearer(auto_error=False))]


class InvalidCredentialsError(Exception):
    pass


def user_from_token(token: str, *, session: Session, settings: Settings) -> User:
    """The user a token belongs to; a bad token or a deleted user raises InvalidCredentialsError."""
    try:
        user_id = read_access_token(token, secret=settings.jwt_secret)
    except InvalidTokenError:
        raise InvalidCredentialsError from None
    user = get_user(session=session, user_id=user_id)
    if user is None:
        raise InvalidCredentialsError
    return user


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"})


def get_current_user(token: TokenDep, session: SessionDep, settings: SettingsDep) -> User:
    if token is None:
        raise _unauthorized("Not authenticated")
    try:
        return user_from_token(token.credentials, session=session, settings=settings)
    except InvalidCredentialsError:
        raise _unauthorized("Invalid or expired token") from None


CurrentUser = Annotated[User, Depends(get_current_user)]
