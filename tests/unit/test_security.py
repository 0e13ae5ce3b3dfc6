from app.core.security import hash_password, sign, token_digest, unsign, verify_password


def test_it_hashes_passwords_with_argon2():
    hashed = hash_password("a-long-password")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a-long-password")
    assert not verify_password(hashed, "another-password")


def test_it_never_verifies_a_missing_or_broken_hash():
    assert not verify_password(None, "not-a-real-password")
    assert not verify_password("garbage", "x")


def test_it_detects_a_tampered_signed_value():
    signed = sign('[{"text": "hi"}]', "secret")
    assert unsign(signed, "secret") == '[{"text": "hi"}]'
    assert unsign(signed, "other-secret") is None
    assert unsign(signed[:-1] + ("0" if signed[-1] != "0" else "1"), "secret") is None
    assert unsign("no-dot-at-all", "secret") is None


def test_it_stores_only_a_digest_of_session_tokens():
    assert len(token_digest("token")) == 64 and token_digest("token") != "token"


def test_it_doubles_the_sign_in_wait_after_the_free_failures_up_to_the_cap():
    from app.accounts.throttle import SignInLimits, wait_after

    limits = SignInLimits(first_delay_seconds=2, max_delay_seconds=900)
    assert [wait_after(n, 3, limits) for n in range(2, 8)] == [0, 2, 4, 8, 16, 32]
    assert wait_after(50, 3, limits) == 900
    assert wait_after(10_000, 3, limits) == 900
