"""krakenex behind testee protocol v1: kraken-spot `sign`.

Library: krakenex 2.2.2 (PyPI, https://github.com/veox/python3-krakenex), pinned in requirements.txt. The
signature is `krakenex.API._sign(data, urlpath)`, reached through the library's own private-call path
`API.query_private(method, data)` with the network stubbed:

- `query_private` refuses when the key or the secret is empty, sets `data['nonce'] = self._nonce()`, builds
  `urlpath = '/' + self.apiversion + '/private/' + method`, calls `_sign(data, urlpath)` (which url-encodes `data`
  with `urllib.parse.urlencode` and hashes `str(data['nonce']) + postdata`) and hands `{'API-Key', 'API-Sign'}`
  and `data` to `_query`, which POSTs through `self.session` (requests).
- The vector's nonce is injected by replacing the instance's `_nonce` (its nonce source). krakenex has no
  separate nonce argument: the nonce it signs is the one it writes into the body.
- `requests.Session.send` is replaced by a stub that captures the prepared request instead of sending it; the
  request must be the vector's (method `POST`, the same body), and the result is the header dict krakenex built.

Inputs are translated, never re-encoded by the shim: the path must read `/<apiversion>/private/<method>` (the
only form `query_private` builds; `apiversion` is the API attribute of that name), and the form body is parsed
with `urllib.parse.parse_qsl` into the dict krakenex takes; krakenex and requests encode it. Skipped, with the
reason given in the answer:
- JSON bodies (by the spec's Content-Type rule): krakenex sends only form bodies (requests `data=dict`);
- a method other than `POST`: krakenex sends every private call as `POST`, the method is not an input;
- a path not of the form `/<apiversion>/private/<method>`;
- a body `urlencode` cannot produce (lower-case or needless percent escapes, raw UTF-8, a stray `%`, a trailing
  `&`, `%20` for space, repeated keys), or whose nonce parameter is absent, repeated or differs from the nonce:
  `query_private` writes its own nonce into `data['nonce']` (appended when absent).

Refusals the library makes, mapped to spec codes: `Exception('Either key or secret is not set! ...')` from
`query_private` is `api-key-invalid` when the key is empty, else `secret-empty`; `binascii.Error` from
`base64.b64decode(self.secret)` in `_sign` is `secret-invalid`; requests' `InvalidHeader` for the key's header value
(a CR or LF, leading whitespace) is `api-key-invalid`. Anything else escapes (`implementation-error`). No stages
are reported: `_sign` exposes no intermediate values. krakenex has no verifier (`verify` is skipped).
"""

from __future__ import annotations

import binascii
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pylib"))

import krakenex  # noqa: E402
import requests  # noqa: E402
from authspec_shim import Refuse, Skip, form_dict, is_json, serve, short  # noqa: E402
from krakenex.version import __version__ as LIB_VERSION  # noqa: E402

NAME = "krakenex"
MISSING_CREDENTIALS = "Either key or secret is not set!"


# ---------------------------------------------------------------------------------------------------------------
# Network stub: requests prepares the request as usual (header validation included); sending is replaced by a
# capture.

class _Captured(BaseException):
    """Raised by the stubbed send; a BaseException so no `except Exception` swallows it."""

    def __init__(self, prepared: requests.PreparedRequest):
        super().__init__("captured")
        self.prepared = prepared


def _capturing_send(self, request, **kwargs):
    raise _Captured(request)


requests.Session.send = _capturing_send


# ---------------------------------------------------------------------------------------------------------------







def spot_sign(inp: dict) -> dict:
    creds = inp.get("credentials") or {}
    key, secret = creds.get("api_key", ""), creds.get("secret", "")
    req = inp.get("request") or {}
    method, path, body = req.get("method", ""), req.get("path", ""), req.get("body") or ""
    nonce = inp.get("nonce")
    if nonce is None:
        raise Skip("krakenex always takes the nonce from its own API._nonce(); the vector gives none")

    api = krakenex.API(key=key, secret=secret)
    api.session.trust_env = False  # no environment lookups (proxies, .netrc) for the stubbed session
    api._nonce = lambda: nonce  # the library's nonce source, injected
    m = re.fullmatch(r"/([^/]*)/private/(.*)", path, re.DOTALL)
    if is_json(req.get("headers") or {}):
        raise Skip("krakenex sends private calls with form bodies only (requests data=dict); the vector's body is "
                   "JSON")
    if m is None:
        raise Skip(f"krakenex signs only paths it builds as '/' + apiversion + '/private/' + method "
                   f"(API.query_private); {short(path)} is not one")
    try:
        api.apiversion = m[1]
        api.query_private(m[2], form_dict(body))
    except _Captured as cap:
        prepared = cap.prepared
    except Exception as exc:  # noqa: BLE001
        _refuse(exc, key)
    else:
        raise RuntimeError("krakenex returned without sending a request")

    if prepared.method != method:
        raise Skip(f"krakenex sends every private call as POST; the method {method!r} is not an input")
    sent = prepared.body if isinstance(prepared.body, str) else (prepared.body or b"").decode("utf-8", "replace")
    if sent != body:
        raise Skip("krakenex form-encodes data with urllib.parse.urlencode (quote_plus, upper-case escapes, each key "
                   "once) and writes its own nonce into data['nonce'] (appended when absent): it would send the body "
                   f"{short(sent)}, not the vector's {short(body)}")
    return {"headers": {name: prepared.headers[name] for name in ("API-Key", "API-Sign")}}


def _refuse(exc: BaseException, key: str) -> None:
    """Raises the Refuse for an exception by which krakenex (or requests under it) declined; else re-raises."""
    if isinstance(exc, binascii.Error):
        raise Refuse("secret-invalid", f"base64.b64decode(secret) raised binascii.Error: {exc}") from exc
    if isinstance(exc, requests.exceptions.InvalidHeader) and str(exc).endswith(repr(key)):
        raise Refuse("api-key-invalid", "requests refused the API key as a header value (InvalidHeader)") from exc
    if type(exc) is Exception and str(exc).startswith(MISSING_CREDENTIALS):
        if not key:
            raise Refuse("api-key-invalid", "krakenex: 'Either key or secret is not set!' (empty API key)") from exc
        raise Refuse("secret-empty", "krakenex: 'Either key or secret is not set!' (empty secret)") from exc
    raise exc


if __name__ == "__main__":
    sys.exit(serve(NAME, LIB_VERSION, {("kraken-spot", "sign"): spot_sign}))
