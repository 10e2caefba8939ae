"""The part of the VCL that names this cluster's servers (included by cluster/shop.vcl)."""

from __future__ import annotations

HOST = "127.0.0.1"


def app_backend(index: int) -> str:
    return f"app{index + 1}"


def backends_vcl(*, app_ports: list[int], s3_port: int, bucket: str, host: str = HOST) -> str:
    """`backend app1 … appN` probed by shop_health and added to the round-robin director,
    `backend media` (the S3 endpoint) and `shop_media_url` (the bucket's path)."""
    lines = [
        f'backend {app_backend(i)} {{ .host = "{host}"; .port = "{port}"; .probe = shop_health; }}'
        for i, port in enumerate(app_ports)
    ]
    lines.append(f'backend media {{ .host = "{host}"; .port = "{s3_port}"; }}')
    adds = " ".join(f"shop.add_backend({app_backend(i)});" for i in range(len(app_ports)))
    lines.append(f"sub vcl_init {{ {adds} }}")
    lines.append(
        f'sub shop_media_url {{ set req.url = regsub(req.url, "^/media/", "/{bucket}/"); }}'
    )
    return "\n".join(lines) + "\n"
