"""Encryption of reporters' identity (反映人身份加密).

The key is never in the database: env ``XUNCHA_IDENTITY_KEY`` (a Fernet key) or the file
``XUNCHA_HOME/identity.key``, created with mode 0600 on first use. The same key, through HMAC,
gives keyed fingerprints of phone and ID numbers so repeat reporters are found without decrypting.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from xuncha.core import keys

KEY_FILE = "identity.key"


@dataclass(frozen=True)
class Identity:
    """反映人身份信息."""

    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""

    def is_empty(self) -> bool:
        return not any((self.name, self.phone, self.id_number, self.address))


def key_path() -> Path:
    return Path(settings.XUNCHA_HOME) / KEY_FILE


def _key() -> bytes:
    return keys.installation_key(key_path(), "XUNCHA_IDENTITY_KEY", Fernet.generate_key)


def encrypt(identity: Identity) -> str:
    if identity.is_empty():
        return ""
    payload = json.dumps(asdict(identity), ensure_ascii=False).encode()
    return Fernet(_key()).encrypt(payload).decode()


def decrypt(token: str) -> Identity:
    if not token:
        return Identity()
    try:
        data = json.loads(Fernet(_key()).decrypt(token.encode()))
    except InvalidToken as exc:
        raise ValueError("反映人身份无法解密：密钥不符。") from exc
    return Identity(**data)


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def normalise_id_number(number: str) -> str:
    return re.sub(r"\s", "", number or "").upper()


def digest(kind: str, value: str) -> str:
    """Keyed fingerprint (HMAC-SHA256) of a normalised value; '' for an empty value."""
    if not value:
        return ""
    mac_key = hmac.new(_key(), b"xuncha-identity-fingerprint", hashlib.sha256).digest()
    return hmac.new(mac_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def phone_digest(phone: str) -> str:
    return digest("phone", normalise_phone(phone))


def id_digest(number: str) -> str:
    return digest("id", normalise_id_number(number))
