"""Faults (故障): a killed server loses nothing saved; a lost database or a full disk gives a Chinese
page and one log line, and the app recovers by itself. Each test runs a real ``xuncha serve``."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from .helpers import fresh_installation, on_postgres, xuncha
from .live import Client, Server, report_fields

PDF = b"%PDF-1.4\n" + os.urandom(200_000) + b"\n%%EOF\n"
pytestmark = pytest.mark.django_db(transaction=True)


def install(env: dict) -> None:
    xuncha(env, "manage", "migrate", "--noinput", "-v", "0")
    xuncha(env, "manage", "shell", "-c", "from xuncha.core import demo; demo.load()")


def query(env: dict, home: Path, sql: str):
    if env["DATABASE_URL"].startswith("postgres"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as conn:
            return conn.execute(sql).fetchall()
    conn = sqlite3.connect(home / "xuncha.sqlite3")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def onsite_round(env, home) -> int:
    return query(env, home, "SELECT id FROM rounds_round WHERE stage = 'onsite' ORDER BY id")[0][0]


def submit(server: Server, round_id: int, content: str, attachment: bytes | None = PDF, *,
           client: Client | None = None, csrf: str = "") -> tuple[int, str]:
    client = client or Client(server.url)
    path = f"/petitions/public/{round_id}/"
    files = {"attachments": ("举报材料.pdf", attachment)} if attachment else {}
    return client.post(path, report_fields(csrf or client.csrf(path), content), files)


def files_under(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "files").rglob("*") if p.is_file()}


def worker_pid(server: Server) -> int:
    """The pid of the task worker the server last started (it prints it to its log)."""
    import re

    found = re.findall(r"后台任务进程已启动（进程号 (\d+)）", server.log.read_text(errors="replace"))
    assert found, server.log.read_text(errors="replace")[-800:]
    return int(found[-1])


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def test_killing_the_server_during_an_upload_loses_nothing_already_saved(tmp_path):
    with fresh_installation(tmp_path) as (home, env):
        install(env)
        round_id = onsite_round(env, home)
        server = Server(env, tmp_path / "serve.log").start()
        try:
            status, body = submit(server, round_id, "第一件：已经保存的举报")
            assert status == 200 and "查询密码" in body, body[:800]
            saved = files_under(home)
            assert PDF in saved.values()
            petitions = query(env, home, "SELECT id, content FROM petitions_petition ORDER BY id")
            assert petitions[-1][1] == "第一件：已经保存的举报"
            attachments = query(env, home, "SELECT id, stored_name FROM petitions_attachment ORDER BY id")
            # a second upload is half sent when the server is killed
            client = Client(server.url)
            path = f"/petitions/public/{round_id}/"
            csrf = client.csrf(path)
            cookie = "; ".join(f"{c.name}={c.value}" for c in client.jar)
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
                         f"X-CSRFToken: {csrf}\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                         f"Content-Length: 3000000\r\n\r\n".encode())
            sock.sendall(b"--b\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"x.pdf\"\r\n\r\n"
                         + b"%PDF-1.4\n" + b"y" * 1_000_000)
            time.sleep(0.5)
            orphan = worker_pid(server)
            server.kill()
            sock.close()
            server.start()
            assert query(env, home, "SELECT id, content FROM petitions_petition ORDER BY id") == petitions
            assert query(env, home, "SELECT id, stored_name FROM petitions_attachment ORDER BY id") == attachments
            assert files_under(home) == saved           # the saved file intact, no half-written one
            if not on_postgres():
                assert query(env, home, "PRAGMA integrity_check") == [("ok",)]
            status, body = submit(server, round_id, "第二件：重启后照常受理")
            assert status == 200, body[:800]
            assert len(query(env, home, "SELECT id FROM petitions_petition")) == len(petitions) + 1
            # the killed server's task worker stops itself; the restarted server has a worker of its own
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and Path(f"/proc/{orphan}").exists() and not zombie(orphan):
                time.sleep(0.5)
            assert not Path(f"/proc/{orphan}").exists() or zombie(orphan), "the killed server's worker lives on"
            assert worker_pid(server) != orphan
        finally:
            server.stop()


class Proxy:
    """A TCP relay in front of PostgreSQL that the test can cut and restore (a dropped network)."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.sockets, self.listener = target, [], None
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(50)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(a, b) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def stop(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)      # wakes the accepting thread (Linux)
        except OSError:
            pass
        self.listener.close()
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass
        self.sockets = []


