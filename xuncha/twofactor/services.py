"""Two-factor login (双因素登录): TOTP on any phone authenticator app, with recovery codes.

Devices are django-otp's: a ``TOTPDevice`` (the phone, RFC 6238, 6 digits every 30 s) and a
``StaticDevice`` holding 10 single-use recovery codes (恢复码). Each change checks the policy, runs
in one transaction and writes the audit trail.
"""

from __future__ import annotations

import base64
import secrets

import segno
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xuncha.audit.services import record
from xuncha.policy import twofactor as policy

PHONE = "手机身份验证器"
RECOVERY = "恢复码"
RECOVERY_COUNT = 10


def is_enabled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed phone device being set up (a new secret each time setup starts over)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=PHONE).first()
    return device or TOTPDevice.objects.create(user=user, name=PHONE, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret in Base32, in groups of four, for typing into the app by hand."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (served by us: no external service)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_COUNT)]
    for code in codes:
        device.token_set.create(token=code)
    return [f"{c[:4]}-{c[4:]}" for c in codes]


def _clean(token: str) -> str:
    return "".join(ch for ch in (token or "") if ch in "0123456789")


@transaction.atomic
def confirm_setup(user, token: str, *, request=None) -> list[str]:
    """开启双因素登录: the first code from the app proves the phone holds the secret."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False, name=PHONE).first()
    if device is None:
        raise ValidationError("请重新打开开启页面扫码。")
    if not device.verify_token(_clean(token)):
        raise ValidationError("动态码不正确：请确认手机时间准确，输入身份验证器中当前显示的 6 位数字。")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    if request is not None:
        otp_login(request, device)
    record(user, "twofactor.enable", user, request=request, summary=f"{user} 开启双因素登录")
    return codes


def verify(request, token: str):
    """登录第二步: a code from the phone or a recovery code (used once). Returns the device or raises."""
    user = request.user
    digits = _clean(token)
    device = match_token(user, digits) if digits else None
    if device is None:
        record(user, "twofactor.failed", user, request=request, summary=f"{user} 双因素登录动态码错误")
        raise ValidationError("动态码或恢复码不正确（连续输错后需等待片刻再试）。")
    otp_login(request, device)
    if isinstance(device, StaticDevice):
        record(user, "twofactor.recovery_code", user, request=request,
               summary=f"{user} 使用恢复码登录（剩余 {recovery_codes_left(user)} 个）")
    return device


@transaction.atomic
def new_recovery_codes(user, *, request=None) -> list[str]:
    if not is_enabled(user):
        raise ValidationError("尚未开启双因素登录。")
    codes = _new_recovery_codes(user)
    record(user, "twofactor.recovery_codes", user, request=request, summary=f"{user} 重新生成恢复码")
    return codes


@transaction.atomic
def turn_off(user, *, request=None) -> None:
    if not policy.may_turn_off(user):
        raise PermissionDenied("本单位要求您的岗位使用双因素登录，不能关闭。")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(user, "twofactor.disable", user, request=request, summary=f"{user} 关闭双因素登录")


@transaction.atomic
def reset(actor, target, *, request=None) -> None:
    """系统管理员重置某用户的双因素登录 (phone and recovery codes lost): he sets it up anew."""
    if not policy.can_reset(actor, target):
        raise PermissionDenied("您没有权限重置该用户的双因素登录。")
    TOTPDevice.objects.filter(user=target).delete()
    StaticDevice.objects.filter(user=target).delete()
    record(actor, "twofactor.reset", target, request=request, summary=f"重置用户 {target} 的双因素登录")
