"""python-kraken-sdk behind testee protocol v1: kraken-spot `sign`, kraken-futures `sign` and `ws-challenge`.

Library: python-kraken-sdk 3.5.1 (PyPI, https://github.com/btschwertfeger/python-kraken-sdk), pinned in
requirements.txt. Every answer comes from the library's own request path, with the network stubbed:

- kraken-spot `sign`: `kraken.spot.SpotClient.request(method, uri, params=..., do_json=...)`, which runs
  `SpotClient._prepare_request` (credential check, `params["nonce"] = self.get_nonce()`, form or JSON encoding,
  `_get_kraken_signature(url_path, data, nonce)`) and hands the request to requests. The vector's nonce is
  injected by replacing the client's `get_nonce` (its nonce source); `requests.Session.send` is replaced by a
  stub that captures the prepared request instead of sending it. The result is the header dict the library
  built (`Content-Type`, `API-Key`, `API-Sign`).
- kraken-futures `sign`: `kraken.base_api.FuturesClient.request(method, uri, post_params=..., query_params=...)`
  (`_prepare_request`, `_get_kraken_futures_signature(endpoint, data, nonce)`), the same way; result: the
  library's headers (`Content-Type`, `Nonce`, `APIKey`, `Authent`).
- kraken-futures `ws-challenge`: `kraken.futures.FuturesWSClient.get_sign_challenge(challenge)`. The client needs
  a key as well as the secret (`is_auth`); the vector gives only the secret, so a fixed placeholder key is used
  (the key is not part of the signed challenge).

Inputs are translated, never re-encoded by the shim: a body is parsed into the parameter dict the library takes
(form: `urllib.parse.parse_qsl`; JSON: `json.loads` into a dict), the library encodes it, and the request it would
send (method, body, and for futures the query it passes to requests) must equal the vector's. When it does not,
the vector is answered `skipped` with the body the library would send. That skips, by construction:
- spot form bodies the library's `urllib.parse.urlencode` cannot produce (lower-case or needless percent
  escapes, raw UTF-8, a stray `%`, a trailing `&`, `%20` for space, repeated keys), and bodies whose nonce
  parameter is absent, repeated or differs from the nonce: the library writes its own nonce into
  `params["nonce"]`;
- every spot JSON body of the corpus: `do_json=True` sends `json.dumps(params)` (`", "` and `": "` separators)
  with the nonce as a JSON string;
- spot `GET` (and `DELETE`) requests with a body: the library sends their parameters in the query instead;
- futures POST (and other non-GET/DELETE/PUT) requests with a query: the library signs `query_params` but sends
  only the body; futures PUT requests with a body (PUT sends the encoded `post_params` as the query);
- futures requests without a nonce: the library always sends a `Nonce` header;
- futures `encoding: "legacy"`: the library signs only the current (url-encoded) postData.
The path is passed as the library's `uri` verbatim and never a reason to skip; methods compare
case-insensitively (the library upper-cases them).

Refusals the library makes, mapped to spec codes: `ValueError("Missing credentials...")` from `_prepare_request`
(empty key or secret) is `api-key-invalid` when the key is empty, else `secret-empty`;
`KrakenAuthenticationError` from `get_sign_challenge` (no secret) is `secret-empty`; `binascii.Error` from
`base64.b64decode(self._secret)` is `secret-invalid`; requests' `InvalidHeader` for the key's or the nonce's header
value (a CR or LF, leading whitespace) is `api-key-invalid` / `nonce-invalid`. Anything else escapes
(`implementation-error`). No stages are reported: the library exposes no intermediate values.

Verify ops (`verify`, `ws-verify`) are server-side: the SDK has none, and they are not registered (skipped).
"""

from __future__ import annotations

import asyncio
import binascii
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pylib"))

import requests  # noqa: E402
from authspec_shim import Refuse, Skip, form_dict, is_json, serve, short  # noqa: E402
from kraken._version import __version__ as LIB_VERSION  # noqa: E402
from kraken.base_api import FuturesClient  # noqa: E402
from kraken.exceptions import KrakenAuthenticationError  # noqa: E402
from kraken.futures import FuturesWSClient  # noqa: E402
from kraken.spot import SpotClient  # noqa: E402

NAME = "python-kraken-sdk"
WS_PLACEHOLDER_KEY = "authspec-ws-placeholder-key"


