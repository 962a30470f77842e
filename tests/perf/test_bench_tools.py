"""The benchmark's own parsing and comparison (the runs themselves are not tests)."""

from __future__ import annotations

from typing import Any

from bench.compare import compare
from bench.run import lighthouse_budgets, parse_lighthouse, parse_wrk

WRK = """Running 10s test @ http://127.0.0.1:8000/
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.10ms    3.20ms  80.00ms   90.00%
  Latency Distribution
     50%   11.50ms
     75%   13.00ms
     90%   15.00ms
     99%    1.20s
  6543 requests in 10.00s, 120.00MB read
  Non-2xx or 3xx responses: 7
Requests/sec:    654.30
Transfer/sec:     12.00MB
"""


def test_parse_wrk_reads_throughput_percentiles_and_errors() -> None:
    result = parse_wrk(WRK)
    assert result["rps"] == 654.3
    assert result["p50_ms"] == 11.5
    assert result["p99_ms"] == 1200.0  # seconds converted
    assert result["requests"] == 6543
    assert result["errors"] == 7


def _run(rps: float, p99: float) -> dict[str, object]:
    return {
        "started": "t",
        "reports": 1_000_000,
        "scenarios": [
            {"name": "healthz", "rps": 1000.0, "p99_ms": 5.0, "ratio": 1.0},
            {"name": "home", "rps": rps, "p99_ms": p99, "ratio": rps / 1000},
        ],
        "first_render_http_ms": {"home": 100.0},
        "upload_memory": {"growth_mb": 1.0},
    }


def test_compare_shows_the_change_per_scenario() -> None:
    table = compare(_run(100.0, 200.0), _run(150.0, 100.0))
    home = next(line for line in table.splitlines() if line.startswith("home"))
    assert "+50%" in home and "-50%" in home


def test_compare_shows_p50_and_sql_and_new_scenarios() -> None:
    old, new = _run(100.0, 200.0), _run(150.0, 100.0)
    for run, p50, sql in ((old, 10.0, 2), (new, 5.0, 1)):
        for scenario in run["scenarios"]:  # type: ignore[attr-defined]
            scenario.update(p50_ms=p50, queries=sql, errors=0)
    new["scenarios"].append(  # type: ignore[attr-defined]
        {"name": "map", "rps": 50.0, "p50_ms": 9.0, "p99_ms": 20.0, "ratio": 0.05}
    )
    table = compare(old, new).splitlines()
    home = next(line for line in table if line.startswith("home"))
    assert home.split()[4:7] == ["10.0", "5.0", "-50%"]  # p50 old, new, change
    assert home.split()[10:12] == ["2", "1"]  # SQL per request old, new
    assert "(new scenario)" in next(line for line in table if line.startswith("map"))


def _lighthouse_report(performance: float, tbt: float) -> dict[str, Any]:
    """The parts of a Lighthouse JSON report the bench reads."""
    audits: dict[str, Any] = {
        "first-contentful-paint": {"numericValue": 1234.4, "score": 0.97},
        "largest-contentful-paint": {"numericValue": 1700.0, "score": 0.99},
        "total-blocking-time": {
            "numericValue": tbt,
            "score": 0.6,
            "scoreDisplayMode": "numeric",
        },
        "cumulative-layout-shift": {"numericValue": 0.01234, "score": 1},
        "total-byte-weight": {"numericValue": 61000.0, "score": 1},
        "color-contrast": {"score": 0, "scoreDisplayMode": "binary"},
        "unused-css-rules": {"score": 0, "scoreDisplayMode": "metricSavings"},
    }
    weighted = [{"id": "total-blocking-time", "weight": 30}]
    return {
        "categories": {
            "performance": {"score": performance, "auditRefs": weighted},
            "accessibility": {
                "score": 0.96,
                "auditRefs": [{"id": "color-contrast", "weight": 7}],
            },
            "best-practices": {"score": 1, "auditRefs": []},
            # An unweighted audit (an opportunity) does not count against a page.
            "seo": {
                "score": 1,
                "auditRefs": [{"id": "unused-css-rules", "weight": 0}],
            },
        },
        "audits": audits,
    }


def test_parse_lighthouse_reads_scores_figures_and_the_audits_that_cost_points() -> (
    None
):
    page = parse_lighthouse(_lighthouse_report(0.89, 434.0))
    assert page["performance"] == 0.89 and page["accessibility"] == 0.96
    assert page["fcp_ms"] == 1234 and page["tbt_ms"] == 434
    assert page["cls"] == 0.012 and page["bytes"] == 61000
    assert page["failing"] == ["color-contrast", "total-blocking-time"]


def test_lighthouse_budgets_ask_095_and_a_full_accessibility_score() -> None:
    page = parse_lighthouse(_lighthouse_report(0.95, 100.0))
    rows = {r["budget"]: r["ok"] for r in lighthouse_budgets({"home": page})}
    assert rows == {
        "lighthouse home: performance ≥ 0.95": True,
        "lighthouse home: accessibility ≥ 1.0": False,  # 0.96
        "lighthouse home: best-practices ≥ 0.95": True,
        "lighthouse home: seo ≥ 0.95": True,
    }


def test_compare_shows_lighthouse_and_in_process_first_renders() -> None:
    old, new = _run(100.0, 200.0), _run(100.0, 200.0)
    old["first_render_server_ms"] = {"home": 80.0}
    new["first_render_server_ms"] = {"home": 40.0}
    old["lighthouse"] = {"home": parse_lighthouse(_lighthouse_report(0.89, 400.0))}
    new["lighthouse"] = {
        "home": parse_lighthouse(_lighthouse_report(0.99, 100.0)),
        "map_page": parse_lighthouse(_lighthouse_report(1.0, 10.0)),
    }
    table = compare(old, new).splitlines()
    assert "first render home, in-process: 80.0 -> 40.0 ms (-50%)" in table
    start = table.index("lighthouse (mobile), old -> new:")
    home, map_page = table[start + 2], table[start + 3]
    assert home.startswith("home") and "0.89 -> 0.99" in home
    assert "400 ->     100  -75%" in home  # total blocking time
    assert map_page.startswith("map_page") and "(new page)" in map_page
