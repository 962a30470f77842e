"""Compare two benchmark runs: `python bench/compare.py OLD.json NEW.json`.

Prints, per scenario, throughput, p99 latency and the ratio to /healthz of both runs
and the change, then the first renders and the upload memory.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def _load(path: str) -> dict[str, Any]:
    return dict(json.loads(Path(path).read_text()))


def _change(old: float, new: float) -> str:
    if not old:
        return "—"
    return f"{(new - old) / old * 100:+.0f}%"


def compare(old: dict[str, Any], new: dict[str, Any]) -> str:
    lines = [
        f"old: {old['started']} ({old['reports']:,} reports)",
        f"new: {new['started']} ({new['reports']:,} reports)",
        "",
        f"{'scenario':<13} {'req/s old':>9} {'new':>8} {'Δ':>6}  "
        f"{'p99 old':>8} {'new':>8} {'Δ':>6}  {'×hz old':>7} {'new':>6}",
    ]
    before = {s["name"]: s for s in old["scenarios"]}
    for s in new["scenarios"]:
        o = before.get(s["name"])
        if o is None:
            lines.append(f"{s['name']:<13} (new scenario) {s['rps']:>8.1f}")
            continue
        lines.append(
            f"{s['name']:<13} {o['rps']:>9.1f} {s['rps']:>8.1f} "
            f"{_change(o['rps'], s['rps']):>6}  {o['p99_ms']:>8.1f} "
            f"{s['p99_ms']:>8.1f} {_change(o['p99_ms'], s['p99_ms']):>6}  "
            f"{o['ratio']:>7.2f} {s['ratio']:>6.2f}"
        )
    lines.append("")
    for name, value in new["first_render_http_ms"].items():
        was = old.get("first_render_http_ms", {}).get(name)
        lines.append(f"first render {name}: {was} -> {value} ms")
    lines.append(
        "upload RSS growth: "
        f"{old['upload_memory']['growth_mb']} -> {new['upload_memory']['growth_mb']} MB"
    )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/compare.py OLD.json NEW.json")
    print(compare(_load(sys.argv[1]), _load(sys.argv[2])))


if __name__ == "__main__":
    main()
