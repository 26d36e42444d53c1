"""The audit trail is append-only and tamper-evident."""

import pytest
from django.core.management import call_command
from django.db import connection

from xuncha.audit.models import AppendOnlyError, AuditEntry, AuditHead
from xuncha.audit.services import record, verify_chain


@pytest.fixture
def entries(empty_database, django_user_model, django_capture_on_commit_callbacks):
    user = django_user_model.objects.create(username="u1", full_name="测试")
    made = []
    for i in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            made.append(record(user, "test.change", user, summary=f"第{i}次", data={"i": i, "名称": "值"}))
    return made


def test_chain_links_and_verifies(entries):
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == "0" * 64
    for prev, cur in zip(entries, entries[1:], strict=False):
        assert cur.prev_hash == prev.hash
    result = verify_chain()
    assert result.ok and result.checked == 5


def test_orm_refuses_change_and_delete(entries):
    entry = AuditEntry.objects.get(seq=2)
    entry.summary = "改动"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=2).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def _raw(sql, params):
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def test_altered_row_is_found(entries):
    _raw("UPDATE {table} SET summary = %s WHERE seq = %s", ["被篡改", 3])
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == 3
    assert "第 3 条" in result.message()


def test_rehashed_row_breaks_the_next_link(entries):
    from xuncha.audit.services import compute_hash

    forged = AuditEntry.objects.get(seq=2)
    forged.summary = "伪造"
    new_hash = compute_hash(forged)
    _raw("UPDATE {table} SET summary = %s, hash = %s WHERE seq = %s", ["伪造", new_hash, 2])
    result = verify_chain()
    assert not result.ok and result.broken_seq == 3


def test_deleted_rows_are_found(entries):
    _raw("DELETE FROM {table} WHERE seq = %s", [2])
    result = verify_chain()
    assert not result.ok and result.broken_seq == 2
    _raw("DELETE FROM {table} WHERE seq >= %s", [1])
    assert not verify_chain().ok    # head still says 5 entries


def test_tail_truncation_is_found(entries):
    _raw("DELETE FROM {table} WHERE seq = %s", [5])
    result = verify_chain()
    assert not result.ok and result.broken_seq == 5
    assert AuditHead.objects.get().seq == 5


def test_verify_command_exit_status(entries, capsys):
    call_command("audit", "verify")
    assert "审计链完整" in capsys.readouterr().out
    _raw("UPDATE {table} SET ip = %s WHERE seq = %s", ["10.0.0.9", 4])
    with pytest.raises(SystemExit) as exc:
        call_command("audit", "verify")
    assert exc.value.code == 1
    assert "第 4 条" in capsys.readouterr().err


def test_record_keeps_address_and_actor(rf, db, django_user_model):
    user = django_user_model.objects.create(username="u2", full_name="李四")
    request = rf.get("/", REMOTE_ADDR="192.0.2.7")
    request.user = user
    entry = record(user, "x.y", None, request=request, summary="摘要")
    assert entry.ip == "192.0.2.7" and entry.actor_name == "李四"
