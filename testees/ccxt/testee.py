"""authspec testee shim for ccxt (PyPI `ccxt`, pinned 4.5.90; the synchronous client).

Calls ccxt's own request signers, nothing re-implemented:

- kraken-spot `sign`: `ccxt.kraken({"apiKey", "secret"}).sign(endpoint, api=["private"], method, params)`
  (ccxt/kraken.py `kraken.sign`), with the instance's `nonce` replaced by a function returning the vector's nonce
  (ccxt's documented way to override the nonce). ccxt builds the body itself: `nonce` first, then `params`, form
  encoded by `Exchange.urlencode_nested` (percent-encoding with `quote`) or, for AddOrderBatch/CancelOrderBatch
  and a `price` ending in `%`, JSON by `Exchange.json` (orjson). The vector's body is turned into `params` (every
  member, the body's own `nonce` included, so that ccxt's encoding can reproduce it byte for byte).
- kraken-futures `sign`: `ccxt.krakenfutures({...}).sign(path, api=[<api>], method, params)` (ccxt/krakenfutures.py
  `krakenfutures.sign`). ccxt sends the parameters in the query string (the body only for `batchorder`, as
  `json=<raw JSON>`), hashes `postData + "/api/..." + endpoint`, and has no nonce at all.

Before signing, the shim asks ccxt to sign the same request with throwaway probe credentials and compares the URL
and body ccxt would send with the vector's request; anything ccxt cannot produce is `skipped` with the reason:

- spot: paths not starting with `/0/private/` (ccxt's private URL is `https://api.kraken.com/0/private/<path>`);
  nonces whose text is not the `str()` of an integer >= 1 (ccxt writes `str(incrementing_nonce())`, and its counter
  turns 0 or a negative nonce into 1); bodies ccxt's encoders do not yield byte for byte (nonce not first, `+`,
  lowercase or stray `%`, raw non-ASCII, repeated keys, trailing `&`, JSON at endpoints ccxt form-encodes, JSON
  with whitespace or an integer nonce where ccxt writes a string, invalid JSON, ...).
- futures: every vector with a `nonce` (ccxt's krakenfutures sends no `Nonce` header and hashes no nonce; testee
  protocol 7.1: a given nonce must be signed), `encoding: legacy` (ccxt only hashes the current postData), any
  request body except `batchorder`'s `json=` (ccxt moves parameters to the query string), paths outside ccxt's
  URL table, and endpoints ccxt treats as public (it returns no signature for them).

Exceptions mapped to codes, only where ccxt tells the cases apart: `AuthenticationError` from
`check_required_credentials` naming "apiKey" -> `api-key-invalid`, naming "secret" -> `secret-empty`;
`binascii.Error`/`ValueError` raised inside `Exchange.base64_to_binary` (the secret's base64 decoding) ->
`secret-invalid`. Everything else escapes (implementation-error). No stages: ccxt exposes no intermediate values.
The answer's `headers` are exactly the headers ccxt's `sign` returns (it adds Content-Type, and Accept for futures).
"""

from __future__ import annotations

import base64
import binascii
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pylib"))

from authspec_shim import Refuse, Skip, is_json, serve  # noqa: E402

import ccxt  # noqa: E402
from ccxt.base.errors import AuthenticationError  # noqa: E402

PROBE_KEY = "authspec-probe-key"
PROBE_SECRET = base64.b64encode(b"authspec-probe-secret").decode("ascii")
SPOT_PREFIX = "/0/private/"


# ---------------------------------------------------------------------------------------------------------------
# Helpers: reading the vector's request, mapping ccxt's exceptions.





def form_params(text: str, what: str) -> dict:
    """A form string as the dict a ccxt user would pass: split on '&', name/value at the first '=', %XX decoded."""
    params: dict = {}
    if text == "":
        return params
    for piece in text.split("&"):
        name, _, value = piece.partition("=")
        try:
            params[_unquote(name)] = _unquote(value)
        except UnicodeDecodeError:
            raise Skip(f"the {what} percent-encodes bytes that are not UTF-8; ccxt's params are text")
    return params


def _unquote(text: str) -> str:
    from urllib.parse import unquote
    return unquote(text, encoding="utf-8", errors="strict")


