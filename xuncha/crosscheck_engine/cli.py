"""Command line: ``xuncha check DATA_DIR --policy POLICY.toml [--as-of YYYY-MM-DD] --out OUT_DIR``.

``main(argv)`` takes the arguments after ``check``. Exit status 0 when the check ran (with or without
hits), 2 on unusable input (message in Chinese on stderr, nothing written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .errors import DataError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits with 2 as well; keep the message Chinese
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        raise SystemExit(2)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of 应为 YYYY-MM-DD 格式的日期，实际为 {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="xuncha check", description="数据比对：按规则 R01–R14 查找疑点")
    p.add_argument("data_dir", metavar="DATA_DIR", help="数据目录（每张表一个 .xlsx/.xls/.csv 文件）")
    p.add_argument("--policy", required=True, metavar="POLICY.toml", help="比对策略文件（TOML）")
    p.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD", help="比对基准日（默认今天）")
    p.add_argument("--out", required=True, metavar="OUT_DIR", help="输出目录")
    return p


class _TqdmProgress:
    """tqdm bars on a terminal, one per stage."""

    def __init__(self):
        from tqdm import tqdm

        self._tqdm = tqdm
        self.bar = None
        self.stage = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = self._tqdm(total=total, desc=stage, unit="项", file=sys.stderr, leave=False)
        if self.bar is not None:
            self.bar.total = total
            self.bar.n = done
            self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def main(argv: list[str] | None = None) -> int:
    from .output import summary_table
    from .runner import run_check

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    progress = _TqdmProgress() if sys.stderr.isatty() else None
    try:
        result = run_check(args.data_dir, args.policy, args.as_of, args.out, progress)
    except DataError as exc:
        if progress:
            progress.close()
        print(f"比对未运行：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if progress:
            progress.close()
        print(f"比对未运行：无法读写文件：{exc}", file=sys.stderr)
        return 2
    if progress:
        progress.close()
    print(f"比对基准日 {result.as_of.isoformat()}；导入 {result.rows:,} 行；用时 {result.timings['total']:.1f} 秒")
    print(summary_table(result))
    print(f"结果已写入 {args.out}（findings.jsonl、疑点清单.xlsx）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
