"""A real ``xuncha serve`` in a subprocess and a small cookie-keeping HTTP client for fault tests."""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``xuncha serve`` on 127.0.0.1 with its own data folder; its log goes to ``log``."""

    def __init__(self, env: dict, log: Path, threads: int = 4):
        self.env, self.log, self.port, self.proc, self.threads = env, log, free_port(), None, threads

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        handle = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "xuncha.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--threads", str(self.threads), "--no-migrate"], env=self.env, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL: what a power cut or the OOM killer does."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8", "replace")

    def get(self, path: str) -> tuple[int, str]:
        return self.request(path)

    def csrf(self, path: str) -> str:
        status, body = self.get(path)
        assert status == 200, (status, body[:500])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def post(self, path: str, fields: dict, files: dict | None = None) -> tuple[int, str]:
        body, ctype = multipart(fields, files or {})
        return self.request(path, body, {"Content-Type": ctype, "Referer": self.base + path})


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """multipart/form-data: ``files`` maps a field to (file name, bytes)."""
    boundary = "----xuncha" + secrets.token_hex(8)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def report_fields(csrf: str, content: str) -> dict:
    return {"csrfmiddlewaretoken": csrf, "anonymous": "1", "subject_name": "某县人防办",
            "content": content}
