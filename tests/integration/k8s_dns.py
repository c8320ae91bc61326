"""Service names for the kit's pods, which has no cluster DNS and no kube-proxy: a small DNS server on the node's bridge
answers a Service's name (postgres, postgres.NS, postgres.NS.svc.cluster.local) with the addresses of its ready pods,
as a headless Service's name resolves; every other name gets NXDOMAIN.

The pods take the host's resolv.conf, so their queries to its name server are redirected to this one by one DNAT rule
on the bridge, which stop() removes. Test rig only: a real cluster has its own DNS.
"""

from __future__ import annotations

import json
import socket
import struct
import subprocess
import threading
import typing as t

BRIDGE, NODE_IP = "k8skit0", "10.244.0.1"
RULE = ["PREROUTING", "-i", BRIDGE, "-p", "udp", "--dport", "53", "-j", "DNAT", "--to-destination", NODE_IP + ":53"]
A, AAAA = 1, 28


def question(packet: bytes) -> t.Tuple[str, int, int]:
    """The first question's name, type, and where the question ends."""
    labels, offset = [], 12
    while packet[offset]:
        length = packet[offset]
        labels.append(packet[offset + 1:offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length
    kind = struct.unpack("!H", packet[offset + 1:offset + 3])[0]
    return ".".join(labels).lower(), kind, offset + 5


def answer(packet: bytes, addresses: t.Optional[t.List[str]]) -> bytes:
    """The response: A records with TTL 0 (pods move), no records for other types, NXDOMAIN for unknown names."""
    _name, kind, end = question(packet)
    records = [address for address in addresses or [] if kind == A]
    flags = 0x8180 if addresses is not None else 0x8183
    header = packet[:2] + struct.pack("!HHHHH", flags, 1, len(records), 0, 0)
    body = b"".join(struct.pack("!HHHIH", 0xC00C, A, 1, 0, 4) + socket.inet_aton(address) for address in records)
    return header + packet[12:end] + body


class ServiceDns:
    def __init__(self, kubeconfig: str, namespace: str) -> None:
        self.kubeconfig, self.namespace = kubeconfig, namespace
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((NODE_IP, 53))
        self.stopping = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.queries: t.List[str] = []

    def service(self, name: str) -> t.Optional[str]:
        for suffix in (".%s.svc.cluster.local" % self.namespace, ".%s.svc" % self.namespace, "." + self.namespace, ""):
            if name.endswith(suffix) and "." not in name[:len(name) - len(suffix)]:
                return name[:len(name) - len(suffix)]
        return None

    def addresses(self, name: str) -> t.Optional[t.List[str]]:
        service = self.service(name)
        if not service:
            return None
        found = subprocess.run(["kubectl", "--kubeconfig", self.kubeconfig, "-n", self.namespace, "get", "endpoints", service,
                                "-o", "json"], capture_output=True, text=True, check=False, timeout=10)
        if found.returncode != 0:
            return None
        subsets = json.loads(found.stdout).get("subsets") or []
        return [entry["ip"] for subset in subsets for entry in subset.get("addresses") or []]

    def serve(self) -> None:
        while True:
            try:
                packet, client = self.sock.recvfrom(512)
            except OSError:
                return
            if self.stopping:
                return
            try:
                name, _kind, _end = question(packet)
                self.queries.append(name)
                self.sock.sendto(answer(packet, self.addresses(name)), client)
            except Exception:  # pylint: disable=broad-except  # a malformed query gets no answer
                continue

    def start(self) -> "ServiceDns":
        subprocess.run(["iptables", "-t", "nat", "-I"] + RULE, check=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        """Remove the rule, then end the server: a closed socket does not wake the thread that waits on it (the port
        would stay taken), a datagram does."""
        subprocess.run(["iptables", "-t", "nat", "-D"] + RULE, check=False)
        self.stopping = True
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as waker:
            waker.sendto(b"", (NODE_IP, 53))
        self.thread.join(timeout=10)
        self.sock.close()