# ---------------------------------------------------------------------------------------------------------------
# Network stub: requests prepares the request as usual (header validation included); sending is replaced by a
# capture. The library's own call into requests is recorded too (for the futures query it passes as `params`).

class _Captured(BaseException):
    """Raised by the stubbed send; a BaseException so no `except Exception` in the library swallows it."""

    def __init__(self, prepared: requests.PreparedRequest, call: dict):
        super().__init__("captured")
        self.prepared = prepared
        self.call = call


_LAST_CALL: dict = {}
_orig_request = requests.Session.request


def _recording_request(self, method, url, *args, **kwargs):
    _LAST_CALL.clear()
    _LAST_CALL.update(kwargs, method=method, url=url)
    return _orig_request(self, method, url, *args, **kwargs)


def _capturing_send(self, request, **kwargs):
    raise _Captured(request, dict(_LAST_CALL))


requests.Session.request = _recording_request
requests.Session.send = _capturing_send


def _quiet_session(client, cls_name: str) -> None:
    """No environment lookups (proxies, .netrc) for the stubbed session."""
    getattr(client, f"_{cls_name}__session").trust_env = False


# ---------------------------------------------------------------------------------------------------------------
# Input helpers







def _not_json(token: str):
    """json.loads accepts NaN and Infinity, which are not JSON (RFC 8259): such a body is not a JSON object."""
    raise ValueError(f"{token} is not JSON")


def _body_text(prepared: requests.PreparedRequest) -> str | None:
    body = prepared.body
    if body is None:
        return ""
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return body




def _refusal(exc: BaseException, key: str, nonce: str | None) -> Refuse | None:
    """The spec code for an exception by which the library (or requests under it) declined the request."""
    if isinstance(exc, binascii.Error):
        return Refuse("secret-invalid", f"base64.b64decode(secret) raised binascii.Error: {exc}")
    if isinstance(exc, requests.exceptions.InvalidHeader):
        text = str(exc)
        if text.endswith(repr(key)):
            return Refuse("api-key-invalid", "requests refused the API key as a header value (InvalidHeader)")
        if nonce is not None and text.endswith(repr(nonce)):
            return Refuse("nonce-invalid", "requests refused the nonce as a header value (InvalidHeader)")
        return None
    if isinstance(exc, ValueError) and str(exc).startswith("Missing credentials"):
        if not key:
            return Refuse("api-key-invalid", "library: ValueError('Missing credentials') (empty API key)")
        return Refuse("secret-empty", "library: ValueError('Missing credentials') (empty secret)")
    return None


# ---------------------------------------------------------------------------------------------------------------
# kraken-spot sign

def _capture(client_class, key: str, secret: str, nonce, send):
    """Builds the library's client with the vector's nonce injected, runs `send(client)` (the library's own request
    path) and returns the prepared request and the call's arguments, captured instead of sent. A library refusal
    becomes `Refuse`; any other exception escapes."""
    client = client_class(key=key, secret=secret)
    _quiet_session(client, client_class.__name__)
    client.get_nonce = lambda: nonce  # the library's nonce source, injected
    try:
        send(client)
    except _Captured as cap:
        return cap.prepared, cap.call
    except Exception as exc:  # noqa: BLE001
        refusal = _refusal(exc, key, nonce)
        if refusal is None:
            raise
        raise refusal from exc
    raise RuntimeError("the library returned without sending a request")


def spot_sign(inp: dict) -> dict:
    creds = inp.get("credentials") or {}
    key, secret = creds.get("api_key", ""), creds.get("secret", "")
    req = inp.get("request") or {}
    method, path, body = req.get("method", ""), req.get("path", ""), req.get("body") or ""
    nonce = inp.get("nonce")
    if nonce is None:
        raise Skip("SpotClient always takes the nonce from its own get_nonce(); the vector gives none")
    do_json = is_json(req.get("headers") or {})

    if do_json:
        try:
            params = json.loads(body, parse_constant=_not_json)
        except ValueError:
            params = None
        if not isinstance(params, dict):
            raise Skip("SpotClient(do_json=True) sends json.dumps of a dict of parameters; the vector's body "
                       f"{short(body)} is not a JSON object")
    else:
        params = form_dict(body)

    prepared, call = _capture(SpotClient, key, secret, nonce,
                              lambda client: client.request(method, path, params=params, do_json=do_json))

    if (prepared.method or "").upper() != method.upper():
        raise Skip(f"python-kraken-sdk would send method {prepared.method!r}, not {method!r}")
    sent = _body_text(prepared)
    if sent != body:
        if prepared.method in ("GET", "DELETE"):
            why = "SpotClient sends GET/DELETE parameters in the query string, never a body"
        elif do_json:
            why = ("SpotClient(do_json=True) sends json.dumps(params) (', ' and ': ' separators, ASCII escapes) "
                   "with params['nonce'] = get_nonce(), a JSON string")
        else:
            why = ("SpotClient form-encodes params with urllib.parse.urlencode (quote_plus, upper-case escapes, "
                   "one key once) and writes its own nonce into params['nonce'] (appended when absent)")
        raise Skip(f"{why}: it would send the body {short(sent)}, not the vector's {short(body)}")
    return {"headers": dict(call.get("headers") or {})}


