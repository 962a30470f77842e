"""Compare two benchmark runs: `python bench/compare.py [OLD.json NEW.json]`.

Without arguments, the two newest runs in bench/results/ (the newest against the
one before it). Prints, per scenario, every figure of both runs and the change:
throughput, p50 and p99 latency, SQL queries per request, the ratio to /healthz and
the errors; then the first renders (over HTTP and in-process), the upload memory,
Lighthouse's four scores and first-render figures per page, and the budgets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def _load(path: str | Path) -> dict[str, Any]:
    return dict(json.loads(Path(path).read_text()))


def _change(old: float | None, new: float | None) -> str:
    if not old or new is None:
        return "—"
    return f"{(new - old) / old * 100:+.0f}%"


def _num(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def latest_two(folder: Path = RESULTS) -> tuple[Path, Path]:
    """The run before the newest, and the newest (file names are timestamps)."""
    runs = sorted(folder.glob("*.json"))
    if len(runs) < 2:
        sys.exit(f"need two runs in {folder} to compare")
    return runs[-2], runs[-1]


LIGHTHOUSE_SCORES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_FIGURES = ("fcp_ms", "lcp_ms", "tbt_ms", "cls", "bytes")


def _lighthouse(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Per page: each score old -> new, then the first-render figures with Δ."""
    if not new:
        return []
    lines = [
        "",
        "lighthouse (mobile), old -> new:",
        f"{'page':<13} {'perf':>12} {'a11y':>12} {'bp':>12} {'seo':>12}  "
        + "  ".join(f"{name:>24}" for name in LIGHTHOUSE_FIGURES),
    ]
    for page, scores in new.items():
        was = old.get(page, {})
        cells = [
            f"{_num(was.get(k), 2):>4} -> {_num(scores.get(k), 2):>4}"
            for k in LIGHTHOUSE_SCORES
        ]
        figures = [
            f"{_num(was.get(k), 0):>7} -> {_num(scores.get(k), 0):>7} "
            f"{_change(was.get(k), scores.get(k)):>5}"
            if k != "cls"
            else f"{_num(was.get(k), 3):>7} -> {_num(scores.get(k), 3):>7}      "
            for k in LIGHTHOUSE_FIGURES
        ]
        lines.append(
            f"{page:<13} "
            + " ".join(f"{c:>11}" for c in cells)
            + "  "
            + "  ".join(figures)
            + ("  (new page)" if not was else "")
        )
    return lines


def compare(old: dict[str, Any], new: dict[str, Any]) -> str:
    lines = [
        f"old: {old['started']} ({old['reports']:,} reports, "
        f"{old.get('cpus', '?')} cores)",
        f"new: {new['started']} ({new['reports']:,} reports, "
        f"{new.get('cpus', '?')} cores)",
        "",
        f"{'scenario':<13} {'req/s old':>9} {'new':>8} {'Δ':>6}  "
        f"{'p50 old':>8} {'new':>8} {'Δ':>6}  "
        f"{'p99 old':>8} {'new':>8} {'Δ':>6}  "
        f"{'SQL old':>7} {'new':>4}  {'×hz old':>7} {'new':>6}  "
        f"{'err old':>7} {'new':>4}",
    ]
    before = {s["name"]: s for s in old["scenarios"]}
    for s in new["scenarios"]:
        o = before.get(s["name"], {})
        lines.append(
            f"{s['name']:<13} {_num(o.get('rps')):>9} {_num(s.get('rps')):>8} "
            f"{_change(o.get('rps'), s.get('rps')):>6}  "
            f"{_num(o.get('p50_ms')):>8} {_num(s.get('p50_ms')):>8} "
            f"{_change(o.get('p50_ms'), s.get('p50_ms')):>6}  "
            f"{_num(o.get('p99_ms')):>8} {_num(s.get('p99_ms')):>8} "
            f"{_change(o.get('p99_ms'), s.get('p99_ms')):>6}  "
            f"{o.get('queries', '—'):>7} {s.get('queries', '—'):>4}  "
            f"{_num(o.get('ratio'), 2):>7} {_num(s.get('ratio'), 2):>6}  "
            f"{o.get('errors', '—'):>7} {s.get('errors', '—'):>4}"
            + ("  (new scenario)" if not o else "")
        )
    gone = [
        name for name in before if name not in {s["name"] for s in new["scenarios"]}
    ]
    if gone:
        lines.append(f"not in the new run: {', '.join(gone)}")
    lines.append("")
    for name, value in new["first_render_http_ms"].items():
        was = old.get("first_render_http_ms", {}).get(name)
        lines.append(
            f"first render {name}: {was} -> {value} ms ({_change(was, value)})"
        )
    for name, value in new.get("first_render_server_ms", {}).items():
        was = old.get("first_render_server_ms", {}).get(name)
        lines.append(
            f"first render {name}, in-process: {was} -> {value} ms "
            f"({_change(was, value)})"
        )
    old_memory = old.get("upload_memory", {}).get("growth_mb")
    new_memory = new.get("upload_memory", {}).get("growth_mb")
    lines.append(f"upload RSS growth: {old_memory} -> {new_memory} MB")
    lines.extend(_lighthouse(old.get("lighthouse") or {}, new.get("lighthouse") or {}))
    old_budgets = {b["budget"]: b for b in old.get("budgets", [])}
    if new.get("budgets"):
        lines.append("")
        lines.append("budgets (old -> new):")
        for row in new["budgets"]:
            was = old_budgets.get(row["budget"])
            was_text = (
                f"{was['actual']} {'ok' if was['ok'] else 'MISS'}" if was else "—"
            )
            lines.append(
                f"  {row['budget']}: {was_text} -> "
                f"{row['actual']} {'ok' if row['ok'] else 'MISS'}"
            )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) == 1:
        old_path, new_path = latest_two()
    elif len(sys.argv) == 3:
        old_path, new_path = Path(sys.argv[1]), Path(sys.argv[2])
    else:
        sys.exit("usage: python bench/compare.py [OLD.json NEW.json]")
    print(f"{old_path.name} -> {new_path.name}")
    print(compare(_load(old_path), _load(new_path)))


if __name__ == "__main__":
    main()
