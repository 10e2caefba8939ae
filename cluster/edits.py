"""Edit-to-visible latency through the proxy (issue 17): a staff member saves a product's title
N times through the dashboard's product form on app server A (HTTP, cluster.dashboard), and after
each save the product page is read through Varnish every 5 ms until the new title shows.

    .venv/bin/python -m cluster.edits --proxy http://127.0.0.1:8600 \
        --app http://127.0.0.1:8611 --count 20        # with cluster.run.cluster_env()

Before each edit the page is read twice, so it is in the proxy's cache (the second read must be a
HIT): what is measured is the purge, not an expiry (the cluster lets the proxy keep pages an
hour). The latency runs from the dashboard's answer to its post (the save has committed and its
purge is queued) to the first read showing the new title; the post's own time and the time of
that first fresh read (the app server's render of the purged page) are given apart. Prints one
JSON object with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

import django
import requests
from django.conf import settings

from cluster.dashboard import StaffBrowser, ensure_staff

TIMEOUT = 10.0


def read(url: str) -> tuple[str, str, float]:
    started = time.monotonic()
    answer = requests.get(url, timeout=10)
    return answer.text, answer.headers.get("X-Cache", ""), time.monotonic() - started


def summary(values: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(values), 1) if values else None,
        "max_ms": round(max(values), 1) if values else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--app", required=True, help="app server A, where the edits are saved")
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    django.setup()
    # Models only once django.setup() has run.
    from oscar.core.loading import get_model

    ensure_staff()
    product = (
        get_model("catalogue", "Product")
        .objects.browsable()
        .filter(structure="standalone")
        .order_by("pk")
        .first()
    )
    url = args.proxy + product.get_absolute_url()
    staff = StaffBrowser(args.app)
    original = product.title
    latencies, posts, renders, cached_before = [], [], [], 0
    try:
        for number in range(1, args.count + 1):
            # The previous edit's second purge (SHOP_PROXY_REPURGE_SECONDS after it) evicts the
            # page again: wait it out, so each edit starts from the page as Varnish caches it.
            time.sleep(settings.SHOP_PROXY_REPURGE_SECONDS + 0.5)
            read(url)
            cached_before += read(url)[1] == "HIT"
            title = f"{original} editie {number}-{os.getpid()}"
            posted = time.monotonic()
            staff.save_product(product.pk, {"title": title})
            saved = time.monotonic()
            posts.append((saved - posted) * 1000)
            while True:
                page, _, took = read(url)
                if title in page:
                    latencies.append((time.monotonic() - saved) * 1000)
                    renders.append(took * 1000)
                    break
                if time.monotonic() - saved > TIMEOUT:
                    latencies.append(None)
                    break
                time.sleep(0.005)
    finally:
        staff.save_product(product.pk, {"title": original})
    seen = [ms for ms in latencies if ms is not None]
    print(
        json.dumps(
            {
                "product": product.pk,
                "edits": args.count,
                "saved_on": args.app,
                "cached_before_edit": cached_before,
                "not_visible_within_s": {"count": len(latencies) - len(seen), "limit": TIMEOUT},
                "latencies_ms": [round(ms, 1) for ms in seen],
                **summary(seen),
                "dashboard_post": summary(posts),
                "fresh_read": summary(renders),
                "loadavg": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
