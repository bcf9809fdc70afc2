"""N hosts of the product on one machine, behind HAProxy, on the machine's PostgreSQL and Redis.

For the fault and scale benchmarks (bench/cluster_fault_bench.py) and the cluster test. Each host
is a network namespace (scripts/hosts.py) running the real app, Rasa and action server
(scripts/stack.py), optionally pinned to its own CPUs; HAProxy (scripts/balancer.py) runs in the
root namespace in front of the apps. Each app sends turns to its own Rasa pair first and to the
other hosts' pairs when it fails (`RASA_URLS`, `ACTION_SERVER_URLS`).

PostgreSQL and Redis listen on the machine's loopback, which a namespace cannot reach. Rather than
change their configuration (`listen_addresses`, a pg_hba line, a restart of a server other people
use), the same HAProxy relays TCP from the LAN's gateway address (`10.77.N.1:5432`, `:6379`) to
loopback: the servers see local connections and their configuration is untouched. On real hosts
the apps connect to the database host directly (docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from scripts.balancer import Backend, BalancerConfig, balancer_service
from scripts.hosts import LocalNetwork, nothing_listens
from scripts.stack import Ports, Service, Stack, StackError, free_port

HOST_PORTS = Ports(app=8100, rasa=5105, actions=5155)  # inside each namespace: every host has its own
POSTGRES = "127.0.0.1:5432"
REDIS = "127.0.0.1:6379"


def prepare_database(database_url: str, password: str) -> None:
    """Migrate the database once and add the demo accounts, before the apps start: several apps
    starting at once on an empty database would race to run the same migrations."""
    from sqlmodel import Session

    from api.config import Settings
    from api.db import make_engine, upgrade
    from api.seed import seed_demo_accounts

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        settings = Settings(app_env="test", database_url=database_url, secret_key="s" * 48,
                            demo_password=password)
        with Session(engine) as db:
            seed_demo_accounts(db, settings, external_db=True)
    finally:
        engine.dispose()


@dataclass
class Cluster:
    """`len(cpus)` hosts (a taskset CPU list each, or None), HAProxy in front."""

    database_url: str  # as seen from the root namespace: postgresql://…@127.0.0.1:5432/name
    cpus: list[str | None]
    run_dir: Path
    redis_db: int | None = None  # Redis database number for the apps, None: no Redis
    app_env: dict[str, str] = field(default_factory=dict)
    rasa_token: str = "cluster-rasa-token"
    secret_key: str = "k" * 48  # one key for every host: a page's CSRF token must verify on any of them
    network: LocalNetwork | None = None
    balancer: Service | None = None
    stacks: list[Stack] = field(default_factory=list)

    @property
    def url(self) -> str:
        """Where clients reach the app: the balancer."""
        assert self.balancer is not None
        return f"http://{self.balancer.host}:{self.balancer.port}"

    def services(self) -> list[Service]:
        """Every product process of every host (for a supervisor)."""
        return [service for stack in self.stacks for service in stack.services]

    def host_env(self, gateway: str) -> dict[str, str]:
        """The environment every app gets: shared state through the gateway, every pair listed."""
        env = {
            "DATABASE_URL": self.database_url.replace(POSTGRES, f"{gateway}:5432"),
            "SECRET_KEY": self.secret_key,
            "APP_ENV": "development",
            **self.app_env,
        }
        if self.redis_db is not None:
            env["REDIS_URL"] = f"redis://{gateway}:6379/{self.redis_db}"
        return env

    def start(self, timeout: float = 400.0) -> None:
        """Make the hosts, start the balancer, then every host's processes at once; wait until all
        are ready. On failure everything made so far is undone before the error is raised."""
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def _start(self, timeout: float) -> None:
        self.network = LocalNetwork(cpus=list(self.cpus)).create()
        gateway = self.network.gateway
        config = BalancerConfig(bind=f"127.0.0.1:{free_port()}",
                                apps=[Backend(f"h{i}", host.address, HOST_PORTS.app)
                                      for i, host in enumerate(self.network.hosts, start=1)])
        config.tcp_forward("postgres", f"{gateway}:5432", POSTGRES)
        if self.redis_db is not None:
            config.tcp_forward("redis", f"{gateway}:6379", REDIS)
        self.balancer = balancer_service(config, self.run_dir / "balancer")
        self.balancer.start()
        pairs = [(f"http://{h.address}:{HOST_PORTS.rasa}", f"http://{h.address}:{HOST_PORTS.actions}")
                 for h in self.network.hosts]
        for index, host in enumerate(self.network.hosts):
            own_first = pairs[index:] + pairs[:index]
            env = {**self.host_env(gateway),
                   "RASA_URLS": ",".join(rasa for rasa, _ in own_first),
                   "ACTION_SERVER_URLS": ",".join(actions for _, actions in own_first)}
            self.stacks.append(Stack(
                ports=HOST_PORTS, run_dir=self.run_dir / f"h{index + 1}", app_env=env,
                rasa_token=self.rasa_token, host=host.address, forwarded_allow_ips=gateway,
                launcher=host.launcher(), port_free=nothing_listens,
            ))
        errors: list[BaseException] = []

        def start(stack: Stack) -> None:
            try:
                stack.start(timeout=timeout)
            except BaseException as error:  # reported below, after every host had its chance
                errors.append(error)

        threads = [threading.Thread(target=start, args=(stack,)) for stack in self.stacks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        if not self.balancer.ready():
            raise StackError(f"HAProxy ne répond pas :\n{self.balancer.log_tail()}")

    def stop(self) -> None:
        """Stop every process, then remove the namespaces; never raises before everything was tried."""
        problems: list[str] = []
        for stack in self.stacks:
            try:
                stack.stop()
            except StackError as error:
                problems.append(str(error))
        if self.balancer is not None:
            with contextlib.suppress(StackError):
                self.balancer.stop()
        if self.network is not None:
            self.network.destroy()
        self.stacks = []
        if problems:
            raise StackError(" ; ".join(problems))

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
