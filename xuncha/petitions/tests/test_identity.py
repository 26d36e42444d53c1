"""Reporter identity: encrypted at rest, key outside the database, never in a dump."""

from __future__ import annotations

import io
import os
import stat

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from xuncha.petitions import identity as ident

NAME, PHONE, ID_NO, ADDRESS = "欧阳明远", "13912345678", "61090219800101123X", "汉滨区幸福路88号"


def test_key_file_created_0600_and_roundtrip(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("XUNCHA_IDENTITY_KEY", raising=False)
    settings.XUNCHA_HOME = tmp_path
    token = ident.encrypt(ident.Identity(name=NAME, phone=PHONE))
    key_file = tmp_path / ident.KEY_FILE
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert NAME not in token and PHONE not in token
    assert ident.decrypt(token) == ident.Identity(name=NAME, phone=PHONE)


def test_env_key_wins_and_wrong_key_cannot_decrypt(tmp_path, settings, monkeypatch):
    from cryptography.fernet import Fernet
    settings.XUNCHA_HOME = tmp_path
    monkeypatch.setenv("XUNCHA_IDENTITY_KEY", Fernet.generate_key().decode())
    token = ident.encrypt(ident.Identity(name=NAME))
    assert not (tmp_path / ident.KEY_FILE).exists()
    monkeypatch.setenv("XUNCHA_IDENTITY_KEY", Fernet.generate_key().decode())
    with pytest.raises(ValueError):
        ident.decrypt(token)


def test_fingerprints_normalise_and_are_keyed():
    assert ident.phone_digest("+86 139-1234-5678") == ident.phone_digest(PHONE)
    assert ident.id_digest("61090219800101123x") == ident.id_digest(ID_NO)
    assert ident.phone_digest(PHONE) != ident.phone_digest("13912345679")
    import hashlib
    assert ident.phone_digest(PHONE) != hashlib.sha256(PHONE.encode()).hexdigest()
    assert ident.phone_digest("") == ""


def _all_text_in_database() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                chunks.append(" ".join(str(v) for v in row))
    return "\n".join(chunks)


@pytest.mark.django_db
def test_database_dump_has_no_identity_in_plain_text(city_round, make_petition, client_as):
    p = make_petition(city_round, name=NAME, phone=PHONE, id_number=ID_NO, address=ADDRESS)
    # reveal it once, so the audit trail holds a reveal entry too
    response = client_as("zuzhang").post(f"/petitions/{p.pk}/reveal/", {"reason": "核实来信人身份"})
    assert NAME in response.content.decode()
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    dump = out.getvalue()
    raw = _all_text_in_database()
    assert "核实来信人身份" in raw     # the scan sees the audit data (it is not blind)
    for secret in (NAME, PHONE, ID_NO, ADDRESS, "1391234"):
        assert secret not in dump, secret
        assert secret not in raw, secret
    assert p.identity_token and NAME not in p.identity_token


@hsettings(max_examples=60, deadline=None)
@given(st.text(max_size=40), st.text(max_size=20), st.text(max_size=20), st.text(max_size=80))
def test_any_identity_roundtrips_and_never_shows(name, phone, id_number, address):
    who = ident.Identity(name=name, phone=phone, id_number=id_number, address=address)
    token = ident.encrypt(who)
    assert ident.decrypt(token) == who
    base64_chars = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
    for value in (name, phone, id_number, address):
        if value and not set(value) <= base64_chars:     # a token is urlsafe base64 only
            assert value not in token


@hsettings(max_examples=60, deadline=None)
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from(["", "+86", "86", "0086"]),
       st.sampled_from(["", " ", "-"]))
def test_phone_fingerprint_ignores_formatting(number, prefix, sep):
    formatted = prefix + sep.join([number[:3], number[3:7], number[7:]])
    assert ident.phone_digest(formatted) == ident.phone_digest(number)
