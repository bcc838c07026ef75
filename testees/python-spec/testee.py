#!/usr/bin/env python3
"""python-spec: independent code for the authspec schemes behind testee protocol v1.

Written from the specification alone (the authspec contracts for kraken-spot, kraken-futures, kraken-v5,
kazoo-crossbar and haivision-session), not from the corpus generators and not from the Rust crates, so that a
vector both agree on has two independent witnesses. Python 3 standard library only, plus the `openssl` command
line for the RSA operations (sign and verify; everything around them, PEM/DER reading and EMSA-PKCS1-v1_5
included, is done here). The JSON of
request bodies is parsed by a strict RFC 8259 parser of its own, because the body rules need the literal text of
the nonce token and duplicate detection, and because Python's `json` accepts NaN; base64, the kraken-futures
legacy percent-decoding and the kraken-v5 RFC 3339 parser are hand-written too, so that no library leniency
decides an outcome.

`--mutant NAME` plants one deliberate bug so the conformance runner's stage-by-stage report can be tested (first
differing stage: kraken-spot / kraken-futures REST / kraken-futures WebSocket):
  undecoded-secret    HMAC keyed with the secret's text, not its base64 decoding (hmac_key / hmac_key / hmac_key)
  hex-digest          HMAC over the hex SHA-256 digest, not the 32 raw bytes (hmac_message / hmac_digest /
                      hmac_digest)
  no-nonce-prefix     the nonce left out of the SHA-256 input (sha256_input / sha256_input, when a nonce is
                      used and the stage is listed / no effect)
  derivatives-prefix  kraken-futures only: the full path, /derivatives included, is signed (- / endpoint_path
                      for /derivatives/... paths / no effect)
No mutant affects kraken-v5.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import hmac
import ipaddress
import json
import math
import os
import secrets
import subprocess
import sys
import tempfile
from fractions import Fraction

NAME = "python-spec"
VERSION = "0.1.0"
PROTOCOL = 1
SCHEME = "kraken-spot"
FUTURES = "kraken-futures"
MUTANTS = ("undecoded-secret", "hex-digest", "no-nonce-prefix", "derivatives-prefix")

U64_MAX = 18446744073709551615

WIRE = {
    "method-invalid": "EAPI:Bad request",
    "path-invalid": "EAPI:Bad request",
    "body-invalid": "EAPI:Bad request",
    "key-unknown": "EAPI:Invalid key",
    "signature-malformed": "EAPI:Invalid signature",
    "signature-mismatch": "EAPI:Invalid signature",
    "nonce-missing": "EAPI:Invalid nonce",
    "nonce-invalid": "EAPI:Invalid nonce",
    "nonce-stale": "EAPI:Invalid nonce",
    "nonce-replayed": "EAPI:Invalid nonce",
    "permission-denied": "EGeneral:Permission denied",
}


class Refused(Exception):
    """A sign refusal or a verify rejection, carrying its stable code (and, for verify, the wire string)."""

    def __init__(self, code: str, message: str, wire: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.wire = wire


# --------------------------------------------------------------------------------------------------------------
# Strict standard base64 (RFC 4648 section 4): alphabet A-Z a-z 0-9 + /, '=' padding required, canonical.

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_INDEX = {c: i for i, c in enumerate(_B64)}


def strict_b64decode(text: str) -> bytes | None:
    """Decode canonical padded standard base64, or return None if `text` is anything else."""
    if len(text) % 4:
        return None
    out = bytearray()
    for q in range(0, len(text), 4):
        quad = text[q:q + 4]
        last = q + 4 == len(text)
        pad = len(quad) - len(quad.rstrip("="))
        if pad and not last or pad > 2:
            return None
        vals = []
        for c in quad[: 4 - pad]:
            if c not in _B64_INDEX:
                return None
            vals.append(_B64_INDEX[c])
        n = 0
        for v in vals:
            n = (n << 6) | v
        bits = 6 * len(vals)
        nbytes = bits // 8
        spare = bits - 8 * nbytes
        if n & ((1 << spare) - 1):
            return None  # non-zero trailing bits: not the canonical encoding
        n >>= spare
        out += n.to_bytes(nbytes, "big")
    return bytes(out)


def b64encode(raw: bytes) -> str:
    out = []
    for i in range(0, len(raw), 3):
        chunk = raw[i:i + 3]
        n = int.from_bytes(chunk + bytes(3 - len(chunk)), "big")
        chars = [_B64[(n >> s) & 63] for s in (18, 12, 6, 0)]
        keep = len(chunk) + 1
        out.append("".join(chars[:keep]) + "=" * (4 - keep))
    return "".join(out)


# --------------------------------------------------------------------------------------------------------------
# Strict JSON (RFC 8259) that records, for the top-level object, each member's name and literal value token.

class JsonError(Exception):
    pass


class _Parser:
    WS = " \t\n\r"

    def __init__(self, text: str):
        self.s = text
        self.i = 0

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in self.WS:
            self.i += 1

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, ch: str):
        if self.peek() != ch:
            raise JsonError(f"expected {ch!r} at {self.i}")
        self.i += 1

    def value(self):
        """Parse one value; return (kind, literal text, decoded string or None)."""
        self.ws()
        start = self.i
        c = self.peek()
        if c == "{":
            self.obj()
            return "object", self.s[start:self.i], None
        if c == "[":
            self.arr()
            return "array", self.s[start:self.i], None
        if c == '"':
            decoded = self.string()
            return "string", self.s[start:self.i], decoded
        if c == "-" or c.isascii() and c.isdigit():
            self.number()
            return "number", self.s[start:self.i], None
        for word in ("true", "false", "null"):
            if self.s.startswith(word, self.i):
                self.i += len(word)
                return word, word, None
        raise JsonError(f"unexpected character at {self.i}")

    def obj(self, members: list | None = None):
        self.expect("{")
        self.ws()
        if self.peek() == "}":
            self.i += 1
            return
        while True:
            self.ws()
            if self.peek() != '"':
                raise JsonError("member name expected")
            name = self.string()
            self.ws()
            self.expect(":")
            kind, literal, decoded = self.value()
            if members is not None:
                members.append((name, kind, literal, decoded))
            self.ws()
            if self.peek() == ",":
                self.i += 1
                continue
            self.expect("}")
            return

    def arr(self):
        self.expect("[")
        self.ws()
        if self.peek() == "]":
            self.i += 1
            return
        while True:
            self.value()
            self.ws()
            if self.peek() == ",":
                self.i += 1
                continue
            self.expect("]")
            return

    def string(self) -> str:
        self.expect('"')
        out = []
        while True:
            if self.i >= len(self.s):
                raise JsonError("unterminated string")
            c = self.s[self.i]
            self.i += 1
            if c == '"':
                return "".join(out)
            if c == "\\":
                e = self.s[self.i:self.i + 1]
                self.i += 1
                simple = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
                if e in simple:
                    out.append(simple[e])
                elif e == "u":
                    code = self.hex4()
                    if 0xD800 <= code <= 0xDBFF:
                        if self.s[self.i:self.i + 2] != "\\u":
                            raise JsonError("lone high surrogate")
                        self.i += 2
                        low = self.hex4()
                        if not 0xDC00 <= low <= 0xDFFF:
                            raise JsonError("bad surrogate pair")
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    elif 0xDC00 <= code <= 0xDFFF:
                        raise JsonError("lone low surrogate")
                    out.append(chr(code))
                else:
                    raise JsonError("bad escape")
            elif ord(c) < 0x20:
                raise JsonError("control character in string")
            else:
                out.append(c)

    def hex4(self) -> int:
        h = self.s[self.i:self.i + 4]
        if len(h) != 4 or any(ch not in "0123456789abcdefABCDEF" for ch in h):
            raise JsonError("bad \\u escape")
        self.i += 4
        return int(h, 16)

    def number(self):
        s, i = self.s, self.i
        if i < len(s) and s[i] == "-":
            i += 1
        if i < len(s) and s[i] == "0":
            i += 1
        elif i < len(s) and s[i] in "123456789":
            while i < len(s) and s[i] in "0123456789":
                i += 1
        else:
            raise JsonError("bad number")
        if i < len(s) and s[i] == ".":
            i += 1
            j = i
            while i < len(s) and s[i] in "0123456789":
                i += 1
            if i == j:
                raise JsonError("bad fraction")
        if i < len(s) and s[i] in "eE":
            i += 1
            if i < len(s) and s[i] in "+-":
                i += 1
            j = i
            while i < len(s) and s[i] in "0123456789":
                i += 1
            if i == j:
                raise JsonError("bad exponent")
        self.i = i


def json_top_members(text: str) -> list | None:
    """The top-level members [(name, kind, literal, decoded)] of a JSON object text, or None if not one."""
    p = _Parser(text)
    p.ws()
    if p.peek() != "{":
        # Still must be rejected whatever it is; not an object is enough.
        return None
    members: list = []
    try:
        p.obj(members)
        p.ws()
        if p.i != len(text):
            return None
    except JsonError:
        return None
    return members


# --------------------------------------------------------------------------------------------------------------
# Form bodies: split on '&', name/value at the first '=', '+' is space, %XX decoded (invalid escapes kept).

def percent_decode(text: str) -> bytes:
    raw = text.replace("+", " ").encode("utf-8")
    out = bytearray()
    i = 0
    hexdigits = b"0123456789abcdefABCDEF"
    while i < len(raw):
        b = raw[i]
        pair = raw[i + 1:i + 3]
        if b == 0x25 and len(pair) == 2 and pair[0] in hexdigits and pair[1] in hexdigits:
            out.append(int(pair, 16))
            i += 3
        else:
            out.append(b)
            i += 1
    return bytes(out)


def form_nonce_values(body: str) -> list[bytes]:
    values = []
    for part in body.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if percent_decode(name) == b"nonce":
            values.append(percent_decode(value))
    return values


# --------------------------------------------------------------------------------------------------------------
# Shared rules.

def header(headers: dict, name: str):
    for k, v in headers.items():
        if k.lower() == name.lower():
            return v
    return None


def is_json(headers: dict) -> bool:
    ct = header(headers, "Content-Type")
    if ct is None:
        return False
    return ct.split(";", 1)[0].strip(" \t").lower() == "application/json"


def valid_path(path: str) -> bool:
    prefix = "/0/private/"
    if not path.startswith(prefix):
        return False
    endpoint = path[len(prefix):]
    return bool(endpoint) and all(c.isascii() and c.isalnum() for c in endpoint)


def canonical_nonce(text: str) -> bool:
    if not text or not all(c in "0123456789" for c in text):
        return False
    if len(text) > 1 and text[0] == "0":
        return False
    return int(text) <= U64_MAX


def body_nonce(body: str, json_body: bool) -> str | None:
    """The body's nonce text; raises Refused('body-invalid') or returns None when the body carries none."""
    if json_body:
        members = json_top_members(body)
        if members is None:
            raise Refused("body-invalid", "JSON body is not a JSON object")
        found = [m for m in members if m[0] == "nonce"]
        if len(found) > 1:
            raise Refused("body-invalid", "JSON body names nonce twice")
        if not found:
            return None
        _, kind, literal, _decoded = found[0]
        if kind == "string":
            return literal[1:-1]  # the literal token text without its quotes
        return literal
    values = form_nonce_values(body)
    if len(values) > 1:
        raise Refused("body-invalid", "form body names nonce twice")
    if not values:
        return None
    try:
        return values[0].decode("utf-8")
    except UnicodeDecodeError:
        return values[0].decode("latin-1")


