"""The cluster through Varnish: each app server a host of its own, shared pages cached for every
visitor, private ones never, media from the bucket, a health endpoint per app server (issue 17)."""

from __future__ import annotations

import subprocess

import boto3
import pytest
import requests

from cluster import run

pytestmark = pytest.mark.cluster


def test_each_app_server_runs_on_a_host_of_its_own(cluster):
    """Its own network namespace and address (processes on ports of 127.0.0.1 only where
    namespaces could not be made, with the reason recorded)."""
    network = run.network()
    for index, app in enumerate(cluster["apps"]):
        pid = run.running(run.app_name(index))
        assert pid is not None
        found = subprocess.run(
            ["ip", "netns", "identify", str(pid)], capture_output=True, text=True
        ).stdout.strip()
        if network["mode"] == "netns":
            assert found == network["namespaces"][index]
            assert app == f"http://{network['apps'][index]}:{run.APP_PORTS[index]}"
            assert run.port_free(run.APP_PORTS[index])  # not on the machine's loopback
        else:
            assert found == ""
            assert network["reason"]
            assert app == f"http://127.0.0.1:{run.APP_PORTS[index]}"
    assert network["mode"] == cluster["network"]


def purge(cluster, tag: str) -> None:
    assert requests.request("PURGE", cluster["varnish"] + "/", headers={"xkey-purge": tag}).ok


def test_a_shared_page_is_stored_once_for_anonymous_visitors_basket_holders_and_customers(
    cluster, paths
):
    product = paths["products"][0]
    url = cluster["varnish"] + product["url"]
    purge(cluster, f"product-{product['pk']}")
    first = requests.get(url)
    assert first.headers["X-Cache"] == "MISS"
    assert "xkey" not in first.headers  # the tags are the proxy's business
    assert "public" in first.headers["Cache-Control"]
    for cookie in (
        "",
        "oscar_open_basket=1:aBc; csrftoken=t0ken",
        "sessionid=someonelse; csrftoken=t0ken",
    ):
        again = requests.get(url, headers={"Cookie": cookie} if cookie else {})
        assert again.headers["X-Cache"] == "HIT", cookie
        assert again.content == first.content
        assert "Set-Cookie" not in again.headers


@pytest.mark.parametrize("path", ["/persoonlijk/", "/basket/", "/checkout/", "/dashboard/"])
def test_private_pages_are_never_stored(cluster, path):
    answers = [requests.get(cluster["varnish"] + path, allow_redirects=False) for _ in range(3)]
    assert [a.headers.get("X-Cache") for a in answers] == ["MISS"] * 3


def test_a_post_goes_to_an_app_server(cluster, paths):
    buyer = requests.Session()
    answer = buyer.post(
        cluster["varnish"] + f"/basket/add/{paths['buyable'][0]['pk']}/",
        data={"quantity": 1},
        allow_redirects=False,
    )
    assert answer.headers.get("X-Cache") == "MISS"
    assert answer.status_code in (302, 403)  # no CSRF token: the app's answer, not the cache's


def test_each_app_server_answers_its_health_endpoint(cluster):
    for app in cluster["apps"]:
        answer = requests.get(app + "/gezondheid/", headers={"Accept": "application/json"})
        assert answer.status_code == 200, answer.text
        assert set(answer.json().values()) == {"OK"}
        assert len(answer.json()) == 4  # database, cache, storage, broker


def test_product_images_and_thumbnails_come_from_the_bucket_through_the_proxy(cluster, paths):
    page = requests.get(cluster["varnish"] + paths["products"][0]["url"]).text
    prefix = cluster["varnish"] + "/media/"
    src = page.split(f'src="{prefix}', 1)[1].split('"', 1)[0]
    image = requests.get(prefix + src)
    assert image.status_code == 200
    assert image.headers["Content-Type"].startswith("image/")
    bucket = boto3.client(
        "s3",
        endpoint_url=cluster["s3"],
        aws_access_key_id=run.S3_KEY,
        aws_secret_access_key=run.S3_KEY,
        region_name="us-east-1",
    )
    assert bucket.head_object(Bucket=cluster["bucket"], Key=src)["ContentLength"] == len(
        image.content
    )
    assert requests.get(prefix + src).headers["X-Cache"] == "HIT"
    assert not (run.VAR / "no-local-media").exists()  # nothing written to a server's disk
