"""The report's canonical JSON and hash: stable across databases and re-renders, changed by any edit."""

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from app.visits.report import canonical_json, sha256_of, verify

CONTENT = {
    "customer": {"name": "张伟", "site_address": "1 Chang'an Ave"},
    "charges": {"total": Decimal("570.00")},
    "signed_at": datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    "id": uuid.UUID(int=7),
    "steps": [{"b": 1, "a": 2}],
}


def test_it_spells_the_same_content_one_way():
    text = canonical_json(CONTENT)
    assert text == canonical_json(
        json.loads(json.dumps(CONTENT, default=str))
        | {"charges": {"total": "570.00"}, "signed_at": "2026-11-23T09:30:00Z"}
    )
    assert '"name":"张伟"' in text and '{"a":2,"b":1}' in text and '"total":"570.00"' in text


def test_a_time_is_the_same_from_sqlite_naive_postgresql_aware_or_another_zone():
    aware = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    naive = datetime(2026, 11, 23, 9, 30)
    shanghai = aware.astimezone(timezone(timedelta(hours=8)))
    assert canonical_json({"t": aware}) == canonical_json({"t": naive}) == canonical_json({"t": shanghai})


def test_the_hash_is_stable_across_re_renders():
    first = canonical_json(CONTENT)
    again = canonical_json(json.loads(first))
    assert first == again and sha256_of(first) == sha256_of(again)
    assert verify(first, sha256_of(first), sha256_of(first))


def test_any_edit_changes_the_hash():
    original = sha256_of(canonical_json(CONTENT))
    for change in [
        {"customer": {"name": "张伟 ", "site_address": "1 Chang'an Ave"}},
        {"charges": {"total": Decimal("570.01")}},
        {"steps": [{"b": 1, "a": 3}]},
    ]:
        assert sha256_of(canonical_json(CONTENT | change)) != original


def test_verification_fails_for_altered_or_non_canonical_content():
    text = canonical_json(CONTENT)
    digest = sha256_of(text)
    altered = text.replace("570.00", "57.00")
    assert not verify(altered, digest, digest)
    spaced = json.dumps(json.loads(text), indent=1)
    assert not verify(spaced, sha256_of(spaced), sha256_of(spaced))
    assert not verify("not json", sha256_of("not json"), sha256_of("not json"))


def test_a_seal_verifies_under_its_key_until_that_key_is_dropped():
    from app.visits.seal import SCHEME, Keyring

    old = Keyring(b"old-key")
    key_id, sealed = old.seal('{"a":1}')
    rotated = Keyring(b"new-key", old=(b"old-key",))

    assert rotated.verify('{"a":1}', SCHEME, key_id, sealed)
    assert not rotated.verify('{"a":2}', SCHEME, key_id, sealed)
    assert not Keyring(b"new-key").verify('{"a":1}', SCHEME, key_id, sealed)
    assert rotated.seal('{"a":1}')[0] != key_id  # new reports are sealed with the new key
