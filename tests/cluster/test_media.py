"""An image uploaded through the dashboard on app server A is served through the proxy to every
visitor, its thumbnails made once by a worker and stored in the bucket (issue 17)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import time

import boto3
import pytest
import requests
from PIL import Image

from cluster import run
from cluster.dashboard import StaffBrowser

pytestmark = pytest.mark.cluster

VISITORS = ("", "oscar_open_basket=1:aBc; csrftoken=t0ken", "sessionid=someone; csrftoken=t0ken")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 700), (200, 90, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def bucket_keys(cluster, prefix: str) -> set[str]:
    client = boto3.client(
        "s3",
        endpoint_url=cluster["s3"],
        aws_access_key_id=run.S3_KEY,
        aws_secret_access_key=run.S3_KEY,
        region_name="us-east-1",
    )
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=cluster["bucket"], Prefix=prefix
    )
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def settled_keys(cluster, prefix: str, quiet: float = 2.0, limit: float = 20) -> set[str]:
    """The bucket's keys under `prefix` once no new one came for `quiet` seconds: the gallery's
    task (which the queue may deliver twice) can still be writing when the page first shows."""
    keys, deadline = bucket_keys(cluster, prefix), time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(quiet)
        if (now := bucket_keys(cluster, prefix)) == keys:
            break
        keys = now
    return keys


def ensure_staff() -> None:
    done = subprocess.run(
        [
            run.PY,
            "-c",
            "import django; django.setup(); "
            "from cluster.dashboard import ensure_staff; ensure_staff()",
        ],
        cwd=run.BASE_DIR,
        env=run.cluster_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_an_image_uploaded_on_one_app_server_is_served_through_the_proxy_with_its_thumbnails(
    cluster, paths, db
):
    ensure_staff()
    product = paths["products"][1]
    page_url = cluster["varnish"] + product["url"]
    staff = StaffBrowser(cluster["apps"][0])
    # Before counting, the thumbnails of the product's images so far: the form's own, the page's,
    # and the gallery sizes the worker makes for every image the form saves (a saved form
    # re-saves them all; the first one has never needed its 96x96 crop). On a fresh cluster
    # nothing had made them: 8 counted for the new image's 4.
    assert staff.save_product(product["pk"], {}).status_code == 302
    requests.get(page_url)
    thumbnails_before = settled_keys(cluster, "cache/")
    staff.add_product_image(product["pk"], "nieuwe-foto.png", png(), "Nieuwe foto")
    original = db.execute(
        "SELECT original FROM catalogue_productimage WHERE product_id = %s ORDER BY id DESC",
        [product["pk"]],
    ).fetchone()[0]
    assert original in bucket_keys(cluster, "images/")
    assert not (run.VAR / "no-local-media").exists()  # nothing on a server's disk

    deadline = time.monotonic() + 10
    while original not in (page := requests.get(page_url).text):
        assert time.monotonic() < deadline, "the new image is not on the page through the proxy"
        time.sleep(0.1)
    prefix = cluster["varnish"] + "/media/"
    link = re.search(
        rf'<a href="{re.escape(prefix + original)}"><img src="{re.escape(prefix)}([^"]+)"', page
    )
    assert link is not None
    for key in (original, link.group(1)):
        for cookie in VISITORS:
            answer = requests.get(prefix + key, headers={"Cookie": cookie} if cookie else {})
            assert answer.status_code == 200, key
            assert answer.headers["Content-Type"].startswith("image/")
    made = settled_keys(cluster, "cache/") - thumbnails_before
    # The gallery's sizes (features.edge.tasks.GALLERY_THUMBNAILS), the page's own among them.
    assert link.group(1) in made
    assert len(made) == 4

    # Rendered again on both app servers: the thumbnails are found, not made again.
    requests.request(
        "PURGE", cluster["varnish"] + "/", headers={"xkey-purge": f"product-{product['pk']}"}
    )
    for app in cluster["apps"]:
        assert requests.get(app + product["url"]).status_code == 200
    made_again = (bucket_keys(cluster, "cache/") - thumbnails_before) - made
    figures = {
        "original": original,
        "visitors": len(VISITORS),
        "thumbnails": len(made),
        "made_again": len(made_again),
    }
    (run.VAR / "media.json").write_text(json.dumps(figures, indent=1))
    print(f"\nFIGURE media: uploaded on app server 1: {figures}")
    assert not made_again