class Mac:
    def __init__(self, mutant: str | None):
        self.mutant = mutant

    def stages(self, secret_text: str, key: bytes, path: str, nonce: str, body: str) -> dict:
        if self.mutant == "undecoded-secret":
            key = secret_text.encode("utf-8")
        hashed = body if self.mutant == "no-nonce-prefix" else nonce + body
        digest = hashlib.sha256(hashed.encode("utf-8")).digest()
        tail = digest.hex().encode("ascii") if self.mutant == "hex-digest" else digest
        message = path.encode("utf-8") + tail
        mac = hmac.new(key, message, hashlib.sha512).digest()
        return {
            "hmac_key": key.hex(),
            "sha256_input": hashed,
            "sha256_digest": digest.hex(),
            "hmac_message": message.hex(),
            "hmac_digest": mac.hex(),
            "api_sign": b64encode(mac),
        }

    def _key(self, secret_text: str, key: bytes) -> bytes:
        return secret_text.encode("utf-8") if self.mutant == "undecoded-secret" else key

    def _hmac(self, key: bytes, digest: bytes) -> bytes:
        message = digest.hex().encode("ascii") if self.mutant == "hex-digest" else digest
        return hmac.new(key, message, hashlib.sha512).digest()

    def futures(self, secret_text: str, key: bytes, post_data: bytes, nonce: str, path: str) -> dict:
        """kraken-futures Authent: HMAC-SHA512(key, SHA-256(postData || nonce || endpointPath))."""
        key = self._key(secret_text, key)
        endpoint = path if self.mutant == "derivatives-prefix" else futures_endpoint(path)
        hashed_nonce = "" if self.mutant == "no-nonce-prefix" else nonce
        hashed = post_data + hashed_nonce.encode("utf-8") + endpoint.encode("utf-8")
        digest = hashlib.sha256(hashed).digest()
        mac = self._hmac(key, digest)
        stages = {"hmac_key": key.hex()}
        try:  # legacy bytes that are not UTF-8 have no text form: those two stages are not reported
            stages["post_data"] = post_data.decode("utf-8")
            stages["endpoint_path"] = endpoint
            stages["sha256_input"] = hashed.decode("utf-8")
        except UnicodeDecodeError:
            stages = {"hmac_key": key.hex(), "endpoint_path": endpoint}
        stages.update(sha256_digest=digest.hex(), hmac_digest=mac.hex(), authent=b64encode(mac))
        return stages

    def challenge(self, secret_text: str, key: bytes, challenge: str) -> dict:
        """kraken-futures WebSocket: HMAC-SHA512(key, SHA-256(challenge as UTF-8))."""
        key = self._key(secret_text, key)
        digest = hashlib.sha256(challenge.encode("utf-8")).digest()
        mac = self._hmac(key, digest)
        return {
            "hmac_key": key.hex(),
            "sha256_input": challenge,
            "sha256_digest": digest.hex(),
            "hmac_digest": mac.hex(),
            "signed_challenge": b64encode(mac),
        }


# --------------------------------------------------------------------------------------------------------------
# sign

def sign(inp: dict, mac: Mac) -> dict:
    creds = inp["credentials"]
    req = inp["request"]
    api_key = creds["api_key"]
    secret = creds["secret"]
    nonce = inp["nonce"]
    headers = req.get("headers") or {}
    body = req.get("body", "")
    if not api_key or any(not 0x21 <= ord(c) <= 0x7E for c in api_key):
        raise Refused("api-key-invalid", "API key must be non-empty visible ASCII")
    key = strict_b64decode(secret)
    if key is None:
        raise Refused("secret-invalid", "secret is not canonical standard base64")
    if not key:
        raise Refused("secret-empty", "secret decodes to zero bytes")
    if req["method"] != "POST":
        raise Refused("method-invalid", "private endpoints are POST")
    if not valid_path(req["path"]):
        raise Refused("path-invalid", "path must be /0/private/<Endpoint> without query or fragment")
    if not canonical_nonce(nonce):
        raise Refused("nonce-invalid", "nonce must be canonical decimal u64")
    found = body_nonce(body, is_json(headers))
    if found is None:
        raise Refused("nonce-missing", "body carries no nonce")
    if found != nonce:
        raise Refused("nonce-mismatch", "body nonce differs from the nonce")
    stages = mac.stages(secret, key, req["path"], nonce, body)
    return {"headers": {"API-Key": api_key, "API-Sign": stages["api_sign"]}, "stages": stages}


# --------------------------------------------------------------------------------------------------------------
# verify

def verify(inp: dict, mac: Mac) -> dict:
    req = inp["request"]
    headers = req.get("headers") or {}
    body = req.get("body", "")
    path = req["path"]
    if req["method"] != "POST":
        raise Refused("method-invalid", "not POST")
    if not valid_path(path):
        raise Refused("path-invalid", "not a private endpoint path")
    api_key = header(headers, "API-Key")
    if not api_key:
        raise Refused("header-missing", "API-Key header missing or empty", "EAPI:Invalid key")
    entry = next((k for k in inp.get("keys", []) if k["api_key"] == api_key), None)
    if entry is None:
        raise Refused("key-unknown", "API key not registered")
    sig_text = header(headers, "API-Sign")
    if not sig_text:
        raise Refused("header-missing", "API-Sign header missing or empty", "EAPI:Invalid signature")
    sig = strict_b64decode(sig_text)
    if sig is None or len(sig) != 64:
        raise Refused("signature-malformed", "API-Sign is not standard base64 of 64 bytes")
    nonce = body_nonce(body, is_json(headers))
    if nonce is None:
        raise Refused("nonce-missing", "body carries no nonce")
    if not canonical_nonce(nonce):
        raise Refused("nonce-invalid", "body nonce is not canonical decimal u64")
    key = strict_b64decode(entry["secret"]) or b""
    stages = mac.stages(entry["secret"], key, path, nonce, body)
    expected = bytes.fromhex(stages["hmac_digest"])
    if not hmac.compare_digest(expected, sig):
        raise Refused("signature-mismatch", "HMAC differs")
    endpoint = path.rsplit("/", 1)[1]
    if "permissions" in entry and endpoint not in entry["permissions"]:
        raise Refused("permission-denied", f"key lacks permission for {endpoint}")
    window = int(inp.get("nonce_window") or 0)
    seen = [int(a["nonce"]) for a in inp.get("accepted_nonces") or [] if a["api_key"] == api_key]
    n = int(nonce)
    highest = max(seen, default=0)  # a key that never accepted a nonce starts at 0, so 0 is always stale
    floor = max(highest - window, 0)
    if n <= floor:
        raise Refused("nonce-stale", "nonce at or below the accepted range")
    if n in seen:
        raise Refused("nonce-replayed", "nonce already accepted")
    return {"api_key": api_key, "nonce": nonce, "stages": stages}


# --------------------------------------------------------------------------------------------------------------
# kraken-futures: REST Authent (sign, verify) and the WebSocket challenge (ws-challenge, ws-verify).

FUTURES_NAMESPACES = ("/api/", "/derivatives/api/")
FUTURES_PREFIX = "/derivatives"


def futures_path_ok(path: str) -> bool:
    """Inside a signed namespace, with no query or fragment characters in the path itself."""
    return path.startswith(FUTURES_NAMESPACES) and "?" not in path and "#" not in path


def futures_endpoint(path: str) -> str:
    """endpointPath: the leading /derivatives removed from /derivatives/... paths, any other path as it is."""
    if path.startswith(FUTURES_PREFIX + "/"):
        return path[len(FUTURES_PREFIX):]
    return path


