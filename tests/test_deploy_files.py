"""The HAProxy configurations (the tests' and the one in deploy/) are accepted by HAProxy itself,
and the deployment's example environment is one the app starts with."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.balancer import Backend, BalancerConfig, check_config, haproxy_binary
from scripts.paths import ROOT
from tests.services import missing


@pytest.fixture
def haproxy() -> str:
    binary = haproxy_binary()
    if binary is None:
        missing("haproxy absent : apt-get install haproxy")
    assert binary is not None
    return binary


def test_the_rendered_balancer_config_is_valid(haproxy: str, tmp_path: Path) -> None:
    config = BalancerConfig(bind="127.0.0.1:18080", apps=[Backend("h1", "10.0.0.11", 8000),
                                                           Backend("h2", "10.0.0.12", 8000)])
    config.tcp_forward("postgres", "127.0.0.1:15432", "127.0.0.1:5432")
    path = tmp_path / "haproxy.cfg"
    path.write_text(config.render())
    check_config(path)
    path.write_text(config.render().replace("balance leastconn", "balance nowhere"))
    with pytest.raises(RuntimeError, match="refusée"):
        check_config(path)


def test_the_deploy_haproxy_config_is_valid_without_its_certificate(haproxy: str, tmp_path: Path) -> None:
    text = (ROOT / "deploy" / "haproxy" / "haproxy.cfg").read_text()
    # The school's certificate is not here; everything else must be accepted as written.
    kept = [line for line in text.splitlines() if "ssl crt" not in line and "ssl_fc" not in line]
    path = tmp_path / "haproxy.cfg"
    path.write_text("\n".join(kept).replace("user haproxy", "").replace("group haproxy", "") + "\n")
    check_config(path)


def test_the_example_environment_is_accepted_by_the_app(tmp_path: Path) -> None:
    from api.config import Settings

    values = {}
    for line in (ROOT / "deploy" / "roleplay.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, value = line.split("=", 1)
            values[name.lower()] = value
    settings = Settings(**values)
    assert settings.rasa_pairs[0] == ("http://10.0.0.11:5005", "http://10.0.0.11:5055")
    assert len(settings.rasa_pairs) == 2
