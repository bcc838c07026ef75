"""Protocol loop shared by the Python testee shims (testee protocol version 1, spec/testee-protocol.md).

A shim puts a third-party library behind the protocol: it turns each request's `input` into a call of the
library's own signing or verifying code and its answer into a `result`, and nothing more. This module does the
rest: reading requests from stdin, the `hello` handshake, one JSON line per response on stdout, and the outcome
rules of the protocol (section 3):

- a handler returns the `result` object;
- it raises `Refuse(code, message)` for an `error` answer (a code from spec/error-codes.md), when the library
  refused the input (keyword arguments add op-specific members, such as a verifier's `response`);
- it raises `Skip(reason)` when the library's API cannot express the input (never for an input the library takes
  and gets wrong);
- any other exception escaping a handler is the library failing in a way the shim does not recognise: the answer
  is `error` with code `implementation-error` and the exception in `message`, and the traceback goes to stderr.

Unknown (scheme, op) pairs are answered `skipped`. Nothing but responses is written to stdout.
"""

from __future__ import annotations

import json
import sys
import traceback
import urllib.parse
from typing import Callable

PROTOCOL = 1


class Refuse(Exception):
    """The library refused the input: answer `error` with this code.

    Further keyword arguments become further members of the `error` object, for the ops that define them (a
    verifier's wire answer: `Refuse("signature-mismatch", "...", response={...})`).
    """

    def __init__(self, code: str, message: str = "", **members):
        super().__init__(message)
        self.code = code
        self.message = message
        self.members = members


class Skip(Exception):
    """The library's API cannot express this input: answer `skipped`."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


Handler = Callable[[dict], dict]


# ---------------------------------------------------------------------------------------------------------------
# Reading a vector's request: what every Kraken shim needs to translate it into a library's API.

def header(headers: dict, name: str) -> str | None:
    """The value of header `name` (names compare ASCII case-insensitively), or None."""
    for k, v in (headers or {}).items():
        if k.lower() == name.lower():
            return v
    return None


def is_json(headers: dict) -> bool:
    """KSPOT-017: the body is JSON when the media type of Content-Type is application/json (case-insensitive)."""
    ct = header(headers, "Content-Type")
    return ct is not None and ct.split(";", 1)[0].strip(" \t").lower() == "application/json"


def form_dict(text: str) -> dict:
    """A form body as the parameter dict a library takes (`urllib.parse.parse_qsl`, blank values kept; a repeated
    name becomes a list). The shim must still check that the library's own encoding gives back `text`."""
    params: dict = {}
    for k, v in urllib.parse.parse_qsl(text, keep_blank_values=True):
        if k in params:
            prev = params[k]
            params[k] = (prev if isinstance(prev, list) else [prev]) + [v]
        else:
            params[k] = v
    return params


def short(text: str | None, limit: int = 120) -> str:
    """`repr(text)`, cut to `limit` characters, for skip reasons."""
    r = repr(text)
    return r if len(r) <= limit else r[: limit - 3] + "..."


def serve(name: str, version: str, handlers: dict[tuple[str, str], Handler]) -> int:
    """Answers requests from stdin until end of input; returns the exit status (0)."""
    schemes = sorted({scheme for scheme, _ in handlers})
    out = sys.stdout

    def send(obj: dict) -> None:
        out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
        out.flush()

    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        seq = msg.get("seq")
        op = msg.get("op")
        if op == "hello":
            if msg.get("protocol") != PROTOCOL:
                send({"seq": seq, "error": {"code": "protocol-unsupported",
                                            "message": f"{name} speaks protocol version {PROTOCOL}"}})
                continue
            send({"seq": seq, "result": {"name": name, "version": version, "schemes": schemes}})
            continue
        scheme = msg.get("scheme")
        handler = handlers.get((scheme, op))
        if handler is None:
            send({"seq": seq, "skipped": {"reason": f"{name} does not offer {scheme}/{op}"}})
            continue
        try:
            send({"seq": seq, "result": handler(msg.get("input") or {})})
        except Refuse as r:
            send({"seq": seq, "error": {"code": r.code, "message": r.message, **r.members}})
        except Skip as s:
            send({"seq": seq, "skipped": {"reason": s.reason}})
        except Exception as e:  # noqa: BLE001 - any library failure is an answer, not a crash
            print(f"{name}: {msg.get('id')}: {type(e).__name__}", file=sys.stderr)
            traceback.print_exc(limit=3, file=sys.stderr)
            send({"seq": seq, "error": {"code": "implementation-error",
                                        "message": f"{type(e).__name__}: {e}"[:500]}})
    return 0
