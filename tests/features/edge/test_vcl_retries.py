"""The proxy sends a request whose app server died to the next one only when that is safe
(cluster/shop.vcl, vcl_backend_error): a post whose connection was refused never reached the
app; one the app took and lost may have been carried out. Run by Debian's varnishtest."""

import re
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

VCL = Path(__file__).resolve().parents[3] / "cluster" / "shop.vcl"
VARNISHTEST = shutil.which("varnishtest")

pytestmark = pytest.mark.skipif(VARNISHTEST is None, reason="varnishtest is not installed")


def refused_port() -> int:
    """A port nothing listens on: a connection to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_vtc(
    tmp_path: Path, *, first: str, servers: str, client: str
) -> subprocess.CompletedProcess:
    """shop.vcl with app1 = `first` (a server's name, or "refused") and app2 = server s1, no
    probes (so the probe goes unused); `servers` and `client` in varnishtest's language."""
    app1 = (
        f'.host = "127.0.0.1"; .port = "{refused_port()}";'
        if first == "refused"
        else f'.host = "${{{first}_addr}}"; .port = "${{{first}_port}}";'
    )
    backends = (
        'acl purgers { "127.0.0.1"; }\n'
        f"backend app1 {{ {app1} }}\n"
        'backend app2 { .host = "${s1_addr}"; .port = "${s1_port}"; }\n'
        'backend media { .host = "${s1_addr}"; .port = "${s1_port}"; }\n'
        "sub vcl_init { shop.add_backend(app1); shop.add_backend(app2); "
        "shop_any.add_backend(app1); shop_any.add_backend(app2); }\n"
        'sub shop_media_url { set req.url = regsub(req.url, "^/media/", "/b/"); }\n'
    )
    vcl = VCL.read_text().replace('include "backends.vcl";', backends)
    vcl = re.sub(r"^vcl 4\.1;\n", "", vcl, flags=re.M)
    (tmp_path / "retry.vtc").write_text(
        f'varnishtest "retries"\n{servers}\nvarnish v1 -arg "-p vcc_err_unref=off" -vcl {{\n{vcl}\n}} -start\n{client}\n'
    )
    return subprocess.run(
        [VARNISHTEST, "-q", str(tmp_path / "retry.vtc")], capture_output=True, text=True
    )


SERVED_POST = """
server s1 {
    rxreq
    expect req.method == "POST"
    expect req.bodylen == 10
    txresp -status 302
} -start
"""


S2_TAKES_AND_LOSES = """
server s2 {
    rxreq
    delay 0.3
} -start
"""


def post_to_the_preview_expecting(status: int) -> str:
    """A varnishtest client that posts the checkout preview and expects `status` back."""
    return f"""
client c1 {{
    txreq -req POST -url /checkout/preview/ -body "quantity=1"
    rxresp
    expect resp.status == {status}
}} -run
"""


def test_a_post_whose_connection_was_refused_goes_to_the_next_app_server(tmp_path):
    done = run_vtc(
        tmp_path,
        first="refused",
        servers=SERVED_POST,
        client=post_to_the_preview_expecting(302),
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_post_the_app_server_took_and_lost_is_not_sent_again(tmp_path):
    done = run_vtc(
        tmp_path,
        first="s2",
        servers="""
server s1 {
    rxreq
    txresp -status 302
} -start
"""
        + S2_TAKES_AND_LOSES,
        client=post_to_the_preview_expecting(503),
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_get_the_app_server_took_and_lost_goes_to_the_next_one(tmp_path):
    done = run_vtc(
        tmp_path,
        first="s2",
        servers="""
server s1 {
    rxreq
    expect req.url == "/basket/"
    txresp -status 200 -body "mandje"
} -start
"""
        + S2_TAKES_AND_LOSES,
        client="""
client c1 {
    txreq -url /basket/
    rxresp
    expect resp.status == 200
    expect resp.body == "mandje"
} -run
""",
    )
    assert done.returncode == 0, done.stdout + done.stderr
