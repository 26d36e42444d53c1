"""Issue 14 item 5: every way of tampering with the audit trail tried so far is found by verify.

The chain is keyed (HMAC with ``audit.key``, outside the database) and anchored by signed checkpoints
written outside the database, so rewriting, truncating or emptying the table is found even when the
head row is reset or deleted and later hashes are recomputed.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from django.core.management import call_command
from django.db import connection

from xuncha.audit import anchors
from xuncha.audit.models import AuditEntry, AuditHead
from xuncha.audit.services import _canonical, compute_hash, record, verify_chain

N = 10


@pytest.fixture
def chain(empty_database, django_user_model, django_capture_on_commit_callbacks):
    user = django_user_model.objects.create(username="t1", full_name="测试")
    for i in range(N):
        with django_capture_on_commit_callbacks(execute=True):
            record(user, "test.change", user, summary=f"第{i}次", data={"i": i})
    assert verify_chain().ok
    return user


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement.format(t=AuditEntry._meta.db_table, h=AuditHead._meta.db_table), params)


def rows():
    return list(AuditEntry.objects.order_by("seq"))


def write_row(entry):
    sql("UPDATE {t} SET seq = %s, summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
        [entry.seq, entry.summary, entry.prev_hash, entry.hash, entry.pk])


def plain_sha(entry):
    return hashlib.sha256(_canonical(entry)).hexdigest()


def other_key(entry):
    return hmac.new(b"guessed-key", _canonical(entry), hashlib.sha256).hexdigest()


def recompute_from(start_seq, hasher):
    """What a forger does: rehash every entry from start_seq and reset the head to match."""
    prev = None
    for entry in rows():
        if entry.seq >= start_seq:
            if prev is not None:
                entry.prev_hash = prev
            entry.hash = hasher(entry)
            write_row(entry)
        prev = entry.hash
    sql("UPDATE {h} SET seq = %s, hash = %s", [rows()[-1].seq, prev])


def broken_at(expected_seq):
    result = verify_chain()
    assert not result.ok, result.message()
    assert result.broken_seq == expected_seq, result.message()
    assert f"第 {expected_seq} 条" in result.message()
    assert "共核验 0 条" not in result.message()
    return result


def test_change_a_field(chain):
    sql("UPDATE {t} SET summary = %s WHERE seq = 4", ["改过"])
    broken_at(4)


@pytest.mark.parametrize("hasher", [plain_sha, other_key], ids=["sha256", "guessed-key"])
def test_change_and_rehash(chain, hasher):
    entry = AuditEntry.objects.get(seq=4)
    entry.summary = "改过"
    entry.hash = hasher(entry)
    write_row(entry)
    broken_at(4)


def test_delete_first(chain):
    sql("DELETE FROM {t} WHERE seq = 1")
    broken_at(1)


def test_delete_middle(chain):
    sql("DELETE FROM {t} WHERE seq = 5")
    broken_at(5)


def test_delete_last(chain):
    sql("DELETE FROM {t} WHERE seq = %s", [N])
    sql("UPDATE {h} SET seq = %s, hash = (SELECT hash FROM {t} WHERE seq = %s)", [N - 1, N - 1])
    broken_at(N)


def test_delete_last_five(chain):
    sql("DELETE FROM {t} WHERE seq > %s", [N - 5])
    broken_at(N - 4)


def test_swap_two(chain):
    a, b = AuditEntry.objects.get(seq=3), AuditEntry.objects.get(seq=6)
    sql("UPDATE {t} SET seq = 999999 WHERE id = %s", [a.pk])
    sql("UPDATE {t} SET seq = 3 WHERE id = %s", [b.pk])
    sql("UPDATE {t} SET seq = 6 WHERE id = %s", [a.pk])
    broken_at(3)


def test_truncate_and_update_head(chain):
    sql("DELETE FROM {t} WHERE seq > 7")
    sql("UPDATE {h} SET seq = 7, hash = (SELECT hash FROM {t} WHERE seq = 7)")
    broken_at(8)


def test_truncate_and_delete_head(chain):
    sql("DELETE FROM {t} WHERE seq > 7")
    sql("DELETE FROM {h}")
    broken_at(8)


def test_empty_all_and_reset_head(chain):
    sql("DELETE FROM {t}")
    sql("UPDATE {h} SET seq = 0, hash = %s", ["0" * 64])
    broken_at(1)


def test_edit_last_entry(chain):
    sql("UPDATE {t} SET ip = %s WHERE seq = %s", ["10.9.9.9", N])
    broken_at(N)


@pytest.mark.parametrize("hasher", [plain_sha, other_key], ids=["sha256", "guessed-key"])
def test_edit_and_recompute_the_rest(chain, hasher):
    sql("UPDATE {t} SET summary = %s WHERE seq = 3", ["改过"])
    recompute_from(3, hasher)
    broken_at(3)


def test_edit_and_recompute_with_the_key_is_caught_by_the_checkpoint(chain):
    """Even a forger holding the key cannot move the chain's end away from the signed checkpoint."""
    sql("UPDATE {t} SET summary = %s WHERE seq = 3", ["改过"])
    recompute_from(3, compute_hash)
    broken_at(N)


