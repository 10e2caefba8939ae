"""The app servers' hosts of `make cluster` (cluster.hosts): how a namespace reaches the
machine's services, and the namespaces made and removed again. Not marked `cluster`: no cluster
needs to run."""

from __future__ import annotations

import json
import os

from cluster import hosts

NETNS = {"mode": "netns", "gateway": "10.77.0.1"}
PORTS = {"mode": "ports", "reason": "CLUSTER_NETNS=0"}


def test_a_loopback_service_is_reached_at_the_bridges_address_with_its_credentials_and_path():
    assert (
        hosts.via_gateway("amqp://guest:guest@127.0.0.1:5672/shop", NETNS)
        == "amqp://guest:guest@10.77.0.1:5672/shop"
    )
    assert hosts.via_gateway("redis://localhost/10", NETNS) == "redis://10.77.0.1/10"


def test_a_service_elsewhere_and_a_cluster_without_namespaces_keep_their_urls():
    assert hosts.via_gateway("redis://cache.internal:6379/10", NETNS) == (
        "redis://cache.internal:6379/10"
    )
    assert hosts.via_gateway("redis://127.0.0.1:6379/10", PORTS) == "redis://127.0.0.1:6379/10"


def test_each_loopback_service_is_forwarded_once_on_its_own_port():
    urls = [
        "redis://127.0.0.1:6379/10",
        "redis://127.0.0.1/11",
        "amqp://guest:guest@127.0.0.1/shop",
        "postgres://postgres@10.0.0.5:5432/db",
    ]
    assert hosts.forwarded(urls, NETNS) == [("127.0.0.1", 6379), ("127.0.0.1", 5672)]
    assert hosts.forwarded(urls, PORTS) == []
    assert hosts.forwarder_cmd(NETNS, "127.0.0.1", 6379) == [
        "socat",
        "TCP-LISTEN:6379,bind=10.77.0.1,reuseaddr,fork,nodelay",
        "TCP:127.0.0.1:6379,nodelay",
    ]


def test_without_namespaces_the_app_servers_are_processes_on_the_machines_loopback(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(hosts, "WANTED", False)
    state = tmp_path / "network.json"
    network = hosts.create(2, state)
    assert network == {"mode": "ports", "reason": "CLUSTER_NETNS=0", "apps": ["127.0.0.1"] * 2}
    assert json.loads(state.read_text()) == network
    assert hosts.exec_prefix(network, 1) == []
    assert hosts.remove(state) == []


def test_the_namespaces_and_bridge_made_are_removed_again(tmp_path, monkeypatch):
    # Names and a subnet of this test's own (another run's cluster may use the defaults).
    monkeypatch.setattr(hosts, "PREFIX", f"t{os.getpid() % 100000}")
    monkeypatch.setattr(hosts, "NET", "10.77.254")
    state = tmp_path / "network.json"
    network = hosts.create(2, state)
    try:
        if network["mode"] == "netns":
            assert network["apps"] == ["10.77.254.11", "10.77.254.12"]
            assert all(hosts.exists("netns", ns) for ns in network["namespaces"])
            assert hosts.exists("link", network["bridge"])
            assert hosts.exec_prefix(network, 1) == [
                "ip",
                "netns",
                "exec",
                network["namespaces"][1],
            ]
        else:  # no right to make them here: said why, nothing left behind
            assert network["reason"]
            assert not hosts.exists("link", hosts.bridge())
    finally:
        removed = hosts.remove(state)
    if network["mode"] == "netns":
        assert set(removed) == {*network["namespaces"], network["bridge"]}
        assert not any(hosts.exists("netns", ns) for ns in network["namespaces"])
        assert not hosts.exists("link", network["bridge"])
    assert not state.exists()
