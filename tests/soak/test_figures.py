"""`make soak`'s verdict (soak.figures) on made-up samples: which runs break a limit."""

from soak.figures import figures

WARMUP = 60
LIMITS = {"warmup_seconds": WARMUP, "workers": 2, "max_rss_growth": 0.10}

MB = 2**20
TOTALS = {
    "requests": 1000,
    "failures": 0,
    "rps": 5.0,
    "p50_ms": "40",
    "p99_ms": "900",
    "failure_kinds": [],
    "per_name": {"place order": {"requests": 30, "failures": 0}},
}
ORDERS = {"placed": 30, "without_lines": 0, "queued_mail": 30}


def samples(*, end_rss=(110 * MB, 105 * MB), connections=(2, 2, 2), pids=(11, 12)):
    warm = WARMUP
    start = {"t": warm, "rss": {11: 100 * MB, 12: 100 * MB}, "connections": connections[0]}
    middle = {"t": warm + 5, "rss": {11: 100 * MB, 12: 100 * MB}, "connections": connections[1]}
    end = {"t": warm + 10, "rss": dict(zip(pids, end_rss, strict=True))}
    end["connections"] = connections[2]
    before = {"t": 0, "rss": {11: 50 * MB, 12: 50 * MB}, "connections": 9}  # warm-up: ignored
    return {"samples": [{**s, "load": 1.0} for s in (before, start, middle, end)]}


def test_a_run_within_every_limit_passes_and_measures_from_the_end_of_the_warm_up():
    result, broken = figures(samples(), TOTALS, ORDERS, **LIMITS)
    assert broken == []
    assert [w["growth"] for w in result["worker_rss"].values()] == [0.1, 0.05]
    assert result["connections"]["max"] == 2


def test_each_broken_limit_is_named():
    _result, broken = figures(
        samples(end_rss=(111 * MB, 100 * MB), connections=(2, 3, 2)),
        {**TOTALS, "failures": 2},
        {**ORDERS, "without_lines": 1},
        **LIMITS,
    )
    assert broken == [
        "2 failed requests",
        "1 orders without lines",
        "worker 11 RSS grew 11.0%",
        "3 database connections for 2 workers",
    ]


def test_a_replaced_worker_or_no_order_at_all_fails_the_run():
    _result, broken = figures(samples(pids=(11, 13)), TOTALS, {**ORDERS, "placed": 0}, **LIMITS)
    assert broken == ["no order was placed", "gunicorn replaced a worker during the run"]
