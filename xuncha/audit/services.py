"""Writing and verifying the audit trail (审计日志)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from xuncha.core.net import client_ip

from . import anchors
from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    at = entry.at.astimezone(UTC).isoformat(timespec="microseconds")
    payload = [
        entry.seq, at, entry.kind, entry.action, entry.actor_id, entry.actor_name, entry.ip,
        entry.object_type, entry.object_id, entry.object_repr, entry.summary, entry.data,
        entry.prev_hash,
    ]
    if entry.jurisdiction_id is not None:
        payload.append({"jurisdiction": entry.jurisdiction_id})
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str).encode()


def compute_hash(entry: AuditEntry) -> str:
    """HMAC-SHA256 of the entry under the audit key (kept outside the database)."""
    return anchors.mac(_canonical(entry))


def legacy_hash(entry: AuditEntry) -> str:
    """How entries were hashed before the chain was keyed (plain SHA-256)."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _at_text(entry: AuditEntry) -> str:
    return entry.at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _locked_head() -> AuditHead:
    """The head row, locked; rebuilt from the last entry when it was deleted (never a duplicate seq)."""
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-seq").first()
    AuditHead.objects.get_or_create(
        id=1, defaults={"seq": last.seq if last else 0, "hash": last.hash if last else GENESIS})
    return AuditHead.objects.select_for_update().get(id=1)


def _describe(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    meta = getattr(target, "_meta", None)
    object_type = meta.label_lower if meta else type(target).__name__
    return object_type, str(getattr(target, "pk", "") or ""), str(target)[:200]


def _jurisdiction_of(target, user) -> int | None:
    """The jurisdiction a record belongs to: its own, its round's, its owner's, else the actor's."""
    seen = 0
    obj = target
    while obj is not None and seen < 4:
        seen += 1
        value = getattr(obj, "jurisdiction_id", None)
        if isinstance(value, int):
            return value
        if type(obj).__name__ == "Jurisdiction":
            return obj.pk
        organization = getattr(obj, "organization", None)
        if organization is not None and getattr(organization, "jurisdiction_id", None):
            return organization.jurisdiction_id
        obj = next((getattr(obj, a) for a in ("round", "petition", "clue", "report", "feedback", "owner")
                    if getattr(obj, a, None) is not None), None)
    if user is not None and user.organization_id:
        return user.organization.jurisdiction_id
    return None


def record(actor, action: str, target=None, *, request=None, summary: str = "",
           data: dict | None = None, kind: str = AuditEntry.Kind.CHANGE) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it records."""
    object_type, object_id, object_repr = _describe(target)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head = _locked_head()
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
            jurisdiction_id=_jurisdiction_of(target, user),
        )
        entry.hash = compute_hash(entry)
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
        seq, hash_, at = entry.seq, entry.hash, _at_text(entry)
        transaction.on_commit(lambda: anchors.write(seq, hash_, at))
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

    def message(self, *, with_count: bool = True) -> str:
        if self.ok:
            return f"审计链完整：共核验 {self.checked} 条记录。" if with_count else "审计链完整。"
        return f"审计链在第 {self.broken_seq} 条记录处断开：{self.reason}"


def verify_chain(batch_size: int = 2000, *, extra: list[anchors.Anchor] = ()) -> VerifyResult:
    """Walk the chain from the first entry and hold it against the signed checkpoints (锚点).

    Names the first entry whose link, keyed hash or checkpoint does not match."""
    points, damaged = anchors.read_all()
    points += list(extra)          # checkpoints kept elsewhere (printed, sent away)
    legacy = anchors.read_legacy()
    legacy_seq = 0
    if legacy is not None:
        points.append(legacy)
        legacy_seq = legacy.seq
    if damaged:
        return VerifyResult(False, 0, None, f"锚点文件有无法识别的行（{damaged[0]}）")
    forged = next((a for a in points if not a.valid()), None)
    if forged is not None:
        return VerifyResult(False, 0, forged.seq, "锚点签名不符（锚点文件被改动，或审计链密钥不是原来的）")
    expected = {}
    for a in points:
        if expected.setdefault(a.seq, a.hash) != a.hash:
            return VerifyResult(False, 0, a.seq, "两个锚点对同一条记录给出不同的哈希")
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
            hasher = legacy_hash if entry.seq <= legacy_seq else compute_hash
            if hasher(entry) != entry.hash:
                return VerifyResult(False, checked, entry.seq, "记录内容与其哈希不符（记录被改动，或哈希被重算）")
            if entry.seq in expected and expected[entry.seq] != entry.hash:
                return VerifyResult(False, checked, entry.seq, "记录与锚点不符（此后的记录被改写）")
            expected_prev = entry.hash
            expected_seq += 1
            checked += 1
            last_seq = entry.seq
    anchored = max(expected, default=0)
    if anchored > last_seq:
        return VerifyResult(False, checked, last_seq + 1,
                            f"锚点记载已有第 {anchored} 条记录，日志只到第 {last_seq} 条（末尾记录被删除）")
    if last_seq and not points:
        return VerifyResult(False, checked, 1, "找不到审计锚点文件（锚点目录被删除或换了位置）")
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and head.seq != last_seq:
        return VerifyResult(False, checked, last_seq + 1, "链头记录的条数与日志不符（末尾记录被删除）")
    if head is None and last_seq:
        return VerifyResult(False, checked, last_seq + 1, "链头记录被删除")
    return VerifyResult(True, checked)


def write_anchor() -> anchors.Anchor | None:
    """Append the chain's current end to the checkpoint log and return it (to print or send away)."""
    last = AuditEntry.objects.order_by("-seq").first()
    if last is None:
        return None
    return anchors.write(last.seq, last.hash, _at_text(last), log=True)


def seal_legacy() -> anchors.Anchor:
    """Once, when upgrading an installation whose entries were hashed without a key: check the old
    chain as it was (plain SHA-256) and seal its end with a signed checkpoint; later entries are keyed."""
    points, _ = anchors.read_all()
    if points or anchors.read_legacy() is not None:
        raise ValueError("已有审计锚点，不需要（也不能）再次封存升级前的记录。")
    prev, last = GENESIS, None
    for expected, entry in enumerate(AuditEntry.objects.order_by("seq").iterator(chunk_size=2000), start=1):
        if entry.seq != expected or entry.prev_hash != prev or legacy_hash(entry) != entry.hash:
            raise ValueError(f"升级前的审计链在第 {expected} 条记录处不完整，不能封存。")
        prev, last = entry.hash, entry
    if last is None:
        raise ValueError("审计日志为空，不需要封存。")
    sealed = anchors.write_legacy(last.seq, last.hash)
    anchors.write(last.seq, last.hash, _at_text(last), log=True)
    return sealed
