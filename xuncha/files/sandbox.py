"""Parsing an uploaded document away from the server (隔离解析): a child process with a memory, CPU
time and wall-clock cap, so a document built to explode (a 0.18 MB .docx whose ``document.xml``
inflates to 100 MB) can only kill its own child, never stop the server from answering others.

``render_template_isolated(data, context)`` renders a docxtpl template in the child and returns the
rendered bytes, or raises ``SandboxError`` with a Chinese reason. The child imports no Django.
Callers size-check the file first (``xuncha.files.checks.inspect_zip``).
"""

from __future__ import annotations

import io
import os
import pickle
import resource
import subprocess
import sys

MEMORY_BYTES = 768 * 1024 * 1024
CPU_SECONDS = 20
WALL_SECONDS = 40
MAX_OUTPUT = 64 * 1024 * 1024


class SandboxError(Exception):
    """The document could not be parsed within the limits; ``str(exc)`` says why in Chinese."""


def _limit(memory: int, cpu: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT, MAX_OUTPUT))
        os.nice(5)
    return apply


def render_template_isolated(data: bytes, context: dict, *, memory: int = MEMORY_BYTES,
                             cpu: int = CPU_SECONDS, wall: int = WALL_SECONDS) -> bytes:
    payload = pickle.dumps((data, context))
    try:
        done = subprocess.run(  # noqa: S603 — our own interpreter and module, no shell
            [sys.executable, "-m", "xuncha.files.sandbox"], input=payload, capture_output=True,
            timeout=wall, preexec_fn=_limit(memory, cpu), check=False,  # noqa: PLW1509
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": os.pathsep.join(sys.path)})
    except subprocess.TimeoutExpired as exc:
        raise SandboxError(f"解析超过 {wall} 秒，已中止") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        last = reason[-1] if reason else ""
        if done.returncode < 0 or "MemoryError" in last:
            raise SandboxError("解析所需内存或时间超过上限，已中止")
        raise SandboxError(last[:200] or "无法解析")
    return done.stdout


def _child() -> None:
    data, context = pickle.loads(sys.stdin.buffer.read())  # noqa: S301 — written by our parent
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    doc = DocxTemplate(io.BytesIO(data))
    doc.render(context, jinja_env=SandboxedEnvironment(autoescape=True))
    out = io.BytesIO()
    doc.save(out)
    sys.stdout.buffer.write(out.getvalue())


if __name__ == "__main__":
    try:
        _child()
    except MemoryError:
        sys.stderr.write("MemoryError\n")
        sys.exit(3)
    except Exception as exc:  # the parent turns this into a Chinese message
        sys.stderr.write(f"{type(exc).__name__}\n")
        sys.exit(2)
