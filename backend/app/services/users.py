from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.core.security import hash_password, verify_password
from app.models.user import Credentials, User


class EmailTakenError(Exception):
    pass


def get_user(*, session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(*, session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.lower())).first()


def create_user(*, session: Session, credentials: Credentials) -> User:
    if get_user_by_email(session=session, email=credentials.email):
        raise EmailTakenError(credentials.email)
    user = User(email=credentials.email, password_hash=hash_password(credentials.password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:  # a concurrent sign-up with the same email won the race
        session.rollback()
        raise EmailTakenError(credentials.email) from None
    return user


def authenticate(*, session: Session, credentials: Credentials) -> User | None:
    user = get_user_by_email(session=session, email=credentials.email)
    if not verify_password(credentials.password, user.password_hash if user else None):
        return None
    return user