def json_params(text: str, what: str) -> dict:
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise Skip(f"the {what} repeats a JSON member name; ccxt's params are a dict")
        return dict(pairs)

    try:
        value = json.loads(text, object_pairs_hook=no_duplicates)
    except ValueError:
        raise Skip(f"the {what} is not JSON; ccxt serializes a dict of params with Exchange.json")
    if not isinstance(value, dict):
        raise Skip(f"the {what} is not a JSON object; ccxt serializes a dict of params")
    return value


def raised_in(exc: BaseException, function: str) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_name == function:
            return True
        tb = tb.tb_next
    return False


def refusal(exc: Exception):
    """The spec code for an exception ccxt raised while signing, or None when ccxt does not tell the case apart."""
    if isinstance(exc, AuthenticationError) and raised_in(exc, "check_required_credentials"):
        text = str(exc)
        if '"apiKey"' in text:
            return Refuse("api-key-invalid", "ccxt check_required_credentials: " + text)
        if '"secret"' in text:
            return Refuse("secret-empty", "ccxt check_required_credentials: " + text)
    if isinstance(exc, (binascii.Error, ValueError)) and raised_in(exc, "base64_to_binary"):
        return Refuse("secret-invalid", f"ccxt base64_to_binary: {type(exc).__name__}: {exc}")
    return None


def nonce_function(text: str):
    """ccxt writes str(incrementing_nonce()); only the text of an integer >= 1 survives that unchanged."""
    digits = text[1:] if text.startswith("-") else text
    canonical = digits.isascii() and digits.isdigit() and (digits == "0" or not digits.startswith("0"))
    if canonical and int(text) <= 0:
        raise Skip(f"ccxt's incrementing_nonce (base/exchange.py) signs max(nonce(), lastNonce + 1) with lastNonce "
                   f"starting at 0, so a nonce() of {text} is sent as 1")
    if not canonical or text.startswith("-"):
        raise Skip(f"ccxt writes the nonce as str() of the integer nonce() returns; {text!r} is not such a text")
    value = int(text)
    return lambda: value


def credentials_of(inp: dict) -> tuple[str, str]:
    creds = inp.get("credentials") or {}
    return creds.get("api_key", ""), creds.get("secret", "")


# ---------------------------------------------------------------------------------------------------------------
# kraken-spot

def spot_exchange(api_key: str, secret: str, nonce):
    exchange = ccxt.kraken({"apiKey": api_key, "secret": secret})
    exchange.nonce = nonce
    return exchange


def spot_sign(inp: dict) -> dict:
    req = inp["request"]
    path = req.get("path", "")
    method = req.get("method", "")
    body = req.get("body") or ""
    nonce_text = inp.get("nonce")
    if nonce_text is None:
        raise Skip("no nonce given; ccxt always signs one")
    if not path.startswith(SPOT_PREFIX):
        raise Skip(f"ccxt's kraken private URL is https://api.kraken.com/0/private/<path>; cannot send path {path!r}")
    endpoint = path[len(SPOT_PREFIX):]
    nonce = nonce_function(nonce_text)
    json_kind = is_json(req.get("headers"))
    params = json_params(body, "JSON body") if json_kind else form_params(body, "form body")

    probe = spot_exchange(PROBE_KEY, PROBE_SECRET, nonce)
    produced = probe.sign(endpoint, ["private"], method, dict(params))
    used = probe.options.get("lastNonce")
    if str(used) != nonce_text:
        raise Skip(f"ccxt's incrementing_nonce signed with nonce {used}, not {nonce_text}")
    expected_url = probe.urls["api"]["private"] + path
    if produced["url"] != expected_url:
        raise Skip(f"ccxt would send the URL {produced['url']!r}, not {expected_url!r}")
    produced_json = produced["headers"].get("Content-Type") == "application/json"
    if produced_json != json_kind:
        raise Skip(f"ccxt sends this endpoint/params as {produced['headers'].get('Content-Type')}, "
                   f"the vector's body is {'JSON' if json_kind else 'a form'}")
    if produced["body"] != body:
        raise Skip(f"ccxt encodes these params as {produced['body']!r}, not as the vector's body {body!r}")

    api_key, secret = credentials_of(inp)
    exchange = spot_exchange(api_key, secret, nonce)
    try:
        signed = exchange.sign(endpoint, ["private"], method, dict(params))
    except Exception as exc:  # noqa: BLE001 - mapped when ccxt tells the case apart, else re-raised
        mapped = refusal(exc)
        if mapped is None:
            raise
        raise mapped from None
    assert signed["body"] == body and signed["url"] == expected_url
    return {"headers": dict(signed["headers"])}


