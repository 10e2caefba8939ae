"""Each app server of `make cluster` as a host of its own (issue 17): a network namespace per
app server, joined to the machine by a bridge, as separate machines on one network would be.

    bridge <prefix>br0 10.77.0.1/24 (the machine: Varnish, moto S3, the SMTP sink, forwarders)
      ├── veth <prefix>-veth1 ── namespace <prefix>-app1: eth0 10.77.0.11/24 (app server 1)
      └── veth <prefix>-veth2 ── namespace <prefix>-app2: eth0 10.77.0.12/24 (app server 2)

The namespaces have no default route: they reach the machine's address on the bridge and
nothing else. The machine's own services listen on 127.0.0.1 only, which is a namespace's own
loopback there, and are not reconfigured:
* PostgreSQL through its Unix socket (`SHOW unix_socket_directories`): the file system is
  shared across network namespaces, so no forwarding;
* Redis and RabbitMQ (TCP on 127.0.0.1 only, no socket) through one socat forwarder each, from
  the bridge's address to 127.0.0.1 with the same port. A forwarder is unavoidable here: NAT to
  a loopback address (route_localnet + DNAT) needs iptables/nft, which this machine lacks.

Everything made here is written to var/cluster/network.json and removed by `remove()` (`make
cluster-stop`). Without the right to make namespaces (not root, CLUSTER_NETNS=0, socat
missing) the cluster falls back to processes on ports of 127.0.0.1, and says so.
"""

from __future__ import annotations

import ipaddress
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

LOOPBACK = "127.0.0.1"
NET = os.environ.get("CLUSTER_NET", "10.77.0")  # the first three octets of a /24
PREFIX = os.environ.get("CLUSTER_NETNS_PREFIX", "shop")  # short: interface names ≤ 15
WANTED = os.environ.get("CLUSTER_NETNS", "1") != "0"
DEFAULT_PORTS = {"redis": 6379, "amqp": 5672, "postgres": 5432, "postgresql": 5432}


def gateway() -> str:
    return f"{NET}.1"


def app_address(index: int) -> str:
    return f"{NET}.{11 + index}"


def namespace(index: int) -> str:
    return f"{PREFIX}-app{index + 1}"


def bridge() -> str:
    return f"{PREFIX}br0"


def veth(index: int) -> str:
    return f"{PREFIX}-veth{index + 1}"


def ip(*args: str) -> None:
    done = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=30)
    if done.returncode:
        raise OSError(f"ip {' '.join(args)}: {done.stderr.strip()}")


def exists(kind: str, name: str) -> bool:
    """A namespace (kind "netns") or a link (kind "link") of that name on the machine."""
    if kind == "netns":
        return (
            name
            in subprocess.run(
                ["ip", "netns", "list"], capture_output=True, text=True
            ).stdout.split()
        )
    return subprocess.run(["ip", "link", "show", name], capture_output=True).returncode == 0


def create(count: int, state: Path) -> dict:
    """The bridge and `count` namespaces, recorded in `state` as they are made: {"mode":
    "netns", …}; or, when they cannot be made, {"mode": "ports", "reason": …} and nothing left
    behind."""
    network = {"mode": "netns", "gateway": gateway(), "bridge": None, "namespaces": []}
    reason = None
    if not WANTED:
        reason = "CLUSTER_NETNS=0"
    elif os.geteuid() != 0:
        reason = "not root (ip netns add needs CAP_SYS_ADMIN)"
    elif shutil.which("ip") is None:
        reason = "iproute2's ip is not installed"
    elif shutil.which("socat") is None:
        reason = "socat (the forwarder to Redis and RabbitMQ) is not installed"
    else:
        taken = [n for n in (bridge(), *map(veth, range(count))) if exists("link", n)]
        taken += [n for n in map(namespace, range(count)) if exists("netns", n)]
        if taken:
            raise SystemExit(
                f"{', '.join(taken)} exist already (a cluster not stopped? `make cluster-stop`; "
                "or CLUSTER_NETNS_PREFIX / CLUSTER_NET for another one)"
            )
        try:
            ip("link", "add", bridge(), "type", "bridge")
            network["bridge"] = bridge()
            state.write_text(json.dumps(network))
            ip("addr", "add", f"{gateway()}/24", "dev", bridge())
            ip("link", "set", bridge(), "up")
            for index in range(count):
                ns = namespace(index)
                ip("netns", "add", ns)
                network["namespaces"].append(ns)
                state.write_text(json.dumps(network))
                ip("link", "add", veth(index), "type", "veth", "peer", "name", "eth0", "netns", ns)
                ip("link", "set", veth(index), "master", bridge(), "up")
                ip("-n", ns, "addr", "add", f"{app_address(index)}/24", "dev", "eth0")
                ip("-n", ns, "link", "set", "eth0", "up")
                ip("-n", ns, "link", "set", "lo", "up")
        except OSError as error:
            remove(state)
            reason = f"network namespaces could not be made ({error})"
    if reason:
        network = {"mode": "ports", "reason": reason}
    network["apps"] = [
        app_address(i) if network["mode"] == "netns" else LOOPBACK for i in range(count)
    ]
    state.write_text(json.dumps(network, indent=1))
    return network


def remove(state: Path) -> list[str]:
    """Delete the namespaces and the bridge recorded in `state` (a namespace takes its veth
    pair with it); the names removed."""
    try:
        network = json.loads(state.read_text())
    except (FileNotFoundError, ValueError):
        return []
    removed = []
    for ns in network.get("namespaces", []):
        if exists("netns", ns):
            ip("netns", "del", ns)
            removed.append(ns)
    if network.get("bridge") and exists("link", network["bridge"]):
        ip("link", "del", network["bridge"])
        removed.append(network["bridge"])
    state.unlink()
    return removed


def read(state: Path) -> dict:
    """The network of the running cluster (processes on ports when none was made)."""
    try:
        return json.loads(state.read_text())
    except (FileNotFoundError, ValueError):
        return {"mode": "ports", "reason": "no cluster network recorded", "apps": []}


def exec_prefix(network: dict, index: int) -> list[str]:
    """The command prefix that runs a program on app server `index`'s host."""
    if network["mode"] != "netns":
        return []
    return ["ip", "netns", "exec", network["namespaces"][index]]


def is_loopback(host: str | None) -> bool:
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return host == "localhost"


def via_gateway(url: str, network: dict) -> str:
    """`url` as a namespace reaches it: a loopback host becomes the bridge's address."""
    parts = urlsplit(url)
    if network["mode"] != "netns" or not is_loopback(parts.hostname):
        return url
    netloc = parts.netloc.rsplit("@", 1)
    host = network["gateway"] + (f":{parts.port}" if parts.port else "")
    netloc[-1] = host
    return urlunsplit(parts._replace(netloc="@".join(netloc)))


def forwarded(urls: list[str], network: dict) -> list[tuple[str, int]]:
    """The (loopback host, port) pairs of `urls` a namespace needs forwarded to."""
    if network["mode"] != "netns":
        return []
    pairs = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme and is_loopback(parts.hostname):
            port = parts.port or DEFAULT_PORTS[parts.scheme]
            if (parts.hostname, port) not in pairs:
                pairs.append((parts.hostname, port))
    return pairs


def forwarder_cmd(network: dict, host: str, port: int) -> list[str]:
    """socat from the bridge's address to `host`:`port` (a process per connection)."""
    return [
        "socat",
        f"TCP-LISTEN:{port},bind={network['gateway']},reuseaddr,fork,nodelay",
        f"TCP:{host}:{port},nodelay",
    ]
