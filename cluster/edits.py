"""Edit-to-visible latency through the proxy (issue 17): run with an app server's settings
(cluster.run.cluster_env), it saves a product's title N times, each in a transaction as a
dashboard request does (the purge is sent when it commits), and after each commit reads the
product page through Varnish every 5 ms until the new title shows.

    .venv/bin/python -m cluster.edits --proxy http://127.0.0.1:8600 --count 20

Before each edit the page is read twice, so it is in the proxy's cache (the second read must be a
HIT): what is measured is the purge, not an expiry (the cluster lets the proxy keep pages an
hour). Prints one JSON object: the latencies in ms, their median and max, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import urllib.request

import django

TIMEOUT = 10.0


def read(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read().decode(), answer.headers.get("X-Cache", "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    django.setup()
    # Models only once django.setup() has run.
    from django.db import transaction
    from oscar.core.loading import get_model

    product_model = get_model("catalogue", "Product")
    product = (
        product_model.objects.browsable().filter(structure="standalone").order_by("pk").first()
    )
    url = args.proxy + product.get_absolute_url()
    original = product.title
    latencies, cached_before = [], 0
    try:
        for number in range(1, args.count + 1):
            read(url)
            _, cache = read(url)
            cached_before += cache == "HIT"
            title = f"{original} editie {number}-{os.getpid()}"
            with transaction.atomic():
                product.title = title
                product.save()
            saved = time.monotonic()
            while True:
                page, _ = read(url)
                if title in page:
                    latencies.append((time.monotonic() - saved) * 1000)
                    break
                if time.monotonic() - saved > TIMEOUT:
                    latencies.append(None)
                    break
                time.sleep(0.005)
    finally:
        product.title = original
        product.save()
    seen = [ms for ms in latencies if ms is not None]
    print(
        json.dumps(
            {
                "product": product.pk,
                "edits": args.count,
                "cached_before_edit": cached_before,
                "not_visible_within_s": {"count": len(latencies) - len(seen), "limit": TIMEOUT},
                "latencies_ms": [round(ms, 1) for ms in seen],
                "median_ms": round(statistics.median(seen), 1) if seen else None,
                "max_ms": round(max(seen), 1) if seen else None,
                "loadavg": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
