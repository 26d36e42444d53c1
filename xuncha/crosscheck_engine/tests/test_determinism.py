"""The same input gives the same output, byte for byte (contract 1.1): whatever the hash seed of the
process and whatever order the files were written and listed in."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from xuncha.crosscheck_engine.generator import generate
from xuncha.crosscheck_engine.output import FINDINGS, WORKBOOK
from xuncha.crosscheck_engine.policy import DEFAULT_POLICY_PATH


def _check(data, out, seed: int) -> None:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    subprocess.run([sys.executable, "-m", "xuncha.crosscheck_engine.cli", str(data), "--policy",
                    str(DEFAULT_POLICY_PATH), "--as-of", "2025-06-30", "--out", str(out)],
                   check=True, env=env, capture_output=True)


def test_output_is_byte_identical_across_hash_seeds_and_file_order(tmp_path):
    data = tmp_path / "data"
    generate(data, permits=300, seed=21, excel=False)
    again = tmp_path / "again"  # the same files, written in the opposite order
    again.mkdir()
    for path in sorted(data.iterdir(), reverse=True):
        shutil.copyfile(path, again / path.name)
    outs = []
    for i, (folder, seed) in enumerate([(data, 0), (again, 1), (data, 12345)]):
        out = tmp_path / f"out{i}"
        _check(folder, out, seed)
        outs.append(out)
    first = (outs[0] / FINDINGS).read_bytes()
    assert first.count(b"\n") > 50
    for out in outs[1:]:
        assert (out / FINDINGS).read_bytes() == first
        assert (out / WORKBOOK).read_bytes() == (outs[0] / WORKBOOK).read_bytes()