def test_delete_and_renumber(chain):
    sql("DELETE FROM {t} WHERE seq = 4")
    for entry in rows():
        if entry.seq > 4:
            sql("UPDATE {t} SET seq = %s WHERE id = %s", [entry.seq - 1, entry.pk])
    entry = rows()[-1]
    sql("UPDATE {h} SET seq = %s, hash = %s", [entry.seq, entry.hash])
    broken_at(4)


def test_forged_or_deleted_checkpoints_are_found(chain):
    latest = anchors.anchor_dir() / "latest.txt"
    seq, hash_, at, _sig = latest.read_text().split()
    latest.write_text(f"{int(seq) - 1} {hash_} {at} {'0' * 64}\n")
    assert not verify_chain().ok
    latest.unlink()
    result = verify_chain()
    assert not result.ok and "锚点" in result.message()


def test_deleted_head_does_not_stop_auditing(chain, django_capture_on_commit_callbacks):
    sql("DELETE FROM {h}")
    with django_capture_on_commit_callbacks(execute=True):
        entry = record(chain, "test.after", chain)
    assert entry.seq == N + 1
    assert verify_chain().ok


def test_anchor_command_prints_a_signed_checkpoint(chain, capsys):
    call_command("audit", "anchor")
    line = capsys.readouterr().out.strip().splitlines()[-1]
    anchor = anchors.Anchor.parse(line)
    assert anchor.seq == N and anchor.valid()
    assert line in (anchors.anchor_dir() / "anchors.txt").read_text()


def test_chain_key_is_outside_the_database(chain):
    path = anchors.key_path()
    assert path.exists() and (path.stat().st_mode & 0o077) == 0
    assert path.read_text().strip() not in {e.hash for e in rows()}


def test_upgraded_installation_seals_its_unkeyed_entries(empty_database, django_user_model, capsys):
    """Entries written by an older version (plain SHA-256) are sealed once and then verify."""
    from xuncha.audit.services import GENESIS, legacy_hash

    user = django_user_model.objects.create(username="old", full_name="旧")
    prev = GENESIS
    for seq in (1, 2, 3):
        entry = record(user, "old.change", user, summary=f"旧{seq}")
        entry.prev_hash = prev
        entry.hash = legacy_hash(entry)
        write_row(entry)
        prev = entry.hash
    sql("UPDATE {h} SET seq = 3, hash = %s", [prev])
    assert not verify_chain().ok
    call_command("audit", "seal-legacy")
    assert "已封存" in capsys.readouterr().out
    assert verify_chain().ok
    sql("UPDATE {t} SET summary = %s WHERE seq = 2", ["改过"])
    broken_at(2)
    with pytest.raises(SystemExit):
        call_command("audit", "seal-legacy")            # only once


def test_a_checkpoint_sent_away_catches_a_rewrite_of_database_and_anchor_files(chain, capsys):
    call_command("audit", "anchor")
    kept = capsys.readouterr().out.strip().splitlines()[-1]        # printed and filed away
    sql("DELETE FROM {t} WHERE seq > 6")
    sql("UPDATE {h} SET seq = 6, hash = (SELECT hash FROM {t} WHERE seq = 6)")
    for name in ("latest.txt", "anchors.txt"):
        (anchors.anchor_dir() / name).unlink()
    entry = AuditEntry.objects.get(seq=6)                           # the forger holds the key, too
    anchors.write(6, entry.hash, "2026-01-01T00:00:00Z", log=True)
    assert verify_chain().ok
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--anchor", kept)
    assert "第 7 条" in capsys.readouterr().err
