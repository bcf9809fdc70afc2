"""The action server (rasa-sdk on Sanic) in one process, bound to loopback unless told otherwise.

Why not `python -m rasa_sdk`: it serves through Sanic's worker manager, a main process that holds
the port and a worker that answers. Killing the worker left the main process alive with the port
and a full accept queue (every turn waited and got a 503, and nothing noticed, since the watched
PID was alive); killing the main process left the worker serving as an orphan. In one process
there is one PID to watch and to kill, and the port is released with it. It also listened on
0.0.0.0 (rasa-sdk reads SANIC_HOST only); here the address is an argument.

    python -m scripts.action_server --host 127.0.0.1 --port 5055
"""

from __future__ import annotations

import argparse
import logging

DEFAULT_HOST = "127.0.0.1"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="Serveur d'actions Rasa, en un seul processus.")
    parser.add_argument("--host", default=DEFAULT_HOST, help="adresse d'écoute (127.0.0.1 par défaut)")
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="bot.actions", help="paquet Python des actions")
    return parser


def main(argv: list[str] | None = None) -> None:
    """Register the actions and serve them until SIGTERM/SIGINT."""
    from rasa_sdk.endpoint import create_app
    from rasa_sdk.executor import ActionExecutor

    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    executor = ActionExecutor()
    executor.register_package(args.actions)
    # Load spaCy, the library personas and the engine before listening: /health must not answer
    # while the first turn would still block the event loop for seconds loading them (the
    # supervisor would take the server for a hung one, and the first candidate would wait).
    from bot.actions.warm import warm_up

    warm_up()
    # No CORS: only the Rasa server calls the action server, never a browser.
    app = create_app(executor, cors_origins=None)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