def test_a_lost_database_gives_a_chinese_page_and_one_log_line_and_the_app_recovers(tmp_path):
    if not on_postgres():
        pytest.skip("needs a database server to lose: runs in the PostgreSQL pass")
    with fresh_installation(tmp_path) as (home, env):
        install(env)
        url = env["DATABASE_URL"]
        host_port = url.rsplit("@", 1)[1].split("/", 1)[0]
        proxy = Proxy((host_port.split(":")[0], int(host_port.split(":")[1])))
        proxy.start()
        env = {**env, "DATABASE_URL": url.replace(f"@{host_port}/", f"@127.0.0.1:{proxy.port}/")}
        log = tmp_path / "serve.log"
        server = Server(env, log).start()
        web = Client(server.url)
        try:
            assert web.get("/public/")[0] == 200
            proxy.stop()                                       # the database goes away
            status, body = web.get("/public/")
            assert status == 503
            assert "数据库暂时无法连接" in body and "没有保存任何半截数据" in body
            assert "Traceback" not in body and "OperationalError" not in body
            time.sleep(0.3)
            text = log.read_text(errors="replace")
            assert "数据库无法连接：GET /public/" in text
            assert "Traceback" not in text
            proxy.start()                                      # it comes back: no restart needed
            status, body = web.get("/public/")
            assert status == 200, body[:500]
        finally:
            server.stop()
            proxy.stop()


def test_a_database_restart_while_idle_is_not_seen_by_the_next_user(tmp_path):
    """Kept connections die when the database restarts; the next request checks and reconnects."""
    if not on_postgres():
        pytest.skip("needs a database server to restart: runs in the PostgreSQL pass")
    with fresh_installation(tmp_path) as (home, env):
        install(env)
        url = env["DATABASE_URL"]
        host_port = url.rsplit("@", 1)[1].split("/", 1)[0]
        proxy = Proxy((host_port.split(":")[0], int(host_port.split(":")[1])))
        proxy.start()
        env = {**env, "DATABASE_URL": url.replace(f"@{host_port}/", f"@127.0.0.1:{proxy.port}/")}
        server = Server(env, tmp_path / "serve.log", threads=1).start()     # one thread: one kept connection
        web = Client(server.url)
        try:
            assert web.get("/public/")[0] == 200
            proxy.stop()                                       # the database restarts: connections cut
            proxy.start()
            status, body = web.get("/public/")
            assert status == 200, body[:300]
        finally:
            server.stop()
            proxy.stop()


@contextmanager
def small_disk(path: Path, size: str):
    path.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a small tmpfs for the full-disk test: {result.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_gives_a_chinese_page_and_one_log_line_and_nothing_half_saved(tmp_path):
    with small_disk(tmp_path / "disk", "256m") as disk, fresh_installation(disk) as (home, env):
        install(env)
        round_id = onsite_round(env, home)
        log = tmp_path / "serve.log"
        server = Server(env, log).start()
        try:
            before = query(env, home, "SELECT count(*) FROM petitions_petition")
            reporter = Client(server.url)
            csrf = reporter.csrf(f"/petitions/public/{round_id}/")     # the form is open in his browser
            ballast = disk / "ballast"
            with open(ballast, "wb", buffering=0) as handle:   # fill the disk (unbuffered: close has nothing to flush)
                try:
                    while True:
                        handle.write(b"\0" * 65536)
                        handle.flush()
                except OSError:
                    pass
            status, body = submit(server, round_id, "磁盘满时提交的举报", client=reporter, csrf=csrf)
            assert status == 507, body[:800]
            assert "服务器磁盘空间不足" in body and "Traceback" not in body
            time.sleep(0.3)
            text = log.read_text(errors="replace")
            assert "磁盘空间不足：POST /petitions/public/" in text and "Traceback" not in text
            ballast.unlink()                                   # the administrator frees space
            assert query(env, home, "SELECT count(*) FROM petitions_petition") == before
            status, body = submit(server, round_id, "清理磁盘后提交的举报")
            assert status == 200, body[:800]
            assert query(env, home, "SELECT content FROM petitions_petition WHERE content LIKE '%磁盘%'") == [
                ("清理磁盘后提交的举报",)]
        finally:
            server.stop()
