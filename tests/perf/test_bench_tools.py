"""The benchmark's own parsing and comparison (the runs themselves are not tests)."""

from __future__ import annotations

from bench.compare import compare
from bench.run import parse_wrk

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
