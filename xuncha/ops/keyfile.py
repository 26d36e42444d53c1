"""The key file of a backup (密钥备份文件): the installation's keys, encrypted with a passphrase.

The backup archive never holds a key: the secret key, the identity key (举报人身份密钥) and any
other key of the installation go into this separate file, encrypted with a key derived from a
passphrase (scrypt) and Fernet (AES-128-CBC + HMAC-SHA256). A stolen archive alone reveals no
reporter's identity; a stolen key file alone is useless without the passphrase.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings

FORMAT = "xuncha-keys-1"
MIN_PASSPHRASE = 10
#: key files of the installation (in XUNCHA_HOME) and the environment variable that may replace each
KEY_ENV = {
    "secret_key": "XUNCHA_SECRET_KEY",
    "identity.key": "XUNCHA_IDENTITY_KEY",
    "audit.key": "XUNCHA_AUDIT_KEY",
}
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


class KeyFileError(Exception):
    """A Chinese message for the operator."""


def is_key_file(path: Path, home: Path) -> bool:
    """A file of XUNCHA_HOME that holds a key: never copied into a backup archive."""
    return path.parent == home and (path.name in KEY_ENV or path.suffix == ".key")


def collect_keys(home: Path | None = None) -> dict[str, str]:
    """Every key of the installation, by file name: from the environment or from XUNCHA_HOME."""
    home = Path(home or settings.XUNCHA_HOME)
    keys: dict[str, str] = {}
    for path in sorted(home.iterdir()):
        if path.is_file() and is_key_file(path, home):
            keys[path.name] = path.read_text().strip()
    for name, env in KEY_ENV.items():
        value = os.environ.get(env, "").strip()
        if value:
            keys[name] = value
    return keys


def _fernet(passphrase: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> Fernet:
    kdf = Scrypt(salt=salt, length=32, n=n, r=r, p=p)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode())))


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyFileError(f"口令太短：至少 {MIN_PASSPHRASE} 个字符。")


def write(path: Path, keys: dict[str, str], passphrase: str) -> Path:
    """Encrypt ``keys`` with ``passphrase`` into ``path`` (mode 0600)."""
    check_passphrase(passphrase)
    salt = secrets.token_bytes(16)
    token = _fernet(passphrase, salt).encrypt(json.dumps(keys, ensure_ascii=False).encode())
    document = {
        "format": FORMAT,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
                "salt": base64.b64encode(salt).decode()},
        "names": sorted(keys),
        "token": token.decode(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
    return path


def read(path: Path, passphrase: str) -> dict[str, str]:
    """Decrypt a key file; a wrong passphrase or a damaged file is a KeyFileError."""
    try:
        document = json.loads(Path(path).read_text())
    except FileNotFoundError as exc:
        raise KeyFileError(f"找不到密钥备份文件 {path}。") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"{path} 不是巡察工作平台的密钥备份文件。") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise KeyFileError(f"{path} 不是巡察工作平台的密钥备份文件。")
    kdf = document["kdf"]
    try:
        fernet = _fernet(passphrase, base64.b64decode(kdf["salt"]), kdf["n"], kdf["r"], kdf["p"])
        keys = json.loads(fernet.decrypt(document["token"].encode()))
    except (InvalidToken, KeyError, ValueError) as exc:
        raise KeyFileError("口令不正确，或密钥备份文件已损坏。") from exc
    return keys


def install(keys: dict[str, str], home: Path) -> list[str]:
    """Write the keys into XUNCHA_HOME, readable only by the service user (0600)."""
    written = []
    for name, value in keys.items():
        if "/" in name or name.startswith("."):
            raise KeyFileError(f"密钥备份文件中有不合法的名称：{name}")
        target = home / name
        tmp = home / f".{name}.restoring"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(value + "\n")
        os.replace(tmp, target)
        written.append(name)
    return written
