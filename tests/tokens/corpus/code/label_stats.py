#!/usr/bin/env python3
"""Summarize the token-estimate accuracy of a labelled corpus.

Reads labels.json (file name -> {"cl100k": int, "bytes": int}) and an estimates file produced by
the C++ test, then prints the median and total relative error per kind.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path


def relative_error(estimate: int, label: int) -> float:
    if label <= 0:
        raise ValueError(f"label must be positive, got {label}")
    return (estimate - label) / label


def load(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def summarize(labels: dict[str, dict], estimates: dict[str, int]) -> dict[str, tuple[float, float, int]]:
    per_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for name, label in labels.items():
        kind = name.split("/", 1)[0]
        if name not in estimates:
            print(f"warning: no estimate for {name}", file=sys.stderr)
            continue
        per_kind[kind].append((estimates[name], label["cl100k"]))
    out = {}
    for kind, pairs in sorted(per_kind.items()):
        errors = [relative_error(e, l) for e, l in pairs]
        total = relative_error(sum(e for e, _ in pairs), sum(l for _, l in pairs))
        out[kind] = (statistics.median(errors), total, len(pairs))
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("labels", type=Path)
    parser.add_argument("estimates", type=Path)
    parser.add_argument("--max-error", type=float, default=0.05)
    args = parser.parse_args(argv)
    rows = summarize(load(args.labels), load(args.estimates))
    failed = False
    print(f"{'kind':<8} {'files':>5} {'median':>8} {'total':>8}")
    for kind, (median, total, n) in rows.items():
        print(f"{kind:<8} {n:>5} {median:>+8.1%} {total:>+8.1%}")
        failed |= abs(median) > args.max_error
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
