"""The proxy's VCL compiles with Debian's varnishd and the xkey vmod (cluster/shop.vcl)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from cluster.backends import backends_vcl

VCL = Path(__file__).resolve().parents[3] / "cluster" / "shop.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


@pytest.mark.skipif(not Path(VARNISHD).exists(), reason="varnishd is not installed")
def test_the_vcl_compiles():
    # varnishd's compiler reads the included file as the varnish user: a readable directory.
    with tempfile.TemporaryDirectory() as name:
        tmp_path = Path(name)
        tmp_path.chmod(0o755)
        (tmp_path / "vcl").mkdir(mode=0o755)
        (tmp_path / "vcl" / "backends.vcl").write_text(
            backends_vcl(
                apps=[("10.77.0.11", 8611), ("10.77.0.12", 8612)],
                media=("10.77.0.1", 8601),
                bucket="shop-media",
                purgers=["127.0.0.1", "::1", "10.77.0.11", "10.77.0.12"],
            )
        )
        done = compile_vcl(tmp_path)
    assert done.returncode == 0, done.stderr
    assert "xkey" in done.stdout + done.stderr


def compile_vcl(tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            VARNISHD,
            "-C",
            "-f",
            str(VCL),
            "-p",
            f"vcl_path={tmp_path / 'vcl'}",
            "-n",
            str(tmp_path / "n"),
        ],
        capture_output=True,
        text=True,
    )
