from fastapi import APIRouter, HTTPException, status

from app.api import API_PREFIX
from app.api.deps import CurrentUser, SessionDep, SettingsDep
from app.api.errors import MALFORMED_BODY, UNAUTHORIZED
from app.core.config import Settings
from app.core.security import create_access_token
from app.models.common import ErrorMessage
from app.models.user import AccessToken, Credentials, User, UserPublic
from app.services import users

router = APIRouter(prefix=f"{API_PREFIX}/auth", tags=["auth"])


def _access_token_for(user: User, settings: Settings) -> AccessToken:
    assert user.id is not None  # saved users always have an id
    token = create_access_token(user.id, secret=settings.jwt_secret, expire_minutes=settings.JWT_EXPIRE_MINUTES)
    return AccessToken(access_token=token, user=UserPublic.model_validate(user))


@router.post(
    "/signup",
    status_code=status.HTTP_201_CREATED,
    response_model=AccessToken,
    responses={**MALFORMED_BODY, 409: {"model": ErrorMessage, "description": "Email already registered"}},
)
def sign_up(credentials: Credentials, session: SessionDep, settings: SettingsDep) -> AccessToken:
    """Create an account and log in."""
    try:
        user = users.create_user(session=session, credentials=credentials)
    except users.EmailTakenError:
        raise HTTPException(status.HTTP_409_CONFLICT, detail="Email already registered") from None
    return _access_token_for(user, settings)


@router.post("/login", response_model=AccessToken, responses={**MALFORMED_BODY, **UNAUTHORIZED})
def log_in(credentials: Credentials, session: SessionDep, settings: SettingsDep) -> AccessToken:
    """Exchange email and password for an access token."""
    user = users.authenticate(session=session, credentials=credentials)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="Incorrect email or password")
    return _access_token_for(user, settings)


@router.get("/me", response_model=UserPublic, responses=UNAUTHORIZED)
def read_current_user(user: CurrentUser) -> User:
    """Return the logged-in user."""
    return user
