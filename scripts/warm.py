"""Warm-up round trips: a service counts as ready only once its first real request has been served.

Why: Rasa answers `/status` as soon as its model file is loaded, but its first prediction still
loads and builds what it needs (seconds, more on busy cores). A stack that reports ready then made
the first candidate wait (6 s measured). The launcher and the supervisor send this turn before they
call Rasa ready, so ready means « the next turn is fast ».
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request

WARM_TEXT = "Bonjour, quel budget avez-vous prévu pour ce projet ?"


def warm_rasa(rasa_url: str, timeout: float = 60.0) -> bool:
    """Post one French message to Rasa's REST channel (NLU, policies, the action's call) and wait for
    the answer. No persona in the metadata: the action answers with its « session data missing »
    line, which plays nothing and stores nothing. True when Rasa answered 200."""
    body = json.dumps({"sender": f"warmup:{secrets.token_hex(4)}", "message": WARM_TEXT,
                       "metadata": {"roleplay": {}}}).encode("utf-8")
    request = urllib.request.Request(f"{rasa_url}/webhooks/rest/webhook", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # loopback (or the stack's host)
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False
