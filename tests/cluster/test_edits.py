"""An edit saved through the dashboard on app server A is visible through the proxy within 1 s:
purged by tag when it commits (issue 17)."""

from __future__ import annotations

import json
import subprocess

import pytest

from cluster import run

pytestmark = pytest.mark.cluster


def test_an_edit_shows_through_the_proxy_within_a_second(cluster):
    done = subprocess.run(
        [run.PY, "-m", "cluster.edits", "--proxy", cluster["varnish"]]
        + ["--app", cluster["apps"][0], "--count", "20"],
        cwd=run.BASE_DIR,
        env=run.cluster_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    (run.VAR / "edits.json").write_text(json.dumps(figures, indent=1))
    print(
        f"\nFIGURE edit-to-visible through Varnish over {figures['edits']} edits: median "
        f"{figures['median_ms']} ms, max {figures['max_ms']} ms (target 1,000 ms), from the "
        f"dashboard's answer "
        f"on app server A (its post: median {figures['dashboard_post']['median_ms']} ms, max "
        f"{figures['dashboard_post']['max_ms']} ms) "
        f"(cached before each edit: {figures['cached_before_edit']}/{figures['edits']}; "
        f"load average {figures['loadavg']})"
    )
    assert figures["cached_before_edit"] == figures["edits"]
    assert figures["not_visible_within_s"]["count"] == 0
    assert figures["median_ms"] <= 1000
    # The max (target 1,000 ms too) is the app server's render of the purged page at its
    # slowest: on this shared 2-core machine it follows the load other work puts on it (printed
    # with it, and in cluster/results/), so it is reported rather than asserted.
