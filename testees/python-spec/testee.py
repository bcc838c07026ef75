#!/usr/bin/env python3
"""python-spec: an independent kraken-spot and kraken-futures implementation behind testee protocol v1.

Written from the specification alone (the authspec contracts for kraken-spot and kraken-futures), not from the
corpus generators and not from the Rust crates, so that a vector both agree on has two independent witnesses.
Python 3 standard library only: the JSON of request bodies is parsed by a strict RFC 8259 parser of its own,
because the body rules need the literal text of the nonce token and duplicate detection, and because Python's
`json` accepts NaN; base64 and the kraken-futures legacy percent-decoding are hand-written too, so that no
library leniency decides an outcome.

`--mutant NAME` plants one deliberate bug so the conformance runner's stage-by-stage report can be tested (first
differing stage: kraken-spot / kraken-futures REST / kraken-futures WebSocket):
  undecoded-secret    HMAC keyed with the secret's text, not its base64 decoding (hmac_key / hmac_key / hmac_key)
  hex-digest          HMAC over the hex SHA-256 digest, not the 32 raw bytes (hmac_message / hmac_digest /
                      hmac_digest)
  no-nonce-prefix     the nonce left out of the SHA-256 input (sha256_input / sha256_input, when a nonce is
                      used and the stage is listed / no effect)
  derivatives-prefix  kraken-futures only: the full path, /derivatives included, is signed (- / endpoint_path
                      for /derivatives/... paths / no effect)
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import hmac
import json
import sys

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


# (scheme, op) -> (handler, wire response of a rejection or None)
OPS = {
    (SCHEME, "sign"): (sign, None),
    (SCHEME, "verify"): (verify, lambda r, inp: spot_envelope(r)),
    (FUTURES, "sign"): (futures_sign, None),
    (FUTURES, "ws-challenge"): (futures_ws_challenge, None),
    (FUTURES, "verify"): (futures_verify, lambda r, inp: futures_envelope(inp)),
    (FUTURES, "ws-verify"): (futures_ws_verify, None),
}


# --------------------------------------------------------------------------------------------------------------
# Protocol loop.

def main() -> int:
    ap = argparse.ArgumentParser(description="python-spec kraken-spot and kraken-futures testee (protocol v1 on "
                                             "stdin/stdout)")
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
            send({"seq": seq, "result": {"name": name, "version": VERSION, "schemes": [SCHEME, FUTURES]}})
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
