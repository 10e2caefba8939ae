"""The cluster of `make cluster` (cluster/run.py), which `make cluster-test` starts first."""

from __future__ import annotations

import json
import os

import psycopg
import pytest

from cluster import results, run


@pytest.fixture(scope="session")
def cluster() -> dict:
    path = run.VAR / "cluster.json"
    if not path.exists():
        pytest.fail("no cluster runs: `make cluster-test` starts one (or `make cluster` first)")
    # The figures of this run only (cluster.results reads them once the tests are done).
    for figures in results.figure_files().values():
        figures.unlink(missing_ok=True)
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def paths() -> dict:
    return json.loads((run.VAR / "paths.json").read_text())


@pytest.fixture
def db():
    with psycopg.connect(run.soak.server_url(run.DATABASE), autocommit=True) as conn:
        yield conn


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
