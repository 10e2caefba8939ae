"""The part of the VCL that names this cluster's servers (included by cluster/shop.vcl)."""

from __future__ import annotations

LOCAL = ("127.0.0.1", "::1")


def app_backend(index: int) -> str:
    return f"app{index + 1}"


def backends_vcl(
    *,
    apps: list[tuple[str, int]],
    media: tuple[str, int],
    bucket: str,
    purgers: list[str] | tuple[str, ...] = LOCAL,
) -> str:
    """`backend app1 … appN` (host, port) probed by shop_health and added to the round-robin
    director `shop`, the same servers unprobed in `shop_any` (tried when none is healthy),
    `backend media` (the S3 endpoint), `shop_media_url` (the bucket's path) and the `purgers`
    ACL (the addresses allowed to send PURGE: the machine and the app servers)."""
    lines = ["acl purgers { " + " ".join(f'"{address}";' for address in purgers) + " }"]
    adds = []
    for i, (host, port) in enumerate(apps):
        name = app_backend(i)
        address = f'.host = "{host}"; .port = "{port}";'
        lines.append(f"backend {name} {{ {address} .probe = shop_health; }}")
        lines.append(f"backend {name}_any {{ {address} }}")
        adds.append(f"shop.add_backend({name}); shop_any.add_backend({name}_any);")
    lines.append(f'backend media {{ .host = "{media[0]}"; .port = "{media[1]}"; }}')
    lines.append(f"sub vcl_init {{ {' '.join(adds)} }}")
    lines.append(
        f'sub shop_media_url {{ set req.url = regsub(req.url, "^/media/", "/{bucket}/"); }}'
    )
    return "\n".join(lines) + "\n"
