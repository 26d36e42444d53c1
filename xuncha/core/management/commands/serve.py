"""xuncha serve: run the web application with waitress (production-grade, pure Python)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网页服务（waitress），在前台运行直到按 Ctrl+C。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，内网部署可用 0.0.0.0")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-migrate", action="store_true")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程（另行运行 xuncha worker）")

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        serve(options["host"], options["port"], options["threads"], self.stdout, worker=not options["no_worker"])


def start_worker(out):
    """The background task worker (``xuncha worker``) as a child process, stopped when serve stops."""
    import atexit
    import os
    import subprocess
    import sys

    # the worker watches this process: killed outright (SIGKILL, the OOM killer), serve cannot stop it,
    # so the worker stops itself when its parent is gone (``xuncha.tasks`` worker command)
    env = {**os.environ, "XUNCHA_WORKER_PARENT": str(os.getpid())}
    proc = subprocess.Popen([sys.executable, "-m", "xuncha.cli", "worker"], env=env)
    out.write(f"后台任务进程已启动（进程号 {proc.pid}）。")

    def stop():
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    atexit.register(stop)
    return proc


def waitress_options() -> dict:
    """Options of the production server (shared with the tests that run it)."""
    from django.conf import settings

    from xuncha.files.limits import max_request_bytes

    # Behind nginx with HTTPS every request arrived over TLS (the app listens on 127.0.0.1 only).
    scheme = "https" if getattr(settings, "SECURE_SSL_REDIRECT", False) else "http"
    return {"ident": "xuncha", "url_scheme": scheme,
            "max_request_body_size": max_request_bytes() + 1024 * 1024,
            # the app itself decides which proxies to believe (xuncha.core.net.client_ip)
            "clear_untrusted_proxy_headers": not settings.XUNCHA_TRUSTED_PROXIES}


def serve(host: str, port: int, threads: int, out, worker: bool = True) -> None:
    from waitress import serve as waitress_serve

    from xuncha.files.limits import purge_temp_dir
    from xuncha.files.permissions import secure_data_folder
    from xuncha.wsgi import application

    if worker:
        start_worker(out)
    out.write(f"巡察工作平台已启动：http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/  （Ctrl+C 停止）")
    purge_temp_dir()
    secure_data_folder(walk=True)
    waitress_serve(application, host=host, port=port, threads=threads, **waitress_options())
