"""Writing and verifying the audit trail (审计日志)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from xuncha.core.net import client_ip

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    at = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = [
        entry.seq, at, entry.kind, entry.action, entry.actor_id, entry.actor_name, entry.ip,
        entry.object_type, entry.object_id, entry.object_repr, entry.summary, entry.data,
        entry.prev_hash,
    ]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _describe(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    meta = getattr(target, "_meta", None)
    object_type = meta.label_lower if meta else type(target).__name__
    return object_type, str(getattr(target, "pk", "") or ""), str(target)[:200]


def record(actor, action: str, target=None, *, request=None, summary: str = "",
           data: dict | None = None, kind: str = AuditEntry.Kind.CHANGE) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it records."""
    object_type, object_id, object_repr = _describe(target)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            kind=kind,
            action=action,
            actor=user,
            actor_name=(user.display_name if user else (str(actor) if actor else "")),
            ip=client_ip(request) if request is not None else "",
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            summary=summary[:500],
            data=json.loads(json.dumps(data or {}, ensure_ascii=False, default=str)),
            prev_hash=head.hash,
        )
        entry.hash = compute_hash(entry)
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def record_view(request, target, *, summary: str = "", data: dict | None = None) -> AuditEntry:
    """Log that ``request.user`` looked at a confidential record (信访件、线索)."""
    return record(request.user, "view", target, request=request, summary=summary or f"查阅 {target}",
                  data=data, kind=AuditEntry.Kind.VIEW)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            return f"审计链完整：共核验 {self.checked} 条记录。"
        return f"审计链在第 {self.broken_seq} 条记录处断开：{self.reason}"


def verify_chain(batch_size: int = 2000) -> VerifyResult:
    """Walk the chain from the first entry; name the first entry whose link is broken."""
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    qs = AuditEntry.objects.order_by("seq")
    while True:
        batch = list(qs.filter(seq__gt=last_seq)[:batch_size])
        if not batch:
            break
        for entry in batch:
            if entry.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, "记录缺失（序号不连续）")
            if entry.prev_hash != expected_prev:
                return VerifyResult(False, checked, entry.seq, "上一条哈希不符（前一条记录被改动或删除）")
            if compute_hash(entry) != entry.hash:
                return VerifyResult(False, checked, entry.seq, "记录内容与其哈希不符（记录被改动）")
            expected_prev = entry.hash
            expected_seq += 1
            checked += 1
            last_seq = entry.seq
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and head.seq != last_seq:
        return VerifyResult(False, checked, last_seq + 1, "链头记录的条数与日志不符（末尾记录被删除）")
    return VerifyResult(True, checked)