def legacy_decode(text: str) -> bytes:
    """Pre-2024-02-20 postData: every %XX (hex in either case) becomes its byte; all else, '+' included, stays."""
    raw = text.encode("utf-8")
    hexdigits = b"0123456789abcdefABCDEF"
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == 0x25 and i + 2 < len(raw) and raw[i + 1] in hexdigits and raw[i + 2] in hexdigits:
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def futures_post_data(req: dict, encoding: str) -> bytes:
    """postData: the query as sent, then the body as sent, no separator; legacy-decoded when asked."""
    raw = (req.get("query") or "") + (req.get("body") or "")
    if encoding == "current":
        return raw.encode("utf-8")
    if encoding == "legacy":
        return legacy_decode(raw)
    raise ValueError(f"unknown encoding {encoding!r}")


def futures_secret(secret: str) -> bytes:
    key = strict_b64decode(secret)
    if key is None:
        raise Refused("secret-invalid", "secret is not canonical standard base64")
    if not key:
        raise Refused("secret-empty", "secret decodes to zero bytes")
    return key


def futures_sign(inp: dict, mac: Mac) -> dict:
    creds = inp["credentials"]
    req = inp["request"]
    api_key = creds["api_key"]
    if not api_key or any(not 0x21 <= ord(c) <= 0x7E for c in api_key):
        raise Refused("api-key-invalid", "API key must be non-empty visible ASCII")
    key = futures_secret(creds["secret"])
    if not futures_path_ok(req["path"]):
        raise Refused("path-invalid", "path must start with /api/ or /derivatives/api/ and carry no ? or #")
    nonce = inp.get("nonce")
    if nonce is not None and not canonical_nonce(nonce):
        raise Refused("nonce-invalid", "nonce must be canonical decimal u64")
    post_data = futures_post_data(req, inp.get("encoding") or "current")
    stages = mac.futures(creds["secret"], key, post_data, nonce or "", req["path"])
    headers = {"APIKey": api_key, "Authent": stages["authent"]}
    if nonce is not None:
        headers["Nonce"] = nonce
    return {"headers": headers, "stages": stages}


def futures_verify(inp: dict, mac: Mac) -> dict:
    req = inp["request"]
    headers = req.get("headers") or {}
    options = inp.get("options") or {}
    if not futures_path_ok(req["path"]):
        raise Refused("path-invalid", "path outside /api/ and /derivatives/api/")
    api_key = header(headers, "APIKey")
    if not api_key:
        raise Refused("header-missing", "APIKey header missing or empty")
    entry = next((k for k in inp.get("keys", []) if k["api_key"] == api_key), None)
    if entry is None:
        raise Refused("key-unknown", "API key not registered")
    authent = header(headers, "Authent")
    if not authent:
        raise Refused("header-missing", "Authent header missing or empty")
    sig = strict_b64decode(authent)
    if sig is None or len(sig) != 64:
        raise Refused("signature-malformed", "Authent is not standard base64 of 64 bytes")
    nonce = header(headers, "Nonce")
    if nonce is not None and not canonical_nonce(nonce):
        raise Refused("nonce-invalid", "Nonce header is not canonical decimal u64")
    if nonce is None and options.get("require_nonce"):
        raise Refused("header-missing", "Nonce header required")
    key = strict_b64decode(entry["secret"]) or b""
    encodings = ["current", "legacy"] if options.get("accept_legacy_encoding") else ["current"]
    for encoding in encodings:
        stages = mac.futures(entry["secret"], key, futures_post_data(req, encoding), nonce or "", req["path"])
        if hmac.compare_digest(bytes.fromhex(stages["hmac_digest"]), sig):
            break
    else:
        raise Refused("signature-mismatch", "Authent differs")
    window = options.get("nonce_window")
    if window is not None and nonce is not None:
        seen = [int(a["nonce"]) for a in inp.get("accepted_nonces") or [] if a["api_key"] == api_key]
        n = int(nonce)
        floor = max(max(seen, default=0) - int(window), 0)
        if n <= floor:
            raise Refused("nonce-stale", "nonce at or below the accepted range")
        if n in seen:
            raise Refused("nonce-replayed", "nonce already accepted")
    return {"api_key": api_key, "nonce": nonce, "encoding": encoding, "stages": stages}


def futures_ws_challenge(inp: dict, mac: Mac) -> dict:
    secret = inp["credentials"]["secret"]
    stages = mac.challenge(secret, futures_secret(secret), inp["challenge"])
    return {"signed_challenge": stages["signed_challenge"], "stages": stages}


def futures_ws_verify(inp: dict, mac: Mac) -> dict:
    api_key = inp["api_key"]
    entry = next((k for k in inp.get("keys", []) if k["api_key"] == api_key), None)
    if entry is None:
        raise Refused("key-unknown", "API key not registered")
    sig = strict_b64decode(inp["signed_challenge"])
    if sig is None or len(sig) != 64:
        raise Refused("signature-malformed", "signed challenge is not standard base64 of 64 bytes")
    key = strict_b64decode(entry["secret"]) or b""
    stages = mac.challenge(entry["secret"], key, inp["challenge"])
    if not hmac.compare_digest(bytes.fromhex(stages["hmac_digest"]), sig):
        raise Refused("signature-mismatch", "signed challenge differs")
    return {"api_key": api_key, "stages": stages}


def futures_envelope(inp: dict) -> dict:
    """Every kraken-futures rejection: HTTP 200 and authenticationError, serverTime from the verifier's clock."""
    server_time = inp.get("server_time")
    if server_time is None:
        now = datetime.datetime.now(datetime.timezone.utc)
        server_time = now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    return {"status": 200, "body": {"result": "error", "error": "authenticationError", "serverTime": server_time}}


def spot_envelope(r: Refused) -> dict:
    return {"status": 200, "body": {"error": [r.wire or WIRE[r.code]], "result": {}}}


# --------------------------------------------------------------------------------------------------------------
# kraken-v5: RSA-SHA256 (RSASSA-PKCS1-v1_5) over the body exactly as sent; X-Client-ID/-Signature/-Timestamp.
# Python has no RSA: the private-key operation is `openssl dgst -sha256 -sign`, verification is `openssl dgst
# -sha256 -verify`. Everything else is done here: PEM and DER are read by hand (labels, structure, modulus and
# exponent), EMSA-PKCS1-v1_5 is built here, and every openssl answer is cross-checked with s^e mod n == EM.

V5 = "kraken-v5"
V5_DIGEST_INFO_SHA256 = bytes.fromhex("3031300d060960864801650304020105000420")
V5_OID_RSA = bytes.fromhex("2a864886f70d010101")  # 1.2.840.113549.1.1.1 rsaEncryption
V5_MIN_BITS = 2048
V5_WINDOW = Fraction(300)
V5_REPLAY_LIFETIME = Fraction(600)
V5_ANSWERS = {
    "timestamp-invalid": (400, "Invalid timestamp format (use RFC3339)"),
    "timestamp-stale": (401, "Request too old (more than 5 minutes)"),
    "timestamp-future": (401, "Request timestamp in the future (more than 5 minutes)"),
    "key-unknown": (401, "Invalid partner credential key"),
    "key-expired": (401, "Partner credential key expired"),
    "ip-not-allowed": (401, "Invalid IP address"),
    "body-invalid": (401, "Invalid request body"),
    "signature-malformed": (401, "Signature verification failed"),
    "signature-mismatch": (401, "Signature verification failed"),
    "request-replayed": (401, "Request replayed"),
}


def v5_instant(text: str) -> Fraction | None:
    """RFC 3339 date-time (section 5.6) to exact seconds since 1970-01-01T00:00:00Z; None if it is not one.

    `T`/`t`, `Z`/`z` or a numeric offset (required), any number of fraction digits. Second 60 is accepted at any
    time of day and denotes the instant of second 59 with the same fraction (kraken-v5.md R7). Written character
    by character (no regex, no datetime), with its own calendar arithmetic.
    """
    pos = 0

    def num(width: int) -> int:
        nonlocal pos
        part = text[pos:pos + width]
        if len(part) != width or any(c not in "0123456789" for c in part):
            raise ValueError
        pos += width
        return int(part)

    def lit(chars: str) -> str:
        nonlocal pos
        if pos >= len(text) or text[pos] not in chars:
            raise ValueError
        pos += 1
        return text[pos - 1]

    try:
        year = num(4)
        lit("-")
        month = num(2)
        lit("-")
        day = num(2)
        lit("Tt")
        hour = num(2)
        lit(":")
        minute = num(2)
        lit(":")
        second = num(2)
        frac = Fraction(0)
        if pos < len(text) and text[pos] == ".":
            pos += 1
            start = pos
            while pos < len(text) and text[pos] in "0123456789":
                pos += 1
            if pos == start:
                return None
            frac = Fraction(int(text[start:pos]), 10 ** (pos - start))
        sign = lit("Zz+-")
        offset = 0
        if sign in "+-":
            oh = num(2)
            lit(":")
            om = num(2)
            if oh > 23 or om > 59:
                return None
            offset = (oh * 60 + om) * 60 * (1 if sign == "+" else -1)
        if pos != len(text):
            return None
    except ValueError:
        return None
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not (1 <= month <= 12 and 1 <= day <= month_days[month - 1] and hour <= 23 and minute <= 59):
        return None
    if second > 60:
        return None
    # Days since the epoch (proleptic Gregorian; the civil-from-days inverse of H. Hinnant's algorithm).
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    return Fraction(days * 86400 + hour * 3600 + minute * 60 + min(second, 59)) + frac - offset