# ---------------------------------------------------------------------------------------------------------------
# kraken-futures sign

def futures_sign(inp: dict) -> dict:
    if inp.get("encoding", "current") == "legacy":
        raise Skip("python-kraken-sdk signs only the current postData (the url-encoded parameters), not the legacy "
                   "encoding")
    if "nonce" not in inp:
        raise Skip("FuturesClient always sends a Nonce header from get_nonce(); a request without a nonce cannot "
                   "be expressed")
    creds = inp.get("credentials") or {}
    key, secret = creds.get("api_key", ""), creds.get("secret", "")
    req = inp.get("request") or {}
    method, path = req.get("method", ""), req.get("path", "")
    query, body = req.get("query") or "", req.get("body") or ""
    nonce = inp["nonce"]

    # (post_params, query_params): the body as post_params and the query as query_params; for a request whose
    # parameters are all in the query also the query as post_params (FuturesClient sends PUT's post_params there).
    candidates = [(form_dict(body), form_dict(query) if query else None)]
    if query and not body:
        candidates.append((form_dict(query), None))

    first_miss = None
    for post_params, query_params in candidates:
        prepared, call = _capture(
            FuturesClient, key, secret, nonce,
            lambda client: client.request(method, path, post_params=post_params, query_params=query_params))
        sent_query = call.get("params") or ""
        sent_body = _body_text(prepared)
        if (prepared.method or "").upper() == method.upper() and sent_query == query and sent_body == body:
            return {"headers": dict(call.get("headers") or {})}
        if first_miss is None:
            first_miss = (prepared.method, sent_query, sent_body)

    sent_method, sent_query, sent_body = first_miss
    if query and sent_method not in ("GET", "DELETE", "PUT"):
        why = (f"FuturesClient signs query_params on {sent_method} but sends only the body (its URL carries no "
               "query), and a body built from the query is not the vector's")
    elif body and sent_method in ("GET", "DELETE", "PUT"):
        why = f"FuturesClient sends no body on {sent_method}"
    else:
        why = ("FuturesClient url-encodes parameters with urllib.parse.urlencode (quote_plus, upper-case escapes, "
               "each key once)")
    raise Skip(f"{why}: it would send {sent_method} with query {short(sent_query, 80)} and body "
               f"{short(sent_body, 80)}, not the vector's query {short(query, 80)} and body {short(body, 80)}")


# ---------------------------------------------------------------------------------------------------------------
# kraken-futures ws-challenge

def futures_ws_challenge(inp: dict) -> dict:
    secret = (inp.get("credentials") or {}).get("secret", "")
    challenge = inp.get("challenge", "")

    async def run() -> str:
        client = FuturesWSClient(key=WS_PLACEHOLDER_KEY, secret=secret)  # not started: no connection
        try:
            return client.get_sign_challenge(challenge)
        finally:
            await client.close()

    try:
        signed = asyncio.run(run())
    except KrakenAuthenticationError as exc:
        raise Refuse("secret-empty", "library: KrakenAuthenticationError (is_auth false: empty secret)") from exc
    except binascii.Error as exc:
        raise Refuse("secret-invalid", f"base64.b64decode(secret) raised binascii.Error: {exc}") from exc
    return {"signed_challenge": signed}


if __name__ == "__main__":
    sys.exit(serve(NAME, LIB_VERSION, {
        ("kraken-spot", "sign"): spot_sign,
        ("kraken-futures", "sign"): futures_sign,
        ("kraken-futures", "ws-challenge"): futures_ws_challenge,
    }))
