from app.core.security import hash_password, verify_password


def test_verify_password_accepts_the_hashed_password() -> None:
    assert verify_password("correct horse", hash_password("correct horse"))


def test_verify_password_rejects_another_password() -> None:
    assert not verify_password("wrong horse", hash_password("correct horse"))


def test_verify_password_rejects_missing_account() -> None:
    assert not verify_password("password-of-no-account", None)


def test_verify_password_rejects_corrupt_hash() -> None:
    assert not verify_password("anything", "not-an-argon2-hash")


def test_hash_password_salts_every_hash() -> None:
    assert hash_password("same") != hash_password("same")
