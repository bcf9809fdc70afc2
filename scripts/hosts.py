"""Hosts of a test cluster, made as Linux network namespaces on one machine (root only).

Why namespaces: a fault or scale test of several hosts must run on the CI machine. Each "host" gets
its own network stack (its own loopback and ports, one address on a private LAN), so its app, Rasa
and action server bind the addresses and ports a real host would, and killing one host's processes
leaves the others' sockets alone. The LAN is a Linux bridge in the root namespace with one veth pair
per host: hosts reach each other at layer 2 (no routing, `ip_forward` untouched) and reach the root
namespace — where the load balancer and the forwards to PostgreSQL and Redis run — at the bridge's
address, the LAN's `.1`.

Every name carries a random tag, so two clusters (a test and a benchmark) never share a namespace,
and `LocalNetwork.destroy()` removes exactly what `create()` made, even after a half-done create.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
from dataclasses import dataclass, field


class HostsError(RuntimeError):
    """The namespaces could not be made; the message says why, in French."""


def missing_prerequisite() -> str | None:
    """Why namespace hosts cannot be made here (None when they can): they need root and `ip`."""
    if os.geteuid() != 0:
        return "les hôtes en espaces de noms réseau demandent les droits root"
    if shutil.which("ip") is None:
        return "commande `ip` absente : apt-get install iproute2"
    if shutil.which("taskset") is None:
        return "commande `taskset` absente : apt-get install util-linux"
    return None


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["ip", *args], capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise HostsError(f"`ip {' '.join(args)}` a échoué : {result.stderr.strip()}")
    return result


def nothing_listens(port: int, host: str) -> bool:
    """True when a connection to host:port is refused. Used for ports inside another namespace,
    which cannot be probed by binding them from here; a hung listener (connect timeout) counts as
    taken."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def free_subnet() -> int:
    """A third octet N such that 10.77.N.0/24 is on no interface yet (one LAN per cluster)."""
    used = _ip("-o", "-4", "addr", "show").stdout
    for third in range(1, 255):
        if f" 10.77.{third}." not in used:
            return third
    raise HostsError("aucun sous-réseau 10.77.N.0/24 libre")


@dataclass
class NamespaceHost:
    """One host: a network namespace with one address on the LAN, optionally pinned to CPUs."""

    name: str  # namespace name
    address: str
    veth: str  # root-side end of its veth pair (the namespace side is called eth0)
    cpus: str | None = None  # taskset list, e.g. "0"

    def launcher(self) -> list[str]:
        """Command prefix that runs a program on this host (and on its CPUs). `ip netns exec` and
        `taskset` both exec the program, so its PID is the one the launcher started."""
        prefix = ["ip", "netns", "exec", self.name]
        return prefix + (["taskset", "-c", self.cpus] if self.cpus else [])

    def pids(self) -> list[int]:
        """Processes running in this namespace."""
        out = _ip("netns", "pids", self.name, check=False).stdout
        return [int(pid) for pid in out.split()]


@dataclass
class LocalNetwork:
    """A bridge in the root namespace and one namespace per host on it."""

    cpus: list[str | None]  # one entry per host
    tag: str = field(default_factory=lambda: secrets.token_hex(2))
    third: int = 0
    hosts: list[NamespaceHost] = field(default_factory=list)
    made: list[tuple[str, str]] = field(default_factory=list)  # ("link"|"netns", name), to undo

    @property
    def bridge(self) -> str:
        return f"rpbr{self.tag}"

    @property
    def gateway(self) -> str:
        """The root namespace's address on the LAN: where hosts find the balancer and the forwards."""
        return f"10.77.{self.third}.1"

    @property
    def subnet(self) -> str:
        return f"10.77.{self.third}.0/24"

    def create(self) -> LocalNetwork:
        """Make the bridge and the hosts; on any failure undo what was made, then raise."""
        try:
            self._create()
        except Exception:
            self.destroy()
            raise
        return self

    def _create(self) -> None:
        self.third = free_subnet()
        _ip("link", "add", self.bridge, "type", "bridge")
        self.made.append(("link", self.bridge))
        _ip("addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")
        for index, cpus in enumerate(self.cpus, start=1):
            host = NamespaceHost(name=f"rp{self.tag}h{index}", address=f"10.77.{self.third}.{10 + index}",
                                 veth=f"rp{self.tag}v{index}", cpus=cpus)
            _ip("netns", "add", host.name)
            self.made.append(("netns", host.name))
            _ip("link", "add", host.veth, "type", "veth", "peer", "name", "eth0", "netns", host.name)
            self.made.append(("link", host.veth))
            _ip("link", "set", host.veth, "master", self.bridge, "up")
            _ip("-n", host.name, "addr", "add", f"{host.address}/24", "dev", "eth0")
            _ip("-n", host.name, "link", "set", "eth0", "up")
            _ip("-n", host.name, "link", "set", "lo", "up")  # a namespace's loopback starts down
            self.hosts.append(host)

    def destroy(self) -> None:
        """Remove what `create` made, last first. Processes still running in a host's namespace were
        started by this cluster (nothing else knows the random name): they are killed by PID first,
        since a namespace with live processes lingers after `ip netns del`."""
        for host in self.hosts:
            for pid in host.pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        for kind, name in reversed(self.made):
            if kind == "netns":
                _ip("netns", "del", name, check=False)
            else:
                _ip("link", "del", name, check=False)
        self.made.clear()
        self.hosts.clear()

    def __enter__(self) -> LocalNetwork:
        return self.create()

    def __exit__(self, *exc: object) -> None:
        self.destroy()