def v5_json_text(text: str) -> bool:
    """A JSON text (RFC 8259): one value with optional whitespace around it, nothing else."""
    p = _Parser(text)
    try:
        p.value()
        p.ws()
    except JsonError:
        return False
    return p.i == len(text)


def v5_body_ok(body: str) -> bool:
    return body == "" or v5_json_text(body)


# DER (X.690), just enough for the four RSA key structures.

def _der_items(buf: bytes) -> list:
    """The TLVs of `buf` as [(tag, content)], which must exactly fill it."""
    items, i = [], 0
    while i < len(buf):
        if i + 2 > len(buf):
            raise ValueError("truncated TLV")
        tag, length = buf[i], buf[i + 1]
        i += 2
        if length & 0x80:
            n = length & 0x7F
            if not 1 <= n <= 4 or i + n > len(buf):
                raise ValueError("bad length")
            length = int.from_bytes(buf[i:i + n], "big")
            i += n
        if i + length > len(buf):
            raise ValueError("content past the end")
        items.append((tag, buf[i:i + length]))
        i += length
    return items


def _der_seq(buf: bytes) -> list:
    items = _der_items(buf)
    if len(items) != 1 or items[0][0] != 0x30:
        raise ValueError("not one SEQUENCE")
    return _der_items(items[0][1])


def _der_uint(item) -> int:
    tag, content = item
    if tag != 0x02 or not content or content[0] & 0x80:
        raise ValueError("not a non-negative INTEGER")
    return int.from_bytes(content, "big")


def _rsa_private_numbers(der: bytes) -> tuple[int, int]:
    """RSAPrivateKey (RFC 8017 A.1.2), two-prime: (n, e)."""
    items = _der_seq(der)
    if len(items) != 9 or _der_uint(items[0]) != 0:
        raise ValueError("not a two-prime RSAPrivateKey")
    numbers = [_der_uint(x) for x in items]
    return numbers[1], numbers[2]


def _rsa_algorithm(item) -> None:
    tag, content = item
    if tag != 0x30:
        raise ValueError("no AlgorithmIdentifier")
    alg = _der_items(content)
    if not alg or alg[0] != (0x06, V5_OID_RSA):
        raise ValueError("not rsaEncryption")


def v5_pem(text: str) -> tuple[str, bytes]:
    """(label, DER) of exactly one PEM block (RFC 7468), optional whitespace around it, LF or CRLF line breaks,
    any line width, no headers and no explanatory text; ValueError for anything else."""
    lines = text.strip(" \t\r\n").replace("\r\n", "\n").split("\n")
    if len(lines) < 3:
        raise ValueError("not PEM")
    first, last = lines[0], lines[-1]
    if not (first.startswith("-----BEGIN ") and first.endswith("-----")):
        raise ValueError("no BEGIN line")
    label = first[len("-----BEGIN "):-5]
    if last != f"-----END {label}-----":
        raise ValueError("no matching END line")
    body = "".join(lines[1:-1])
    der = strict_b64decode(body)
    if der is None or not der:  # also refuses RFC 1421 headers (Proc-Type, DEK-Info): ':' is not base64
        raise ValueError("body is not base64")
    return label, der


def v5_private_key(pem: str) -> tuple[int, int, str]:
    """(n, e, canonical PEM) of an unencrypted RSA private key in PEM PKCS#8 or PKCS#1; ValueError otherwise.

    The canonical PEM (64-character lines, LF) is what openssl is given: the layout was already checked here."""
    label, der = v5_pem(pem)
    if label == "RSA PRIVATE KEY":
        n, e = _rsa_private_numbers(der)
    elif label == "PRIVATE KEY":
        items = _der_seq(der)
        if len(items) < 3 or _der_uint(items[0]) not in (0, 1) or items[2][0] != 0x04:
            raise ValueError("not a PrivateKeyInfo")
        _rsa_algorithm(items[1])  # rsaEncryption only: id-RSASSA-PSS and EC keys are refused here
        n, e = _rsa_private_numbers(items[2][1])
    else:
        raise ValueError(f"label {label!r} is not an unencrypted private key")
    text = b64encode(der)
    lines = [text[i:i + 64] for i in range(0, len(text), 64)]
    return n, e, "\n".join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"]) + "\n"


def v5_public_numbers(pem: str) -> tuple[int, int]:
    """(n, e) of an RSA public key in PEM SPKI or PKCS#1."""
    label, der = v5_pem(pem)
    if label == "PUBLIC KEY":
        items = _der_seq(der)
        if len(items) != 2 or items[1][0] != 0x03 or items[1][1][:1] != b"\x00":
            raise ValueError("not a SubjectPublicKeyInfo")
        _rsa_algorithm(items[0])
        der = items[1][1][1:]
    elif label != "RSA PUBLIC KEY":
        raise ValueError(f"label {label!r} is not a public key")
    items = _der_seq(der)
    if len(items) != 2:
        raise ValueError("not an RSAPublicKey")
    return _der_uint(items[0]), _der_uint(items[1])