# ---------------------------------------------------------------------------------------------------------------
# kraken-futures

def futures_route(exchange, path: str):
    """(api name, version, endpoint path) such that ccxt's URL for them is the vector's path."""
    apis = exchange.urls["api"]
    # /derivatives/api/ is both ccxt's 'public' and 'private' URL: private first, so that it is signed.
    for api in ["private"] + [name for name in apis if name not in ("private", "public")]:
        base = apis[api]
        prefix = "https://futures.kraken.com"
        if not base.startswith(prefix):
            continue
        root = base[len(prefix):]  # '/derivatives/api/', '/api/history/', ...
        if path.startswith(root):
            version, sep, endpoint = path[len(root):].partition("/")
            if version and sep and endpoint:
                return api, version, endpoint
    raise Skip("ccxt's krakenfutures URLs are <api url><version>/<path> for the APIs "
               + ", ".join(f"{k}={v}" for k, v in exchange.urls["api"].items())
               + f"; cannot send path {path!r}")


def futures_exchange(api_key: str, secret: str):
    return ccxt.krakenfutures({"apiKey": api_key, "secret": secret})


def futures_sign(inp: dict) -> dict:
    req = inp["request"]
    if "nonce" in inp:
        raise Skip("ccxt's krakenfutures.sign sends no Nonce header and hashes no nonce; "
                   f"cannot sign with the nonce {inp['nonce']!r}")
    if (inp.get("encoding") or "current") != "current":
        raise Skip("ccxt hashes only the current postData (the parameters as sent), not the legacy encoding")
    path = req.get("path", "")
    method = req.get("method", "")
    query = req.get("query") or ""
    body = req.get("body") or ""
    probe = futures_exchange(PROBE_KEY, PROBE_SECRET)
    api, version, endpoint = futures_route(probe, path)
    if "{" in endpoint:
        raise Skip("ccxt replaces {name} in the path with params (implode_params)")
    if endpoint == "batchorder" and body.startswith("json=") and not query:
        params = json_params(body[len("json="):], "batchorder json= value")
    elif body:
        raise Skip("ccxt's krakenfutures sends parameters in the query string, never in the body "
                   f"(except batchorder's raw json=); cannot send the body {body!r}")
    else:
        params = form_params(query, "query")
    if "version" in params:
        raise Skip("ccxt takes a 'version' parameter as the path's API version, not as a parameter")
    params["version"] = version

    produced = probe.sign(endpoint, [api], method, dict(params))
    expected_url = probe.urls["api"][api] + version + "/" + endpoint + ("?" + query if query else "")
    if produced["url"] != expected_url:
        raise Skip(f"ccxt encodes this request as the URL {produced['url']!r}, not {expected_url!r}")
    if (produced["body"] or "") != body:
        raise Skip(f"ccxt would send the body {produced['body']!r}, not {body!r}")
    if not produced["headers"]:
        raise Skip(f"ccxt treats {api} {method} {endpoint} as a public endpoint and does not sign it")

    api_key, secret = credentials_of(inp)
    exchange = futures_exchange(api_key, secret)
    try:
        signed = exchange.sign(endpoint, [api], method, dict(params))
    except Exception as exc:  # noqa: BLE001 - mapped when ccxt tells the case apart, else re-raised
        mapped = refusal(exc)
        if mapped is None:
            raise
        raise mapped from None
    assert signed["url"] == expected_url and (signed["body"] or "") == body
    return {"headers": dict(signed["headers"])}


if __name__ == "__main__":
    sys.exit(serve("ccxt", ccxt.__version__, {
        ("kraken-spot", "sign"): spot_sign,
        ("kraken-futures", "sign"): futures_sign,
    }))