def _openssl(args: list[str], data: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", *args], input=data, capture_output=True)


def v5_emsa(body: bytes, k: int) -> tuple[bytes, bytes, bytes]:
    """EMSA-PKCS1-v1_5 with SHA-256: (digest, DigestInfo, EM = 00 01 FF..FF 00 || DigestInfo)."""
    digest = hashlib.sha256(body).digest()
    info = V5_DIGEST_INFO_SHA256 + digest
    if k < len(info) + 11:
        raise ValueError("modulus too short for the encoding")
    return digest, info, b"\x00\x01" + b"\xff" * (k - len(info) - 3) + b"\x00" + info


def v5_stages(body: str, digest: bytes, info: bytes, em: bytes) -> dict:
    return {"sha256_input": body, "sha256_digest": digest.hex(), "digest_info": info.hex(),
            "encoded_message": em.hex()}


def v5_rsa_public_op(sig: bytes, n: int, e: int, k: int) -> bytes | None:
    s = int.from_bytes(sig, "big")
    return pow(s, e, n).to_bytes(k, "big") if s < n else None


def v5_openssl_verify(tmp: str, public_pem: str, body: bytes, sig: bytes) -> bool:
    pub, sig_file = os.path.join(tmp, "pub.pem"), os.path.join(tmp, "sig.bin")
    with open(pub, "w", encoding="ascii") as f:
        f.write(public_pem)
    with open(sig_file, "wb") as f:
        f.write(sig)
    r = _openssl(["dgst", "-sha256", "-verify", pub, "-signature", sig_file], body)
    return r.returncode == 0 and b"Verified OK" in r.stdout


def v5_sign(inp: dict, mac: Mac) -> dict:
    creds = inp["credentials"]
    req = inp["request"]
    client_id = creds["client_id"]
    body = req.get("body", "")
    timestamp = inp["timestamp"]
    if not client_id or any(not 0x21 <= ord(c) <= 0x7E for c in client_id):
        raise Refused("api-key-invalid", "client id must be non-empty visible ASCII")
    try:
        n, e, pem = v5_private_key(creds["private_key_pem"])
    except ValueError as err:
        raise Refused("key-invalid", f"private key unusable: {err}") from None
    with tempfile.TemporaryDirectory(prefix="python-spec-v5-") as tmp:
        key_file = os.path.join(tmp, "key.pem")
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(pem)
        loaded = _openssl(["rsa", "-in", key_file, "-noout", "-modulus", "-passin", "pass:"])
        if loaded.returncode != 0:
            raise Refused("key-invalid", "openssl cannot load the key")
        if loaded.stdout.decode("ascii").strip() != f"Modulus={n:X}":
            raise RuntimeError("openssl and the DER reader disagree about the modulus")
        if n.bit_length() < V5_MIN_BITS:
            raise Refused("key-too-small", f"modulus has {n.bit_length()} bits, fewer than {V5_MIN_BITS}")
        if v5_instant(timestamp) is None:
            raise Refused("timestamp-invalid", "timestamp is not RFC 3339")
        if not v5_body_ok(body):
            raise Refused("body-invalid", "body is neither empty nor a JSON text")
        raw = body.encode("utf-8")
        k = (n.bit_length() + 7) // 8
        digest, info, em = v5_emsa(raw, k)
        signed = _openssl(["dgst", "-sha256", "-sign", key_file, "-passin", "pass:"], raw)
        if signed.returncode != 0:
            raise RuntimeError(f"openssl dgst -sign failed: {signed.stderr!r}")
        sig = signed.stdout
        # The openssl signature must be EM^d: s^e mod n == EM here, and openssl's own verification agrees.
        public = _openssl(["rsa", "-in", key_file, "-pubout", "-passin", "pass:"])
        if len(sig) != k or v5_rsa_public_op(sig, n, e, k) != em \
                or not v5_openssl_verify(tmp, public.stdout.decode("ascii"), raw, sig):
            raise RuntimeError("openssl's signature is not the EMSA-PKCS1-v1_5 encoding computed here")
    stages = v5_stages(body, digest, info, em)
    stages["signature"] = b64encode(sig)
    headers = {"X-Client-ID": client_id, "X-Client-Signature": stages["signature"], "X-Client-Timestamp": timestamp}
    return {"headers": headers, "stages": stages}


def v5_net(text: str, cidr: bool):
    """(version, first address as int, prefix length) of an address or (if `cidr`) an entry, IPv4-mapped IPv6
    normalized to IPv4 (::ffff:a.b.c.d, not the IPv4-compatible ::a.b.c.d); None when the text is not valid."""
    addr_text, slash, prefix_text = text.partition("/")
    if slash and not cidr or "%" in addr_text:
        return None  # a remote address has no prefix; no zone index
    try:
        addr = ipaddress.ip_address(addr_text)  # refuses IPv4 leading zeros, brackets, ports
    except ValueError:
        return None
    bits = 32 if addr.version == 4 else 128
    if not slash:
        prefix = bits
    elif prefix_text.isascii() and prefix_text.isdigit() and str(int(prefix_text)) == prefix_text \
            and int(prefix_text) <= bits:
        prefix = int(prefix_text)
    else:
        return None
    value = int(addr)
    if addr.version == 6 and value >> 32 == 0xFFFF and prefix >= 96:
        return 4, value & 0xFFFFFFFF, prefix - 96
    return addr.version, value, prefix


def v5_ip_allowed(remote: str, allowed: list) -> bool:
    addr = v5_net(remote, cidr=False)
    if addr is None:
        return False
    version, value, _ = addr
    for entry in allowed:
        net = v5_net(entry, cidr=True)
        if net is None or net[0] != version:
            continue  # an invalid entry matches nothing; families never match across
        bits = 32 if version == 4 else 128
        shift = bits - net[2]
        if value >> shift == net[1] >> shift:
            return True
    return False


def v5_verify(inp: dict, mac: Mac) -> dict:
    req = inp["request"]
    headers = req.get("headers") or {}
    body = req.get("body", "")
    options = inp.get("options") or {}
    now = v5_instant(inp["server_time"])
    if now is None:
        raise ValueError("server_time is not RFC 3339")
    values = {}
    for name in ("X-Client-ID", "X-Client-Signature", "X-Client-Timestamp"):
        value = header(headers, name)
        if not value:
            raise Refused("header-missing", f"{name} missing or empty", f"Missing {name} header")
        values[name] = value
    client_id, sig_text = values["X-Client-ID"], values["X-Client-Signature"]
    ts = v5_instant(values["X-Client-Timestamp"])
    if ts is None:
        raise Refused("timestamp-invalid", "X-Client-Timestamp is not RFC 3339")
    if ts < now - V5_WINDOW:
        raise Refused("timestamp-stale", "timestamp older than 300 s")
    if ts > now + V5_WINDOW:
        raise Refused("timestamp-future", "timestamp more than 300 s ahead")
    entry = next((c for c in inp.get("clients", []) if c["client_id"] == client_id), None)
    if entry is None:
        raise Refused("key-unknown", "client id not registered")
    expires = entry.get("expires_at")
    if expires is not None and now >= v5_instant(expires):
        raise Refused("key-expired", "registered key expired")
    if not v5_ip_allowed(inp["remote_addr"], entry.get("allowed_ips") or []):
        raise Refused("ip-not-allowed", "remote address not in the client's allowlist")
    if not v5_body_ok(body):
        raise Refused("body-invalid", "body is neither empty nor a JSON text")
    n, e = v5_public_numbers(entry["public_key_pem"])
    k = (n.bit_length() + 7) // 8
    sig = strict_b64decode(sig_text)
    if sig is None or len(sig) != k:
        raise Refused("signature-malformed", f"X-Client-Signature is not standard base64 of {k} bytes")
    raw = body.encode("utf-8")
    digest, info, em = v5_emsa(raw, k)
    ours = v5_rsa_public_op(sig, n, e, k) == em
    with tempfile.TemporaryDirectory(prefix="python-spec-v5-") as tmp:
        # kraken-v5.md "Private key" (and "Registry": public keys likewise) allows whitespace around the PEM text;
        # openssl finds `-----BEGIN` only at the start of a line, so it gets the text without it.
        theirs = v5_openssl_verify(tmp, entry["public_key_pem"].strip(" \t\r\n") + "\n", raw, sig)
    if ours != theirs:
        raise RuntimeError(f"openssl says {theirs}, s^e mod n == EM says {ours}")
    if not ours:
        raise Refused("signature-mismatch", "RSASSA-PKCS1-v1_5 SHA-256 verification failed")
    if options.get("replay_cache"):
        for seen in inp.get("accepted_signatures") or []:
            if seen["client_id"] == client_id and strict_b64decode(seen["signature"]) == sig \
                    and now <= v5_instant(seen["at"]) + V5_REPLAY_LIFETIME:
                raise Refused("request-replayed", "signature already accepted for this client")
    return {"client_id": client_id, "stages": v5_stages(body, digest, info, em)}


def v5_response(r: Refused, inp: dict) -> dict:
    """Every kraken-v5 rejection: text/plain, 400 for missing headers and timestamp syntax, 401 otherwise."""
    status, text = (400, r.wire) if r.code == "header-missing" else V5_ANSWERS[r.code]
    return {"status": status, "content_type": "text/plain", "body": text}


# --------------------------------------------------------------------------------------------------------------
# kazoo-crossbar: credentials hashes, login requests, the Crossbar login and token/Basic verification.

KAZOO = "kazoo-crossbar"
KAZOO_HASHES = {"md5": hashlib.md5, "sha": hashlib.sha1}  # the wire names; "sha1" is not one of them
KAZOO_SELECTORS = ("account_name", "account_realm", "phone_number")
KAZOO_HEX = "0123456789abcdef"
KAZOO_JWT_HEADER = {"alg": "RS256", "typ": "JWT"}
_ASCII_UPPER_TO_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B64URL_INDEX = {c: i for i, c in enumerate(_B64URL)}


def kazoo_lower(text: str) -> str:
    """ASCII-only lowercasing (Erlang's kz_term:to_lower_binary): A-Z to a-z, nothing else changes."""
    return text.translate(_ASCII_UPPER_TO_LOWER)


def kazoo_hash(method: str, username: str, password: str) -> tuple[str, str]:
    """(hash input text, lowercase hex credentials) for a wire method, or Refused hash-method-invalid."""
    if method not in KAZOO_HASHES:  # exact: "MD5", "sha1", "" are refused
        raise Refused("hash-method-invalid", f"method {method!r} is not md5 or sha")
    text = kazoo_lower(username) + ":" + password
    return text, KAZOO_HASHES[method](text.encode("utf-8")).hexdigest()


def b64url_encode(raw: bytes) -> str:
    out = []
    for i in range(0, len(raw), 3):
        chunk = raw[i:i + 3]
        n = int.from_bytes(chunk + bytes(3 - len(chunk)), "big")
        out.append("".join(_B64URL[(n >> s) & 63] for s in (18, 12, 6, 0))[:len(chunk) + 1])
    return "".join(out)


def b64url_decode(text: str) -> bytes | None:
    """Strict unpadded base64url (RFC 7515 section 2): no '=', no other characters, canonical final bits."""
    if len(text) % 4 == 1:
        return None
    out = bytearray()
    for q in range(0, len(text), 4):
        quad = text[q:q + 4]
        if any(c not in _B64URL_INDEX for c in quad):
            return None
        n = 0
        for c in quad:
            n = (n << 6) | _B64URL_INDEX[c]
        bits = 6 * len(quad)
        nbytes = bits // 8
        spare = bits - 8 * nbytes
        if n & ((1 << spare) - 1):
            return None
        out += (n >> spare).to_bytes(nbytes, "big")
    return bytes(out)


class _Duplicate(Exception):
    pass


def _no_duplicates(pairs):
    names = [k for k, _ in pairs]
    if len(set(names)) != len(names):
        raise _Duplicate
    return dict(pairs)


def kazoo_json(text: str):
    """A JSON text (strict RFC 8259 check by this file's parser) without duplicate member names, as Python
    values; None when it is not one."""
    if not v5_json_text(text):
        return None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except _Duplicate:
        return None


def kazoo_credentials(inp: dict, mac: Mac) -> dict:
    text, creds = kazoo_hash(inp["method"], inp["username"], inp["password"])
    return {"credentials": creds, "stages": {"hash_input": text, "credentials": creds}}


def kazoo_user_auth_request(inp: dict, mac: Mac) -> dict:
    text, creds = kazoo_hash(inp["method"], inp["username"], inp["password"])
    account = inp.get("account") or {}
    named = [k for k in KAZOO_SELECTORS if k in account]
    if len(named) != 1 or set(account) - set(KAZOO_SELECTORS):
        raise Refused("account-invalid", f"exactly one account selector is required, got {sorted(account)}")
    data = {"credentials": creds, named[0]: account[named[0]], "method": inp["method"]}
    request = {"method": "PUT", "path": "/v2/user_auth", "headers": {"Content-Type": "application/json"},
               "json": {"data": data}}
    return {"request": request, "stages": {"hash_input": text, "credentials": creds}}


def kazoo_api_key_ok(key) -> bool:
    return isinstance(key, str) and len(key) == 64 and all(c in KAZOO_HEX for c in key)


def kazoo_api_auth_request(inp: dict, mac: Mac) -> dict:
    key = inp["api_key"]
    if not kazoo_api_key_ok(key):
        raise Refused("api-key-invalid", "api_key must be 64 lowercase hex characters")
    return {"request": {"method": "PUT", "path": "/v2/api_auth", "headers": {"Content-Type": "application/json"},
                        "json": {"data": {"api_key": key}}}}


def kazoo_token_header(inp: dict, mac: Mac) -> dict:
    return {"headers": {"X-Auth-Token": inp["auth_token"]}}


def kazoo_basic_header(inp: dict, mac: Mac) -> dict:
    _, creds = kazoo_hash("md5", inp["username"], inp["password"])  # Basic is always MD5
    plain = inp["account_id"] + ":" + creds
    value = "Basic " + b64encode(plain.encode("utf-8"))
    return {"headers": {"Authorization": value},
            "stages": {"credentials": creds, "basic_plain": plain, "authorization": value}}


def kazoo_rsa(pem: str, tmp: str) -> tuple[int, int, str]:
    """(n, e, key file) of the server's signing key, read by this file's PEM/DER reader and loaded by openssl."""
    n, e, canonical = v5_private_key(pem)
    key_file = os.path.join(tmp, "key.pem")
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(canonical)
    loaded = _openssl(["rsa", "-in", key_file, "-noout", "-modulus", "-passin", "pass:"])
    if loaded.returncode != 0 or loaded.stdout.decode("ascii").strip() != f"Modulus={n:X}":
        raise RuntimeError("openssl and the DER reader disagree about the signing key")
    return n, e, key_file


def kazoo_public_pem(key_file: str) -> str:
    return _openssl(["rsa", "-in", key_file, "-pubout", "-passin", "pass:"]).stdout.decode("ascii")


def kazoo_rs256_sign(pem: str, signing_input: bytes) -> bytes:
    with tempfile.TemporaryDirectory(prefix="python-spec-kazoo-") as tmp:
        n, e, key_file = kazoo_rsa(pem, tmp)
        k = (n.bit_length() + 7) // 8
        signed = _openssl(["dgst", "-sha256", "-sign", key_file, "-passin", "pass:"], signing_input)
        sig = signed.stdout
        em = v5_emsa(signing_input, k)[2]
        if signed.returncode != 0 or len(sig) != k or v5_rsa_public_op(sig, n, e, k) != em \
                or not v5_openssl_verify(tmp, kazoo_public_pem(key_file), signing_input, sig):
            raise RuntimeError("openssl's RS256 signature is not the EMSA-PKCS1-v1_5 encoding computed here")
    return sig


def kazoo_rs256_verify(pem: str, signing_input: bytes, sig: bytes) -> bool:
    with tempfile.TemporaryDirectory(prefix="python-spec-kazoo-") as tmp:
        n, e, key_file = kazoo_rsa(pem, tmp)
        k = (n.bit_length() + 7) // 8
        if len(sig) != k:
            return False
        ours = v5_rsa_public_op(sig, n, e, k) == v5_emsa(signing_input, k)[2]
        theirs = v5_openssl_verify(tmp, kazoo_public_pem(key_file), signing_input, sig)
    if ours != theirs:
        raise RuntimeError(f"openssl says {theirs}, s^e mod n == EM says {ours}")
    return ours


def kazoo_now(srv: dict) -> Fraction:
    now = v5_instant(srv["server_time"])
    if now is None:
        raise ValueError("server_time is not RFC 3339")
    return now


def kazoo_issue(srv: dict, account_id: str, owner_id, method: str) -> dict:
    """The 201 answer with a freshly signed token: compact claims in the fixed order, iat = floor(server_time)."""
    iat = math.floor(kazoo_now(srv))
    exp = iat + int(srv.get("token_lifetime", 3600))
    members = [("account_id", account_id), ("owner_id", owner_id), ("method", method), ("iat", iat), ("exp", exp)]
    claims = "{" + ",".join(json.dumps(k) + ":" + json.dumps(v, ensure_ascii=False) for k, v in members) + "}"
    header_text = json.dumps(KAZOO_JWT_HEADER, separators=(",", ":"))
    signing_input = b64url_encode(header_text.encode()) + "." + b64url_encode(claims.encode("utf-8"))
    sig = b64url_encode(kazoo_rs256_sign(srv["signing_key_pem"], signing_input.encode("ascii")))
    token = signing_input + "." + sig
    data = {"account_id": account_id, "owner_id": owner_id, "method": method}
    body = {"auth_token": token, "data": data, "status": "success", "request_id": srv["request_id"],
            "node": srv["node"], "version": srv["version"], "timestamp": srv["server_time"],
            "revision": srv["revision"]}
    return {"response": {"status": 201, "body": body},
            "stages": {"jwt_header": header_text, "jwt_claims": claims, "signing_input": signing_input,
                       "jwt_signature": sig}}


def kazoo_login_data(req: dict) -> dict:
    """The `data` object of a login body, or Refused body-invalid."""
    parsed = kazoo_json(req.get("body", ""))
    if not isinstance(parsed, dict) or not isinstance(parsed.get("data"), dict):
        raise Refused("body-invalid", "the body is not a JSON object with a data object")
    return parsed["data"]


def kazoo_user_auth(inp: dict, mac: Mac) -> dict:
    srv = inp["server"]
    data = kazoo_login_data(inp["request"])
    method = data.get("method", "md5")
    creds = data.get("credentials")
    named = [k for k in KAZOO_SELECTORS if k in data]
    if not isinstance(creds, str) or not 1 <= len(creds) <= 64:
        raise Refused("body-invalid", "data.credentials must be a string of 1 to 64 characters")
    if not isinstance(method, str) or method not in KAZOO_HASHES:
        raise Refused("body-invalid", "data.method must be md5 or sha")
    if len(named) != 1 or not isinstance(data[named[0]], str) or not data[named[0]]:
        raise Refused("body-invalid", "exactly one non-empty account selector is required")
    selector, value = named[0], data[named[0]]
    for acct in srv.get("accounts", []):
        if (selector == "phone_number" and value in acct.get("phone_numbers", [])) or \
                (selector != "phone_number" and acct.get(selector) == value):
            break
    else:
        raise Refused("credentials-invalid", "no account for the selector")
    for user in srv.get("users", []):
        if user["account_id"] != acct["account_id"]:
            continue
        _, expected = kazoo_hash(method, user["username"], user["password"])
        if hmac.compare_digest(expected.encode(), creds.encode("utf-8")):
            return kazoo_issue(srv, acct["account_id"], user["owner_id"], "cb_user_auth")
    raise Refused("credentials-invalid", "no user of the account has these credentials")


def kazoo_api_auth(inp: dict, mac: Mac) -> dict:
    srv = inp["server"]
    key = kazoo_login_data(inp["request"]).get("api_key")
    if not kazoo_api_key_ok(key):
        raise Refused("body-invalid", "data.api_key is not 64 lowercase hex characters")
    for entry in srv.get("api_keys", []):
        if hmac.compare_digest(entry["api_key"].encode(), key.encode()):
            return kazoo_issue(srv, entry["account_id"], entry.get("owner_id", ""), "cb_api_auth")
    raise Refused("credentials-invalid", "unknown api key")


def kazoo_i64(value) -> bool:
    return type(value) is int and -2 ** 63 <= value < 2 ** 63


def kazoo_verify_token(inp: dict, mac: Mac) -> dict:
    srv = inp["server"]
    token = header(inp["request"].get("headers") or {}, "X-Auth-Token")
    if not token:
        raise Refused("header-missing", "no X-Auth-Token")
    parts = token.split(".")
    if len(parts) != 3:
        raise Refused("token-invalid", "not three dot-separated parts")
    raw = [b64url_decode(p) for p in parts]
    if any(r is None for r in raw) or not raw[2]:
        raise Refused("token-invalid", "a part is not unpadded base64url")
    try:
        head = kazoo_json(raw[0].decode("utf-8"))
        claims = kazoo_json(raw[1].decode("utf-8"))
    except UnicodeDecodeError:
        raise Refused("token-invalid", "header or claims not UTF-8") from None
    if head != KAZOO_JWT_HEADER:
        raise Refused("token-invalid", "header is not RS256/JWT")
    if not kazoo_rs256_verify(srv["signing_key_pem"], (parts[0] + "." + parts[1]).encode("ascii"), raw[2]):
        raise Refused("token-invalid", "RS256 signature does not verify")
    if not isinstance(claims, dict) or not isinstance(claims.get("account_id"), str) \
            or not isinstance(claims.get("owner_id"), str) or not isinstance(claims.get("method"), str) \
            or not kazoo_i64(claims.get("exp")) or ("iat" in claims and not kazoo_i64(claims["iat"])):
        raise Refused("token-invalid", "claims lack account_id, owner_id, method or an integer exp")
    if kazoo_now(srv) >= claims["exp"]:
        raise Refused("token-expired", "server_time >= exp")
    return {"account_id": claims["account_id"], "owner_id": claims["owner_id"], "method": claims["method"]}


def kazoo_verify_basic(inp: dict, mac: Mac) -> dict:
    srv = inp["server"]
    value = header(inp["request"].get("headers") or {}, "Authorization")
    if not value:
        raise Refused("header-missing", "no Authorization")
    if kazoo_lower(value[:6]) != "basic " or not value[6:]:
        raise Refused("token-invalid", "not Basic")
    decoded = strict_b64decode(value[6:])
    if decoded is None:
        raise Refused("token-invalid", "not standard base64")
    try:
        plain = decoded.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("token-invalid", "not UTF-8") from None
    account_id, colon, creds = plain.partition(":")  # the FIRST colon
    if not colon:
        raise Refused("token-invalid", "no ':' in the Basic credentials")
    for user in srv.get("users", []):
        if user["account_id"] == account_id:
            _, expected = kazoo_hash("md5", user["username"], user["password"])
            if hmac.compare_digest(expected.encode(), creds.encode("utf-8")):
                return {"account_id": account_id, "owner_id": user["owner_id"]}
    raise Refused("credentials-invalid", "no user of that account has these md5 credentials")


def kazoo_response(r: Refused, inp: dict) -> dict:
    """Crossbar's error envelope: 400 invalid request for body-invalid, 401 invalid credentials otherwise."""
    srv = inp["server"]
    status, message = (400, "invalid request") if r.code == "body-invalid" else (401, "invalid credentials")
    body = {"data": {"message": message}, "error": str(status), "message": message.replace(" ", "_"),
            "status": "error", "timestamp": srv["server_time"], "version": srv["version"], "node": srv["node"],
            "request_id": srv["request_id"], "auth_token": ""}
    return {"status": status, "body": body}


# --------------------------------------------------------------------------------------------------------------
# haivision-session: the login request, an RFC 6265 cookie jar, and the appliance's sessions (login, authorize,
# logout). The Set-Cookie parser is this file's (RFC 6265 section 5.2, the four HTTP date forms, section 5.1.4 paths),
# not http.cookies, which implements the older Netscape/RFC 2109 grammar.

HAIV = "haivision-session"
HAIV_ROLES = {"user": 0, "operator": 1, "haiadmin": 2}
HAIV_SECURITY_HEADERS = {
    "Cache-Control": "no-cache, no-store, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}
HAIV_COOKIE_ATTRS = "Path=/; HttpOnly; Secure; SameSite=Strict"
HAIV_BODIES = {
    "credentials-invalid": {"error": "invalid credentials"},
    "session-missing": {"error": "unauthorized"},
    "session-invalid": {"error": "unauthorized"},
    "session-expired": {"error": "unauthorized"},
    "body-invalid": {"error": "invalid request"},
    "transport-insecure": {"error": "https required"},
    "permission-denied": {"error": "forbidden"},
}
HAIV_STATUS = {"credentials-invalid": 401, "session-missing": 401, "session-invalid": 401, "session-expired": 401,
               "body-invalid": 400, "transport-insecure": 403, "permission-denied": 403}
_WSP = " \t"
_MAX_INSTANT = 253402300799  # 9999-12-31T23:59:59Z: later expiry times are clamped (RFC 6265 section 5.2.2)


def haiv_text(seconds: int) -> str:
    """Whole seconds since the epoch as RFC 3339 UTC `YYYY-MM-DDTHH:MM:SSZ`."""
    seconds = max(0, min(seconds, _MAX_INSTANT))
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def haiv_instant(text: str) -> Fraction:
    t = v5_instant(text)
    if t is None:
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    return t


_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _digits(text: str, n: int) -> int | None:
    return int(text) if len(text) == n and all(c in "0123456789" for c in text) else None


def _hms(text: str):
    parts = text.split(":")
    if len(parts) != 3:
        return None
    vals = [_digits(p, 2) for p in parts]
    return None if None in vals else vals


def cookie_date(text: str) -> int | None:
    """An Expires value in one of the four forms the haivision-session rules accept, to seconds since the epoch
    (UTC), or None: IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`,
    asctime `Sun Nov  6 08:49:37 1994`, and `Sun, 06-Nov-1994 08:49:37 GMT`. Matched field by field, by hand."""
    day = month = year = hms = None
    if text[3:5] == ", " and text[:3] in _DAY_NAMES and text.endswith(" GMT"):
        date, sep, time = text[5:-4].rpartition(" ")
        if sep and len(date) == 11 and date[2] == " " and date[6] == " ":  # IMF-fixdate
            day, month, year = _digits(date[:2], 2), date[3:6], _digits(date[7:], 4)
        elif sep and len(date) == 11 and date[2] == "-" and date[6] == "-":  # dashes, 4-digit year
            day, month, year = _digits(date[:2], 2), date[3:6], _digits(date[7:], 4)
        hms = _hms(time) if sep else None
    elif "," in text and text.split(",", 1)[0] in _LONG_DAY_NAMES and text.endswith(" GMT"):  # RFC 850
        rest = text.split(",", 1)[1][:-4]
        if rest[:1] == " ":
            date, sep, time = rest[1:].partition(" ")
            if sep and len(date) == 9 and date[2] == "-" and date[6] == "-":
                day, month, yy = _digits(date[:2], 2), date[3:6], _digits(date[7:], 2)
                year = None if yy is None else yy + (1900 if yy >= 70 else 2000)
                hms = _hms(time)
    elif len(text) == 24 and text[:3] in _DAY_NAMES and text[3] == " " and text[7] == " " and text[10] == " " \
            and text[19] == " ":  # asctime: day padded with a space
        month, year, hms = text[4:7], _digits(text[20:], 4), _hms(text[11:19])
        d = text[8:10]
        day = _digits(d[1], 1) if d[0] == " " else _digits(d, 2)
    if None in (day, year, hms) or month not in _MONTH_NAMES:
        return None
    try:
        moment = datetime.datetime(year, _MONTH_NAMES.index(month) + 1, day, *hms, tzinfo=datetime.timezone.utc)
    except ValueError:  # 31 Feb, hour 24, second 60
        return None
    return int(moment.timestamp())


def haiv_split_url(url: str) -> tuple[str, str]:
    """(scheme, path) of an http(s) URL; the path without query and fragment, "" when there is none."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    for stop in "?#":
        rest = rest.split(stop, 1)[0]
    slash = rest.find("/")
    return scheme.lower(), "" if slash < 0 else rest[slash:]


def default_path(uri_path: str) -> str:
    """RFC 6265 section 5.1.4."""
    if not uri_path.startswith("/") or uri_path.count("/") == 1:
        return "/"
    return uri_path[:uri_path.rindex("/")]


def path_matches(request_path: str, cookie_path: str) -> bool:
    """RFC 6265 section 5.1.4 path-match."""
    if request_path == cookie_path:
        return True
    if request_path.startswith(cookie_path):
        return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    return False


def parse_set_cookie_string(text: str, now: int, uri_path: str):
    """RFC 6265 section 5.2 (plus SameSite of RFC 6265bis) and the expiry of section 5.3: (cookie, expiry) or
    None when the string is ignored. expiry: None (session cookie) or seconds since the epoch."""
    semi = text.find(";")
    pair, unparsed = (text, "") if semi < 0 else (text[:semi], text[semi:])
    eq = pair.find("=")
    if eq < 0:
        return None
    name, value = pair[:eq].strip(_WSP), pair[eq + 1:].strip(_WSP)
    if name == "":
        return None
    attrs = []
    while unparsed:
        unparsed = unparsed[1:]  # the ';'
        semi = unparsed.find(";")
        av, unparsed = (unparsed, "") if semi < 0 else (unparsed[:semi], unparsed[semi:])
        eq = av.find("=")
        an, aval = (av, "") if eq < 0 else (av[:eq], av[eq + 1:])
        attrs.append((an.strip(_WSP).lower(), aval.strip(_WSP)))
    c = {"name": name, "value": value, "path": default_path(uri_path), "secure": False, "http_only": False,
         "same_site": None}
    max_age = expires = None
    for an, aval in attrs:  # later attributes of the same name override earlier ones (section 5.3 step 3)
        if an == "expires":
            t = cookie_date(aval)
            if t is not None:
                expires = t
        elif an == "max-age":
            if aval[:1] in tuple("-0123456789") and aval and all(ch in "0123456789" for ch in aval[1:]) \
                    and aval != "-":
                delta = int(aval)
                max_age = -(2 ** 63) if delta <= 0 else now + delta
        elif an == "path":
            c["path"] = aval if aval.startswith("/") else default_path(uri_path)
        elif an == "secure":
            c["secure"] = True
        elif an == "httponly":
            c["http_only"] = True
        elif an == "samesite":
            c["same_site"] = {"strict": "Strict", "lax": "Lax", "none": "None"}.get(aval.lower(), c["same_site"])
    return c, (max_age if max_age is not None else expires)


def haiv_parse_set_cookie(inp: dict, mac: Mac) -> dict:
    scheme, uri_path = haiv_split_url(inp["origin"])
    now = math.floor(haiv_instant(inp["now"]))
    # RFC 6265 section 5.3: cookies whose expiry has passed are evicted from the store.
    jar = [dict(c) for c in inp.get("jar") or []
           if c.get("expires_at") is None or haiv_instant(c["expires_at"]) > now]
    for text in inp["set_cookie"]:
        parsed = parse_set_cookie_string(text, now, uri_path)
        if parsed is None:
            continue
        c, expiry = parsed
        if c["secure"] and scheme != "https":  # RFC 6265bis: a Secure cookie is never stored from http
            continue
        jar = [o for o in jar if not (o["name"] == c["name"] and o["path"] == c["path"])]  # replaced or deleted
        if expiry is not None and expiry <= now:
            continue  # Max-Age <= 0 or an Expires in the past: the cookie is (only) removed
        c["expires_at"] = None if expiry is None else haiv_text(expiry)
        jar.append(c)
    jar.sort(key=lambda o: (o["name"].encode("utf-8"), o["path"].encode("utf-8")))  # byte order
    return {"jar": jar}


def haiv_cookie_header(inp: dict, mac: Mac) -> dict:
    scheme, path = haiv_split_url(inp["url"])
    path = path or "/"
    now = haiv_instant(inp["now"])
    chosen = []
    for c in inp.get("jar") or []:
        if c.get("secure") and scheme != "https":
            continue
        if c.get("expires_at") is not None and haiv_instant(c["expires_at"]) <= now:
            continue
        if path_matches(path, c["path"]):
            chosen.append(c)
    # Longest path first; among equal lengths the jar order (name, then path, by UTF-8 bytes), whatever the
    # order of the input jar.
    chosen.sort(key=lambda c: (-len(c["path"].encode("utf-8")), c["name"].encode("utf-8"), c["path"].encode("utf-8")))
    if not chosen:
        return {"headers": {}}
    return {"headers": {"Cookie": "; ".join(c["name"] + "=" + c["value"] for c in chosen)}}


def haiv_login_request(inp: dict, mac: Mac) -> dict:
    return {"request": {"method": "POST", "path": "/apis/v2/login",
                        "headers": {"Content-Type": "application/json"},
                        "json": {"username": inp["username"], "password": inp["password"]}}}


def _b64_unpadded(text: str) -> bytes | None:
    """PHC's B64: standard alphabet without '=' padding (canonical)."""
    if "=" in text or len(text) % 4 == 1:
        return None
    return strict_b64decode(text + "=" * (-len(text) % 4))


def phc_pbkdf2_verify(phc: str, password: str) -> bool:
    """`$pbkdf2-sha256$i=<count>$<salt>$<hash>` (PHC string format): PBKDF2-HMAC-SHA256 (RFC 8018) with the
    string's count and salt, compared in constant time. Anything else verifies nothing."""
    parts = phc.split("$")
    if len(parts) != 5 or parts[0] != "" or parts[1] != "pbkdf2-sha256" or not parts[2].startswith("i="):
        return False
    count = parts[2][2:]
    if not count.isdigit() or not count.isascii() or count.startswith("0") or int(count) > 10_000_000:
        return False
    salt, want = _b64_unpadded(parts[3]), _b64_unpadded(parts[4])
    if salt is None or not want:
        return False
    got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, int(count), len(want))
    return hmac.compare_digest(got, want)


_DUMMY_PHC = "$pbkdf2-sha256$i=1000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"


def haiv_response(status: int, body=None, headers: dict | None = None, set_cookie: list | None = None) -> dict:
    return {"status": status, "headers": dict(headers or {}), "set_cookie": list(set_cookie or []),
            "body": body}


def haiv_https(req: dict) -> None:
    if req.get("scheme") != "https":
        raise Refused("transport-insecure", "the appliance answers over HTTPS only")


def haiv_login(inp: dict, mac: Mac) -> dict:
    srv, req = inp["server"], inp["request"]
    haiv_https(req)
    body = kazoo_json(req.get("body") or "")
    if not isinstance(body, dict) or not isinstance(body.get("username"), str) \
            or not isinstance(body.get("password"), str):
        raise Refused("body-invalid", "the body is not a JSON object with string username and password")
    user = next((u for u in srv.get("users", []) if u["username"] == body["username"]), None)
    # Unknown users cost one PBKDF2 too, and get the same answer as a wrong password.
    ok = phc_pbkdf2_verify(user["password_hash"] if user else _DUMMY_PHC, body["password"])
    if user is None or not ok:
        raise Refused("credentials-invalid", "unknown user or wrong password")
    sid = secrets.token_hex(16)  # 128 bits from the OS CSPRNG, never derived from the request
    if any(s["id"] == sid for s in srv.get("sessions", [])):
        raise RuntimeError("session id collision")
    now = srv["now"]
    session = {"id": sid, "username": user["username"], "role": user["role"], "created_at": now, "last_seen": now}
    cookies = ["DisplayUnsavedWarning=; Max-Age=100000; Path=/; Secure; SameSite=Strict",
               f"id={sid}; {HAIV_COOKIE_ATTRS}"]
    return {"response": haiv_response(204, None, HAIV_SECURITY_HEADERS, cookies), "session": session}


def haiv_request_cookies(req: dict) -> list[tuple[str, str]]:
    """The (name, value) pairs of the Cookie header(s) of a request: `a=1; b=2`."""
    out = []
    for k, v in (req.get("headers") or {}).items():
        if k.lower() != "cookie":
            continue
        for piece in v.split(";"):
            name, eq, value = piece.strip(_WSP).partition("=")
            if eq:
                out.append((name.strip(_WSP), value.strip(_WSP)))
    return out


def haiv_session(inp: dict) -> dict:
    """The checks every session-authenticated call makes: https, the id cookie, a known, unexpired session."""
    srv, req = inp["server"], inp["request"]
    haiv_https(req)
    ids = [v for n, v in haiv_request_cookies(req) if n == "id"]  # the first `id` piece counts
    if not ids or ids[0] == "":
        raise Refused("session-missing", "no id cookie, or an empty one")
    found = None
    for s in srv.get("sessions", []):
        if hmac.compare_digest(s["id"].encode("utf-8"), ids[0].encode("utf-8")):
            found = s
    if found is None:
        raise Refused("session-invalid", "no session has this id")
    now = haiv_instant(srv["now"])
    if now - haiv_instant(found["last_seen"]) >= int(srv.get("idle_timeout", 900)) \
            or now - haiv_instant(found["created_at"]) >= int(srv.get("absolute_timeout", 43200)):
        raise Refused("session-expired", "the session is idle or too old")
    return found


def haiv_authorize(inp: dict, mac: Mac) -> dict:
    found = haiv_session(inp)
    required = inp["required_role"]
    if required not in HAIV_ROLES or found["role"] not in HAIV_ROLES:
        raise ValueError("unknown role")
    if HAIV_ROLES[found["role"]] < HAIV_ROLES[required]:
        raise Refused("permission-denied", f"{found['role']} is below {required}")
    touched = dict(found, last_seen=inp["server"]["now"])
    return {"username": found["username"], "role": found["role"], "session": touched}


def haiv_logout(inp: dict, mac: Mac) -> dict:
    found = haiv_session(inp)
    clear = f"id=; Max-Age=0; {HAIV_COOKIE_ATTRS}"
    return {"response": haiv_response(204, None, HAIV_SECURITY_HEADERS, [clear]), "session_dropped": found["id"]}


def haiv_error_response(r: Refused, inp: dict) -> dict:
    return haiv_response(HAIV_STATUS[r.code], HAIV_BODIES[r.code], {"Content-Type": "application/json"})


# (scheme, op) -> (handler, wire response of a rejection or None)
OPS = {
    (SCHEME, "sign"): (sign, None),
    (SCHEME, "verify"): (verify, lambda r, inp: spot_envelope(r)),
    (FUTURES, "sign"): (futures_sign, None),
    (FUTURES, "ws-challenge"): (futures_ws_challenge, None),
    (FUTURES, "verify"): (futures_verify, lambda r, inp: futures_envelope(inp)),
    (FUTURES, "ws-verify"): (futures_ws_verify, None),
    (V5, "sign"): (v5_sign, None),
    (V5, "verify"): (v5_verify, v5_response),
    (KAZOO, "credentials"): (kazoo_credentials, None),
    (KAZOO, "user-auth-request"): (kazoo_user_auth_request, None),
    (KAZOO, "api-auth-request"): (kazoo_api_auth_request, None),
    (KAZOO, "token-header"): (kazoo_token_header, None),
    (KAZOO, "basic-header"): (kazoo_basic_header, None),
    (KAZOO, "user-auth"): (kazoo_user_auth, kazoo_response),
    (KAZOO, "api-auth"): (kazoo_api_auth, kazoo_response),
    (KAZOO, "verify-token"): (kazoo_verify_token, kazoo_response),
    (KAZOO, "verify-basic"): (kazoo_verify_basic, kazoo_response),
    (HAIV, "login-request"): (haiv_login_request, None),
    (HAIV, "parse-set-cookie"): (haiv_parse_set_cookie, None),
    (HAIV, "cookie-header"): (haiv_cookie_header, None),
    (HAIV, "login"): (haiv_login, haiv_error_response),
    (HAIV, "authorize"): (haiv_authorize, haiv_error_response),
    (HAIV, "logout"): (haiv_logout, haiv_error_response),
}


# --------------------------------------------------------------------------------------------------------------
# Protocol loop.

def main() -> int:
    ap = argparse.ArgumentParser(description="python-spec kraken-spot, kraken-futures, kraken-v5, kazoo-crossbar and "
                                             "haivision-session testee (protocol v1 on stdin/stdout)")
    ap.add_argument("--mutant", choices=MUTANTS, help="plant one deliberate bug (for testing the runner)")
    args = ap.parse_args()
    mac = Mac(args.mutant)
    name = NAME if args.mutant is None else f"{NAME} (mutant: {args.mutant})"
    out = sys.stdout

    def send(obj):
        out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
        out.flush()

    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        seq = msg.get("seq")
        op = msg.get("op")
        if op == "hello":
            schemes = [SCHEME, FUTURES, V5, KAZOO, HAIV]
            send({"seq": seq, "result": {"name": name, "version": VERSION, "schemes": schemes}})
            continue
        handler, response = OPS.get((msg.get("scheme"), op), (None, None))
        if handler is None:
            send({"seq": seq, "skipped": {"reason": f"unsupported scheme/op {msg.get('scheme')}/{op}"}})
            continue
        inp = msg.get("input") or {}
        try:
            send({"seq": seq, "result": handler(inp, mac)})
        except Refused as r:
            err = {"code": r.code, "message": r.message}
            if response is not None:
                err["response"] = response(r, inp)
            send({"seq": seq, "error": err})
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            print(f"python-spec: seq {seq}: malformed input: {e!r}", file=sys.stderr)
            send({"seq": seq, "skipped": {"reason": f"malformed input: {e!r}"}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
