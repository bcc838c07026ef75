#!/usr/bin/env python3
"""Generate the kraken-v5 test-vector corpus: `vectors/kraken-v5/<group>.yaml`.

Why a generator: every signature in the corpus is made here by the `openssl` command line (`openssl dgst -sha256
-sign`, the signing oracle: Python's standard library has no RSA), every intermediate stage is computed here with
Python's hashlib, and the YAML is written one way only (vectors/gen/common.py) so a diff of the corpus is a diff of
meaning.

Contract:
- Test keys are read from vectors/gen/keys/kraken-v5/ (generated once with openssl and committed; TEST-ONLY,
  public). This script never generates keys, so its output is deterministic: RSASSA-PKCS1-v1_5 is deterministic,
  and the one PSS signature uses a zero-length salt.
- Each case is declared once, with its inputs and its outcome: positive `sign` cases get their five stages
  computed here; negative cases declare the code the spec (the authspec brief's rules, worded in
  spec/kraken-v5.md) demands, and the response text and status that code maps to.
- Before anything is written, every signature is checked twice: `openssl dgst -sha256 -verify` against the public
  key (it must verify exactly when the vector says the signature is valid), and in Python, s^e mod n must equal
  the EMSA-PKCS1-v1_5 encoding computed here (the `encoded_message` stage). Timestamps, bodies and addresses of
  every case are re-checked against this script's own reading of the rules (RFC 3339, RFC 8259, CIDR).
- `--check` regenerates in memory and exits 1, naming the stale files, when the committed files differ (CI).

Dependencies: Python 3 standard library, PyYAML, and the `openssl` command line (OpenSSL 3).
"""

from __future__ import annotations

import base64
import calendar
import copy
import datetime
import functools
import hashlib
import ipaddress
import json
import re
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402  (vectors/gen/common.py, next to this script)
    ROOT, run, defined_ids, Dumper, Flow, Quoted, b64, documented_flags, openssl, render as render_file, write_or_check,
)

SCHEME = "kraken-v5"
GENERATOR_FILE = "kraken_v5.py"
OUT_DIR = ROOT / "vectors" / SCHEME
KEYS_DIR = Path(__file__).resolve().parent / "keys" / SCHEME
SPEC_FILE = ROOT / "spec" / "kraken-v5.md"

GENERATOR = "vectors/gen/kraken_v5.py (openssl dgst -sha256 -sign; Python hashlib for the stages)"
TESTEE = "testees/python-spec/testee.py (independent Python implementation of the spec)"
OPENSSL_VERIFY = ("openssl dgst -sha256 -verify (OpenSSL 3) and s^e mod n = encoded_message in Python, every "
                  "signature: vectors/gen/kraken_v5.py")
CONFIRMED = [GENERATOR, TESTEE, OPENSSL_VERIFY]
SPEC_SOURCE = "computed by vectors/gen/kraken_v5.py from the rules of spec/kraken-v5.md"

KV5_TESTABLE = [f"KV5-{n:03d}" for n in list(range(1, 10)) + list(range(20, 32))]
KV5_NOT_TESTABLE = ["KV5-032", "KV5-033"]

# As in the other generators: CORE-004 on every negative sign vector, CORE-006 on every negative verify vector,
# CORE-005 on vectors where a lenient signer would repair the input (refused, or sent exactly as given).
CITE_CORE = True
CORE_TESTABLE = ["CORE-004", "CORE-005", "CORE-006"]

SIGN_CODES = ["api-key-invalid", "key-invalid", "key-too-small", "timestamp-invalid", "body-invalid"]
VERIFY_CODES = ["header-missing", "timestamp-invalid", "timestamp-stale", "timestamp-future", "key-unknown",
                "key-expired", "ip-not-allowed", "body-invalid", "signature-malformed", "signature-mismatch",
                "request-replayed"]
SIGN_STAGES = ["sha256_input", "sha256_digest", "digest_info", "encoded_message", "signature"]
VERIFY_STAGES = SIGN_STAGES[:4]  # what a verifier recomputes from the received body

# The verifier's answers: status and the exact text/plain body (spec/error-codes.md, kraken-v5 column).
H_ID, H_SIG, H_TS = "X-Client-ID", "X-Client-Signature", "X-Client-Timestamp"
MISSING = {H_ID: "Missing X-Client-ID header", H_SIG: "Missing X-Client-Signature header",
           H_TS: "Missing X-Client-Timestamp header"}
ANSWERS = {
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

WINDOW = Fraction(300)          # seconds, both edges inclusive
CACHE_LIFETIME = Fraction(600)  # replay-cache entries: live while server_time <= at + 600 s

# The SHA-256 DigestInfo prefix of EMSA-PKCS1-v1_5 (RFC 8017 section 9.2, note 1).
DIGEST_INFO_PREFIX = bytes.fromhex("3031300d060960864801650304020105000420")

# spec/kraken-v5.md, "Resolved ambiguities": a vector whose outcome follows a "Resolution (not from the vendor)"
# names it in its description ("spec resolution R1") and carries the flag `spec-resolution`.
RES = {
    "padding": "R1",       # RSASSA-PKCS1-v1_5 with SHA-256, encode-and-compare verification
    "signed-bytes": "R2",  # the body exactly as sent, nothing else
    "empty-body": "R3",    # the empty body signs the empty byte string
    "body": "R4",          # a body is empty or a JSON text; checked before the signature
    "future": "R5",        # a timestamp more than 300 s ahead is timestamp-future
    "window": "R6",        # both edges inclusive, exact arithmetic
    "syntax": "R7",        # RFC 3339 strictly; t/z; second 60 as second 59
    "keys": "R8",          # PKCS#8 or PKCS#1, unencrypted, rsaEncryption only; strict PEM
    "bits": "R9",          # the modulus's bit length, not its byte length
    "mapped": "R10",       # IPv4-mapped IPv6 compared as IPv4, families never match across
    "empty-allowlist": "R11",
    "expiry": "R12",       # expired at expires_at itself
    "order": "R13",        # the fixed check order
    "base64": "R15",       # strict standard base64 of exactly k bytes
    "replay": "R16",       # the optional replay cache, 600 s inclusive
    "headers": "R17",      # an empty header is missing; names case-insensitive; values not trimmed
}

# ---------------------------------------------------------------------------------------------------------------
# Test keys (vectors/gen/keys/kraken-v5/README.md): TEST-ONLY, published with the corpus, never registered anywhere.

KEY_FILES = {
    "a8": "rsa2048-a.pkcs8.pem",            # 2048-bit, PKCS#8 (openssl genrsa 2048)
    "a1": "rsa2048-a.pkcs1.pem",            # the same key material, PKCS#1 (openssl rsa -traditional)
    "a-spki": "rsa2048-a.spki.pub.pem",     # its public key, SPKI
    "a-pub1": "rsa2048-a.pkcs1.pub.pem",    # its public key, PKCS#1 (RSA PUBLIC KEY)
    "a8-enc": "rsa2048-a.pkcs8-encrypted.pem",  # PKCS#8 encrypted with AES-256-CBC (PBES2)
    "a1-enc": "rsa2048-a.pkcs1-encrypted.pem",  # PKCS#1 with a Proc-Type: 4,ENCRYPTED header
    "b1": "rsa2048-b.pkcs1.pem",            # another 2048-bit key, PKCS#1 (openssl genrsa -traditional 2048)
    "b-spki": "rsa2048-b.spki.pub.pem",
    "c8": "rsa3072.pkcs8.pem",              # 3072-bit, PKCS#8
    "c-spki": "rsa3072.spki.pub.pem",
    "d8": "rsa4096.pkcs8.pem",              # 4096-bit, PKCS#8
    "d-spki": "rsa4096.spki.pub.pem",
    "r2047": "rsa2047.pkcs8.pem",           # 2047-bit modulus (openssl genrsa 2047): one bit short
    "r1024": "rsa1024.pkcs8.pem",
    "r512": "rsa512.pkcs8.pem",
    "ec": "ec-p256.pkcs8.pem",              # an EC P-256 key in PKCS#8 (BEGIN PRIVATE KEY)
    "ec-sec1": "ec-p256.sec1.pem",          # the same EC key, SEC 1 (BEGIN EC PRIVATE KEY)
    "pss": "rsa2048-pss.pkcs8.pem",         # a 2048-bit RSA-PSS key: PKCS#8 with id-RSASSA-PSS (genpkey RSA-PSS)
    "x8": "spec-example.pkcs8.pem",         # the test key printed in spec/kraken-v5.md, "Worked examples"
    "x1": "spec-example.pkcs1.pem",         # the same key as PKCS#1
    "x-spki": "spec-example.spki.pub.pem",  # its public key, as printed in the spec
}
PUBLIC_OF = {"a8": "a-spki", "a1": "a-spki", "b1": "b-spki", "c8": "c-spki", "d8": "d-spki", "x8": "x-spki",
             "x1": "x-spki"}
UNUSABLE = {"a8-enc", "a1-enc", "ec", "ec-sec1", "pss", "a-spki", "a-pub1", "b-spki"}


class Block(str):
    """A multi-line string (a PEM) written as a YAML literal block: readable, and exact."""


def _repr_block(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


Dumper.add_representer(Block, _repr_block)


@functools.lru_cache(maxsize=None)
def pem(name: str) -> str:
    return (KEYS_DIR / KEY_FILES[name]).read_text(encoding="ascii")


def key_path(name: str) -> str:
    return str(KEYS_DIR / KEY_FILES[name])


@functools.lru_cache(maxsize=None)
def rsa_numbers(name: str) -> tuple[int, int]:
    """(n, e) of a key file, read with `openssl rsa -text` (private keys, SPKI or PKCS#1 public keys)."""
    text = pem(name)
    args = ["rsa", "-in", key_path(name), "-noout", "-text"]
    if "PUBLIC KEY-----" in text:
        args.insert(1, "-pubin")
        if "RSA PUBLIC KEY" in text:
            args.insert(1, "-RSAPublicKey_in")
    out = openssl(args, b"").decode("ascii")
    m = re.search(r"^(?:modulus|Modulus):\s*\n((?:\s+[0-9a-f:]+\n)+)", out, re.M)
    e = re.search(r"^(?:publicExponent|Exponent): (\d+)", out, re.M)
    n = int(re.sub(r"[\s:]", "", m.group(1)), 16)
    return n, int(e.group(1))


def key_bits(name: str) -> int:
    return rsa_numbers(name)[0].bit_length()


def key_bytes(name: str) -> int:
    return (key_bits(name) + 7) // 8


# ---------------------------------------------------------------------------------------------------------------
# The computation, step by step, exactly as the spec names the stages.

def emsa_pkcs1_v15(body: bytes, k: int) -> tuple[bytes, bytes, bytes]:
    """(digest, DigestInfo, EM) of EMSA-PKCS1-v1_5 with SHA-256 for a k-byte modulus (RFC 8017 section 9.2)."""
    digest = hashlib.sha256(body).digest()
    digest_info = DIGEST_INFO_PREFIX + digest
    em = b"\x00\x01" + b"\xff" * (k - 3 - len(digest_info)) + b"\x00" + digest_info
    assert len(em) == k
    return digest, digest_info, em


@functools.lru_cache(maxsize=None)
def sign_openssl(key: str, body: bytes, mode: str = "pkcs1") -> bytes:
    """The signing oracle. mode: pkcs1 (the scheme), pss (salt length 0, deterministic), sha1, sha512."""
    md = {"sha1": "-sha1", "sha512": "-sha512"}.get(mode, "-sha256")
    args = ["dgst", md, "-sign", key_path(key)]
    if mode == "pss":
        args += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:0"]
    return openssl(args, body)


@functools.lru_cache(maxsize=None)
def sign_raw_openssl(key: str, payload: bytes) -> bytes:
    """EMSA-PKCS1-v1_5 type-1 padding over `payload` as given (no DigestInfo added): for malformed encodings."""
    return openssl(["pkeyutl", "-sign", "-inkey", key_path(key), "-pkeyopt", "rsa_padding_mode:pkcs1"], payload)


def openssl_verifies(public: str, body: bytes, sig: bytes) -> bool:
    with tempfile.NamedTemporaryFile(suffix=".sig") as f:
        f.write(sig)
        f.flush()
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", key_path(public), "-signature", f.name],
                           input=body, capture_output=True)
    return r.returncode == 0 and b"Verified OK" in r.stdout


def sign_stages(key: str, body: str) -> list:
    raw = body.encode("utf-8")
    digest, digest_info, em = emsa_pkcs1_v15(raw, key_bytes(key))
    sig = sign_openssl(key, raw)
    values = [body, digest.hex(), digest_info.hex(), em.hex(), b64(sig)]
    return [{"name": n, "value": v} for n, v in zip(SIGN_STAGES, values)]


def signature(key: str, body: str) -> str:
    return b64(sign_openssl(key, body.encode("utf-8")))


# ---------------------------------------------------------------------------------------------------------------
# This script's own reading of the input rules (the outcomes are declared; these re-check the declarations).

_TS = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
                 r"([Zz]|[+-][0-9]{2}:[0-9]{2})")


def parse_ts(text: str) -> Fraction | None:
    """RFC 3339 date-time to seconds since the epoch (exact), or None when the text is not one.

    spec/kraken-v5.md R7: second 60 is accepted at any time of day and denotes the instant of second 59 with the
    same fraction; the fraction is kept at full precision.
    """
    m = _TS.fullmatch(text)
    if not m:
        return None
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    if not (1 <= mo <= 12 and 1 <= d <= calendar.monthrange(y, mo)[1] and h <= 23 and mi <= 59):
        return None
    if s > 60:
        return None
    frac = Fraction(int(m.group(7)[1:]), 10 ** (len(m.group(7)) - 1)) if m.group(7) else Fraction(0)
    off = m.group(8)
    offset = 0
    if off not in ("Z", "z"):
        oh, om = int(off[1:3]), int(off[4:6])
        if oh > 23 or om > 59:
            return None
        offset = (oh * 60 + om) * 60 * (1 if off[0] == "+" else -1)
    return Fraction(calendar.timegm((y, mo, d, h, mi, min(s, 59), 0, 0, 0))) + frac - offset


def fmt_ts(instant: Fraction, offset_min: int = 0, digits: int = 3, lower: bool = False) -> str:
    """An RFC 3339 text for `instant` at the given offset, with exactly `digits` fraction digits."""
    local = instant + offset_min * 60
    whole = local.numerator // local.denominator
    frac = local - whole
    scaled = frac * 10 ** digits
    assert scaled.denominator == 1, f"{instant} needs more than {digits} fraction digits"
    dt = datetime.datetime.fromtimestamp(whole, datetime.timezone.utc)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        text += "." + str(scaled.numerator).rjust(digits, "0")
    if offset_min == 0:
        text += "Z"
    else:
        sign = "+" if offset_min > 0 else "-"
        text += f"{sign}{abs(offset_min) // 60:02d}:{abs(offset_min) % 60:02d}"
    if lower:
        text = text.replace("T", "t").replace("Z", "z")
    assert parse_ts(text) == instant, text
    return text


def _reject_constant(name):
    raise ValueError(f"not JSON: {name}")


def body_ok(body: str) -> bool:
    """Empty, or a JSON text (RFC 8259): Python's json with NaN/Infinity refused and nothing after the value."""
    if body == "":
        return True
    try:
        json.loads(body, parse_constant=_reject_constant)
        return True
    except ValueError:
        return False


MAPPED = ipaddress.ip_network("::ffff:0:0/96")


def ip_network_of(text: str, entry: bool):
    """spec/kraken-v5.md, "IP allowlist": an address (or, for entries, a CIDR range), IPv4-mapped IPv6 normalized
    to IPv4; None for text that is not a valid address or entry (which matches nothing)."""
    if "%" in text or "[" in text or not entry and "/" in text:
        return None
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    if "/" in text and text.split("/", 1)[1] != str(net.prefixlen):
        return None  # a prefix length with a leading zero or a sign
    if net.version == 6 and net.prefixlen >= 96 and net.network_address in MAPPED:
        net = ipaddress.ip_network((int(net.network_address) & 0xFFFFFFFF, net.prefixlen - 96), strict=False)
    return net


def ip_allowed(remote: str, allowed: list[str]) -> bool:
    addr = ip_network_of(remote, entry=False)
    if addr is None:
        return False
    nets = [ip_network_of(e, entry=True) for e in allowed]
    return any(n is not None and n.version == addr.version and addr.subnet_of(n) for n in nets)


def client_id_ok(client_id: str) -> bool:
    return bool(client_id) and all(0x21 <= ord(c) <= 0x7E for c in client_id)


# ---------------------------------------------------------------------------------------------------------------
# Case declarations.

GROUPS: dict[str, dict] = {}
AUDIT: list[tuple[str, str, bytes, bytes, bool]] = []  # (vector id, public key, body, signature, valid?)


def group(name: str, description: str) -> None:
    GROUPS[name] = {"description": description, "vectors": []}


def computed(source: str = SPEC_SOURCE) -> dict:
    return {"kind": "computed", "source": source, "confirmed_by": list(CONFIRMED)}


def mark(description: str, flags, res) -> tuple[str, list]:
    flags = list(flags)
    if res:
        keys = [res] if isinstance(res, str) else list(res)
        description = f"{description} (spec resolution {', '.join(RES[k] for k in keys)})"
        flags.append("spec-resolution")
    return description, flags


def vector(g, name, description, requirements, provenance, flags, op, inp, expected, stages, core005=False):
    # Fresh copies: an object shared between vectors would be written as a YAML anchor and alias.
    provenance, inp, expected = copy.deepcopy((provenance, inp, expected))
    requirements = set(requirements)
    if CITE_CORE:
        if "error" in expected:
            requirements.add("CORE-004" if op == "sign" else "CORE-006")
        if core005:
            requirements.add("CORE-005")
    v = {
        "id": f"{SCHEME}/{g}/{name}",
        "description": description,
        "requirements": Flow(sorted(requirements)),
        "provenance": provenance,
    }
    if flags:
        v["flags"] = Flow(dict.fromkeys(flags))
    v["op"] = op
    v["input"] = inp
    v["expected"] = expected
    if stages:
        v["stages"] = [{"name": st["name"], "value": Quoted(st["value"])} for st in stages]
    GROUPS[g]["vectors"].append(v)
    return v


CLIENT_A = "authspec-test-client-1"
CLIENT_B = "authspec-test-client-2"
DEFAULT_BODY = '{"pair":"XBTUSD","side":"buy","amount":"0.01","user":"authspec-test-user-1"}'
JSON_HEADERS = {"Content-Type": "application/json"}
DEFAULT_PATH = "/api/v1/quotes"
SIGN_TS = "2025-06-02T12:34:56Z"

SIGN_BASE = ["KV5-001", "KV5-005", "KV5-006", "KV5-007", "KV5-008"]


def sign_input(client_id, key_pem, method, path, headers, body, timestamp) -> dict:
    return {"credentials": {"client_id": client_id, "private_key_pem": Block(key_pem) if "\n" in key_pem
                            else key_pem},
            "request": {"method": method, "path": path, "headers": dict(headers), "body": body},
            "timestamp": Quoted(timestamp)}


def default_headers(body: str) -> dict:
    return dict(JSON_HEADERS) if body else {}


def sign_ok(g, name, description, extra_reqs=(), flags=(), *, key="a8", key_pem=None, client_id=CLIENT_A,
            method="POST", path=DEFAULT_PATH, headers=None, body=DEFAULT_BODY, timestamp=SIGN_TS, provenance=None,
            res=None, core005=False, published=None) -> str:
    """A positive sign case: headers and the five stages computed here. Returns the signature header."""
    description, flags = mark(description, flags, res)
    assert client_id_ok(client_id) and parse_ts(timestamp) is not None and body_ok(body), name
    assert key in PUBLIC_OF and key_bits(key) >= 2048, name
    stages = sign_stages(key, body)
    sig = stages[-1]["value"]
    if published is not None and sig != published:
        sys.exit(f"ABORT: {g}/{name}: openssl's signature differs from the published value")
    v = vector(g, name, description, set(SIGN_BASE) | set(extra_reqs), provenance or computed(), flags, "sign",
               sign_input(client_id, pem(key) if key_pem is None else key_pem, method, path,
                          default_headers(body) if headers is None else headers, body, timestamp),
               {"result": {"headers": {H_ID: client_id, H_SIG: Quoted(sig), H_TS: Quoted(timestamp)}}}, stages,
               core005)
    AUDIT.append((v["id"], PUBLIC_OF[key], body.encode("utf-8"), base64_decode(sig), True))
    return sig


def sign_err(g, name, description, code, reqs, flags=(), *, key_pem=None, key="a8", client_id=CLIENT_A,
             method="POST", path=DEFAULT_PATH, headers=None, body=DEFAULT_BODY, timestamp=SIGN_TS, provenance=None,
             res=None, core005=False) -> None:
    """A negative sign case: the declared refusal code (checked against this script's reading); no stages."""
    description, flags = mark(description, flags, res)
    assert code in SIGN_CODES, code
    text = pem(key) if key_pem is None else key_pem
    # The first failing check in the signer's order must be the declared one.
    if not client_id_ok(client_id):
        first = "api-key-invalid"
    elif key_pem is not None:
        first = "key-invalid"  # every hand-made PEM in this corpus is unusable
    elif key in UNUSABLE:
        first = "key-invalid"
    elif key_bits(key) < 2048:
        first = "key-too-small"
    elif parse_ts(timestamp) is None:
        first = "timestamp-invalid"
    elif not body_ok(body):
        first = "body-invalid"
    else:
        first = None
    assert first == code, f"{name}: declared {code}, this script's reading gives {first}"
    vector(g, name, description, reqs, provenance or computed(), ["refusal", *flags], "sign",
           sign_input(client_id, text, method, path, default_headers(body) if headers is None else headers, body,
                      timestamp),
           {"error": {"code": code}}, [], core005)


def base64_decode(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


# Verify defaults.
SERVER_TIME = "2025-06-02T12:34:56.789Z"
T0 = parse_ts(SERVER_TIME)
VERIFY_TS = "2025-06-02T12:34:50Z"
REMOTE = "203.0.113.7"
ALLOWED = ["203.0.113.7", "198.51.100.0/24", "2001:db8::/32"]
EXPIRES = "2026-06-02T00:00:00Z"


def client(client_id=CLIENT_A, public="a-spki", expires_at=EXPIRES, allowed_ips=None) -> dict:
    return {"client_id": client_id, "public_key_pem": Block(pem(public)),
            "expires_at": None if expires_at is None else Quoted(expires_at),
            "allowed_ips": [Quoted(a) for a in (ALLOWED if allowed_ips is None else allowed_ips)]}


SIGNER_OF = {"a-spki": "a8", "a-pub1": "a8", "b-spki": "b1", "c-spki": "c8", "d-spki": "d8", "x-spki": "x8"}


def verify_case(g, name, description, reqs, flags=(), *, clients=None, client_id=CLIENT_A, body=DEFAULT_BODY,
                timestamp=VERIFY_TS, server_time=SERVER_TIME, remote=REMOTE, sig=None, signer=None,
                path=DEFAULT_PATH, names=(H_ID, H_SIG, H_TS), omit=(), empty=(), options=None, accepted=None,
                headers_extra=None, error=None, missing=None, with_stages=None, provenance=None, res=None) -> str:
    """A verify case. The body is signed here with the registered client's key (or `signer`), unless `sig` gives
    the signature header verbatim.

    `error` is the declared rejection; this function re-derives the first failing check from its own reading of
    the rules and aborts on disagreement. Returns the signature header used.
    """
    description, flags = mark(description, flags, res)
    if "check-order" in flags:
        reqs = {*reqs, "KV5-020"}
    clients = [client()] if clients is None else clients
    entry = next((c for c in clients if c["client_id"] == client_id), None)
    # A registered key may carry whitespace around its PEM text ("Private key", applied to public keys).
    public = next(k for k, v in KEY_FILES.items()
                  if entry and pem(k).strip(" \t\r\n") == str(entry["public_key_pem"]).strip(" \t\r\n")) \
        if entry else "a-spki"
    signer = signer or SIGNER_OF[public]
    if sig is None:
        sig = signature(signer, body)
    # RSASSA-PKCS1-v1_5 is deterministic: the one valid signature of the body is the registered key's.
    sig_valid = sig == signature(SIGNER_OF[public], body)
    headers = {}
    values = {H_ID: client_id, H_SIG: Quoted(sig), H_TS: Quoted(timestamp)}
    for canonical, wire in zip((H_ID, H_SIG, H_TS), names):
        if canonical in omit:
            continue
        headers[wire] = "" if canonical in empty else values[canonical]
    if body:
        headers["Content-Type"] = "application/json"
    headers.update(headers_extra or {})
    inp = {"clients": clients}
    if options is not None:
        inp["options"] = options
    if accepted is not None:
        inp["accepted_signatures"] = [{"client_id": c, "signature": Quoted(s), "at": Quoted(at)}
                                      for c, s, at in accepted]
    inp["server_time"] = Quoted(server_time)
    inp["remote_addr"] = Quoted(remote)
    inp["request"] = {"method": "POST", "path": path, "headers": headers, "body": body}

    # This script's reading of the check order.
    first, which = None, None
    now = parse_ts(server_time)
    ts = parse_ts(timestamp)
    for canonical in (H_ID, H_SIG, H_TS):
        if canonical in omit or canonical in empty or values[canonical] == "":
            first, which = "header-missing", canonical
            break
    if first is None:
        decoded = None
        try:
            decoded = base64_decode(sig)
            if b64(decoded) != sig:
                decoded = None
        except ValueError:
            decoded = None
        if ts is None:
            first = "timestamp-invalid"
        elif ts < now - WINDOW:
            first = "timestamp-stale"
        elif ts > now + WINDOW:
            first = "timestamp-future"
        elif entry is None:
            first = "key-unknown"
        elif entry["expires_at"] is not None and now >= parse_ts(entry["expires_at"]):
            first = "key-expired"
        elif not ip_allowed(remote, entry["allowed_ips"]):
            first = "ip-not-allowed"
        elif not body_ok(body):
            first = "body-invalid"
        elif decoded is None or len(decoded) != key_bytes(public):
            first = "signature-malformed"
        elif not sig_valid:
            first = "signature-mismatch"
        elif (options or {}).get("replay_cache") and any(
                c == client_id and base64_decode(s) == decoded and now <= parse_ts(at) + CACHE_LIFETIME
                for c, s, at in accepted or []):
            first = "request-replayed"
    assert first == error, f"{name}: declared {error}, this script's reading gives {first}"
    assert which == missing, f"{name}: missing header {which}, declared {missing}"

    stages = []
    if entry is not None and body_ok(body):
        digest, digest_info, em = emsa_pkcs1_v15(body.encode("utf-8"), key_bytes(public))
        computed_stages = [{"name": n, "value": v}
                           for n, v in zip(VERIFY_STAGES, [body, digest.hex(), digest_info.hex(), em.hex()])]
    if error is None:
        expected = {"result": {"client_id": client_id}}
        stages = computed_stages
        reqs = set(reqs) | {"KV5-020"}
    else:
        status, text = (400, MISSING[which]) if error == "header-missing" else ANSWERS[error]
        expected = {"error": {"code": error, "response": {"status": status, "content_type": "text/plain",
                                                          "body": text}}}
        if with_stages or error == "signature-mismatch":
            stages = computed_stages
        reqs = set(reqs) | {"KV5-031"}
        flags = ["rejection", *flags]
    v = vector(g, name, description, reqs, provenance or computed(), flags, "verify", inp, expected, stages)
    try:
        raw = base64_decode(sig)
    except ValueError:
        raw = None
    if raw is not None and b64(raw) == sig and entry is not None and len(raw) == key_bytes(public):
        AUDIT.append((v["id"], public, body.encode("utf-8"), raw, bool(sig_valid)))
    return sig


def at_offset(seconds) -> Fraction:
    return T0 + Fraction(seconds)


def json_body_of_length(total: int, prefix: str = '{"pad":"') -> str:
    """A JSON object body of exactly `total` UTF-8 bytes: {"pad":"0123..."}."""
    pad = total - len(prefix) - 2
    assert pad >= 0, total
    body = prefix + ("0123456789" * (pad // 10 + 1))[:pad] + '"}'
    assert len(body.encode("utf-8")) == total and body_ok(body)
    return body


# ---------------------------------------------------------------------------------------------------------------
# signing.yaml: the computation across key formats and sizes, bodies and timestamp forms.

def signing() -> None:
    g = "signing"
    group(g, "Signing: RSASSA-PKCS1-v1_5 with SHA-256 over the body exactly as sent, across PKCS#8 and PKCS#1 keys "
             "of 2048, 3072 and 4096 bits, empty, Unicode, formatted and large bodies, and every RFC 3339 timestamp "
             "form (sent as given, never signed).")
    fmt = ["KV5-003"]
    s8 = sign_ok(g, "pkcs8-2048", "A 2048-bit PKCS#8 key (BEGIN PRIVATE KEY, as openssl genrsa writes it) signs a "
                                  "JSON body; k = 256 bytes, 344 base64 characters.",
                 [*fmt, "KV5-004", "KV5-009"], ["rsa-key-format", "json-body"], key="a8", res="padding")
    s1 = sign_ok(g, "pkcs1-2048-same-key", "The same key material as PKCS#1 (BEGIN RSA PRIVATE KEY) gives the same "
                                           "signature: the format does not change the key.",
                 [*fmt, "KV5-004"], ["rsa-key-format"], key="a1")
    assert s8 == s1 and len(s8) == 344
    sign_ok(g, "pkcs1-2048-genrsa-traditional", "Another 2048-bit key, written by openssl genrsa -traditional "
                                                "(PKCS#1).",
            [*fmt, "KV5-004"], ["rsa-key-format"], key="b1")
    s3 = sign_ok(g, "rsa-3072", "A 3072-bit PKCS#8 key: k = 384 bytes, the signature is 512 base64 characters.",
                 [*fmt, "KV5-004"], ["rsa-key-size"], key="c8")
    s4 = sign_ok(g, "rsa-4096", "A 4096-bit PKCS#8 key: k = 512 bytes, the signature is 684 base64 characters.",
                 [*fmt, "KV5-004"], ["rsa-key-size"], key="d8")
    assert len(s3) == 512 and len(s4) == 684
    e8 = sign_ok(g, "empty-body", "An empty body signs the empty byte string (SHA-256 e3b0c442...); no "
                                  "Content-Type.",
                 ["KV5-009"], ["empty-body"], body="", res="empty-body")
    e1 = sign_ok(g, "empty-body-pkcs1", "The empty body with the same key as PKCS#1: the same signature.",
                 ["KV5-003", "KV5-009"], ["empty-body", "rsa-key-format"], key="a1", body="", res="empty-body")
    assert e8 == e1
    sign_ok(g, "empty-body-4096", "The empty body with a 4096-bit key: a 512-byte signature of the empty string.",
            ["KV5-004", "KV5-009"], ["empty-body", "rsa-key-size"], key="d8", body="", res="empty-body")
    raw = sign_ok(g, "unicode-raw", "Raw non-ASCII characters (2-, 3- and 4-byte UTF-8) are signed as their UTF-8 "
                                    "bytes.",
                  ["KV5-009"], ["unicode", "json-body"], body='{"note":"caf\u00e9 \u2013 \u6f22\u5b57 \U0001f680"}')
    esc = sign_ok(g, "unicode-escaped", "The same text written with \\u escapes is other bytes: another signature "
                                        "(no unescaping before signing).",
                  [], ["unicode", "json-body"], body='{"note":"caf\\u00e9 \\u2013 \\u6f22\\u5b57 \\ud83d\\ude80"}',
                  core005=True)
    nfd = sign_ok(g, "unicode-decomposed", "'cafe' + U+0301 (decomposed) is signed as sent; NFC would differ.",
                  [], ["unicode", "json-body"], body='{"note":"cafe\u0301"}', core005=True)
    assert len({raw, esc, nfd}) == 3
    pretty = '{\n  "pair": "XBTUSD",\n  "side": "buy"\n}\n'
    minified = '{"pair":"XBTUSD","side":"buy"}'
    a = sign_ok(g, "whitespace-pretty-printed", "A pretty-printed body with a trailing newline is signed as sent, "
                                                "never minified.",
                [], ["whitespace", "json-body"], body=pretty, core005=True, res="signed-bytes")
    b = sign_ok(g, "whitespace-minified", "The minified form of the previous body: other bytes, another signature.",
                [], ["whitespace", "json-body"], body=minified)
    c = sign_ok(g, "whitespace-outside-value", "Spaces before and after the JSON value, CR LF and tabs inside: all "
                                               "kept.",
                [], ["whitespace", "json-body"], body='  {\r\n\t"pair": "XBTUSD",\r\n\t"side": "buy"\r\n}  ',
                core005=True)
    d = sign_ok(g, "member-order-kept", "The members in another order: signed as sent, no canonical ordering.",
                [], ["json-body"], body='{"side":"buy","pair":"XBTUSD"}', core005=True)
    assert len({a, b, c, d}) == 4
    for name, body, desc in [
        ("json-spec-whitespace-example", ' { "a" : [1, 2.5e3, null] } ', "The spec's example: leading and trailing "
                                                                      "spaces are part of a JSON text."),
        ("json-duplicate-names", '{"amount":1,"amount":2}', "Duplicate member names: the RFC 8259 grammar allows "
                                                             "them, the body is valid."),
        ("json-nested-64-levels", "[" * 64 + "]" * 64, "Arrays nested 64 levels deep, the depth every "
                                                       "implementation must accept."),
        ("json-huge-numbers", '{"amount":1e400,"id":123456789012345678901234567890123456789,"tiny":-0.0e-400}',
         "Numbers beyond any binary type (1e400, a 39-digit integer): the grammar sets no limit."),
        ("json-array", '[{"pair":"XBTUSD"},1,"two",true,null]', "A JSON array is a JSON text: signed."),
        ("json-null", "null", "The JSON text null is a valid body."),
        ("json-string", '"authspec"', "A lone JSON string is a JSON text: signed."),
        ("json-number", "0.01", "A lone JSON number is a JSON text: signed."),
    ]:
        sign_ok(g, name, desc, ["KV5-009"], ["json-body"], body=body, res="body")
    for total in (55, 56, 64, 119, 120, 128, 1000, 4096):
        what = "a SHA-256 padding/block boundary" if total < 1000 else "many SHA-256 blocks"
        sign_ok(g, f"body-{total}-bytes", f"A {total}-byte body: {what}.",
                [], ["block-boundary", "json-body"], body=json_body_of_length(total))
    # The timestamp is not signed: every form below gives the same signature over the same body.
    body = '{"pair":"XBTUSD","side":"sell","amount":"0.5"}'
    sigs = set()
    for name, ts, desc, flags in [
        ("timestamp-z", "2025-06-02T12:34:56Z", "A UTC timestamp with 'Z'.", []),
        ("timestamp-plus-zero-offset", "2025-06-02T12:34:56+00:00", "'+00:00' is sent as given, not rewritten "
                                                                    "as 'Z'.", []),
        ("timestamp-minus-zero-offset", "2025-06-02T12:34:56-00:00", "'-00:00' (RFC 3339: offset unknown) is sent "
                                                                     "as given.", []),
        ("timestamp-negative-offset", "2025-06-02T07:34:56-05:00", "A '-05:00' offset is sent as given.", []),
        ("timestamp-half-hour-offset", "2025-06-02T18:04:56+05:30", "A '+05:30' offset.", []),
        ("timestamp-fraction-1-digit", "2025-06-02T12:34:56.5Z", "One fraction digit.", []),
        ("timestamp-fraction-9-digits", "2025-06-02T12:34:56.123456789Z", "Nine fraction digits.", []),
        ("timestamp-fraction-12-digits", "2025-06-02T12:34:56.123456789012Z", "Twelve fraction digits: RFC 3339 "
                                                                            "sets no limit.", []),
        ("timestamp-fraction-zeros", "2025-06-02T12:34:56.000Z", "A fraction of zeros is kept, not dropped.", []),
        ("timestamp-lowercase-t", "2025-06-02t12:34:56Z", "A lowercase 't' is valid RFC 3339 and sent as given.",
         []),
        ("timestamp-lowercase-z", "2025-06-02T12:34:56z", "A lowercase 'z' is valid and sent as given.", []),
        ("timestamp-lowercase-t-and-z", "2025-06-02t12:34:56.789z", "Both lowercase, with a fraction.", []),
        ("timestamp-leap-day", "2024-02-29T23:59:59Z", "29 February of a leap year.", []),
        ("timestamp-leap-second", "2016-12-31T23:59:60Z", "A real leap second (second 60).", []),
        ("timestamp-second-60-any-time", "2025-06-02T12:34:60.5Z", "Second 60 at a time that was no leap second: "
                                                                   "the grammar accepts it at any time of day (R7).",
         []),
        ("timestamp-far-past", "1970-01-01T00:00:00Z", "The epoch: a signer has no clock and no window.", []),
        ("timestamp-far-future", "9999-12-31T23:59:59.999Z", "The last representable second: the signer does "
                                                             "not judge the window.", []),
    ]:
        r7 = "lowercase" in name or "second-60" in name or "leap-second" in name or "12-digits" in name
        sigs.add(sign_ok(g, name, desc + " The signature does not depend on it.", [], ["timestamp-syntax", *flags],
                         body=body, timestamp=ts, core005=True, res="syntax" if r7 else None))
    assert len(sigs) == 1
    # Method, path, request headers and client id are not signed either.
    for name, method, path, client_id, headers, desc, flags in [
        ("method-and-path-unsigned", "GET", "/api/v2/balances?asset=BTC", CLIENT_A, {},
         "A GET to another path with a query: method and path are not signed, same signature.",
         ["method-unsigned"]),
        ("delete-unsigned", "DELETE", "/", CLIENT_A, JSON_HEADERS, "DELETE /: the same signature.",
         ["method-unsigned"]),
        ("client-id-visible-ascii-bounds", "POST", DEFAULT_PATH, "!authspec~", JSON_HEADERS,
         "A client id using '!' (0x21) and '~' (0x7E), the bounds of visible ASCII, is sent as registered; it is "
         "not signed.", ["api-key"]),
        ("client-id-uuid", "POST", DEFAULT_PATH, "0b6d3a4e-8f5c-4a57-9c0e-6f1d2b7a9e31", JSON_HEADERS,
         "A UUID client id: sent unchanged, the same signature.", ["api-key"]),
        ("request-headers-unsigned", "POST", DEFAULT_PATH, CLIENT_A,
         {"Content-Type": "text/plain", "X-Request-ID": "authspec-1"},
         "Unrelated request headers (even a Content-Type that is not JSON) are not signed.", ["content-type"]),
    ]:
        sigs.add(sign_ok(g, name, desc, ["KV5-002"] if "api-key" in flags else [], flags, method=method, path=path,
                         client_id=client_id, headers=headers, body=body, res="signed-bytes"))
    assert len(sigs) == 1
    # PEM texts that are valid in other layouts: the same key, the same signature.
    a8 = pem("a8")
    lines = a8.splitlines()
    der_b64 = "".join(lines[1:-1])
    for name, text, desc in [
        ("key-pem-crlf", a8.replace("\n", "\r\n"), "The PKCS#8 key with CR LF line breaks."),
        ("key-pem-one-line-body", "\n".join([lines[0], der_b64, lines[-1]]) + "\n",
         "The base64 body on one line: the line width is free."),
        ("key-pem-76-columns", "\n".join([lines[0]] + [der_b64[i:i + 76] for i in range(0, len(der_b64), 76)]
                                         + [lines[-1]]) + "\n", "The base64 body wrapped at 76 columns."),
        ("key-pem-surrounding-whitespace", " \n" + a8 + "\n\t\n", "Whitespace before and after the block."),
        ("key-pem-no-final-newline", a8.rstrip("\n"), "No line break after the END line."),
    ]:
        sigs.add(sign_ok(g, name, desc + " The same key and signature as the 64-column LF form.", ["KV5-003"],
                         ["rsa-key-format"], key_pem=text, body=body, res="keys"))
    assert len(sigs) == 1
    lz = sign_ok(g, "signature-leading-zero-byte",
                 "A body whose signature integer is below 256^255: I2OSP keeps the leading zero byte, the header is "
                 "still 256 bytes (344 characters, starting 'AA').", [], ["signature-encoding"], body=LEADING_ZERO_BODY)
    assert base64_decode(lz)[0] == 0 and len(base64_decode(lz)) == 256


LEADING_ZERO_BODY = '{"reference":"authspec-leading-zero-207"}'  # found by search: its signature's first byte is 0


# ---------------------------------------------------------------------------------------------------------------
# refusals.yaml: every sign-side refusal and the refusal order.

def broken_pems() -> list:
    a8 = pem("a8")
    lines = a8.splitlines(keepends=True)
    body_lines = lines[1:-1]
    der = base64.b64decode("".join(x.strip() for x in body_lines))
    rnd = hashlib.shake_256(b"authspec kraken-v5 test garbage DER").digest(len(der))
    rnd_b64 = b64(rnd)
    garbage_der = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(
        rnd_b64[i:i + 64] for i in range(0, len(rnd_b64), 64)) + "\n-----END PRIVATE KEY-----\n"
    # PKCS#1 DER of key a inside a PKCS#8 label and the other way round.
    a1 = pem("a1")
    a1_body = "".join(a1.splitlines(keepends=True)[1:-1])
    a8_body = "".join(body_lines)
    noncanon = body_lines[-1].rstrip("\n")
    assert noncanon.endswith("==")
    noncanon = noncanon[:-3] + chr(ord(noncanon[-3]) + 1) + "=="  # non-zero spare bits: not canonical
    assert base64.b64decode(noncanon) == base64.b64decode(body_lines[-1].strip())
    trailing = b64(der + b"\x00\x00")
    return [
        ("key-garbage-text", "not a PEM key at all\n", "Text that is not PEM."),
        ("key-pem-explanatory-text", "Bag Attributes\n    localKeyID: 01 00 00 00\nKey Attributes: <No Attributes>\n"
         + a8, "Explanatory text before the block (as openssl pkcs12 writes it)."),
        ("key-pem-two-blocks", a8 + a8, "Two blocks: exactly one is allowed."),
        ("key-pem-space-in-line", lines[0] + body_lines[0][:32] + " " + body_lines[0][32:] + "".join(body_lines[1:])
         + lines[-1], "A space inside a base64 line."),
        ("key-pem-non-canonical-base64", "".join(lines[:-2]) + noncanon + "\n" + lines[-1],
         "The last base64 character with non-zero spare bits: the same DER to a lenient decoder, not canonical."),
        ("key-pem-der-trailing-bytes", "-----BEGIN PRIVATE KEY-----\n" + "\n".join(
            trailing[i:i + 64] for i in range(0, len(trailing), 64)) + "\n-----END PRIVATE KEY-----\n",
         "Two zero bytes after the DER structure."),
        ("key-pem-mismatched-labels", lines[0] + "".join(body_lines) + "-----END RSA PRIVATE KEY-----\n",
         "BEGIN PRIVATE KEY closed by END RSA PRIVATE KEY."),
        ("key-empty", "", "An empty key."),
        ("key-pem-garbage-der", garbage_der, "The PKCS#8 label around base64 of random bytes (not DER)."),
        ("key-pem-truncated-base64", "".join(lines[:1] + body_lines[:12] + lines[-1:]),
         "The PEM cut after 12 of its base64 lines, END line kept: truncated DER."),
        ("key-pem-truncated-file", "".join(lines[:14]), "The PEM cut after 13 base64 lines, no END line."),
        ("key-pem-no-body", lines[0] + lines[-1], "BEGIN and END lines with nothing between."),
        ("key-pem-invalid-base64", lines[0] + body_lines[0][:20] + "*" + body_lines[0][21:] +
         "".join(body_lines[1:]) + lines[-1], "A '*' inside the base64 body."),
        ("key-pkcs1-der-under-pkcs8-label", "-----BEGIN PRIVATE KEY-----\n" + a1_body + "-----END PRIVATE KEY-----\n",
         "PKCS#1 DER inside a PKCS#8 label: the label and the structure disagree."),
        ("key-pkcs8-der-under-pkcs1-label", "-----BEGIN RSA PRIVATE KEY-----\n" + a8_body +
         "-----END RSA PRIVATE KEY-----\n", "PKCS#8 DER inside a PKCS#1 label."),
    ]


def refusals() -> None:
    g = "refusals"
    group(g, "Sign-side refusals: no signature is produced. One code per vector; multi-defect inputs pin the "
             "order api-key-invalid, key-invalid, key-too-small, timestamp-invalid, body-invalid.")
    for name, cid, desc, rep in [
        ("client-id-empty", "", "An empty client id.", False),
        ("client-id-crlf-injection", CLIENT_A + "\r\nX-Injected: 1", "CR LF in the client id (header injection).",
         True),
        ("client-id-inner-space", "authspec test client", "A space (0x20) is not visible ASCII.", False),
        ("client-id-trailing-tab", CLIENT_A + "\t", "A trailing tab (a lenient signer would trim it).", True),
        ("client-id-del", CLIENT_A + "\x7f", "DEL (0x7F) is outside 0x21..0x7E.", False),
        ("client-id-nul", CLIENT_A + "\x00", "A NUL byte.", False),
        ("client-id-non-ascii", "authspec-cli\u00e9nt", "A non-ASCII character (U+00E9).", False),
    ]:
        sign_err(g, name, desc + " Refused: api-key-invalid.", "api-key-invalid", ["KV5-002"], ["api-key"],
                 client_id=cid, core005=rep)
    for name, text, desc in broken_pems():
        sign_err(g, name, desc + " Refused: key-invalid.", "key-invalid", ["KV5-003"], ["malformed-key"],
                 key_pem=text, res="keys")
    for name, key, desc in [
        ("key-encrypted-pkcs8", "a8-enc", "An encrypted PKCS#8 key (BEGIN ENCRYPTED PRIVATE KEY, openssl pkcs8 "
                                          "-topk8 -v2 aes-256-cbc); no passphrase is ever asked for."),
        ("key-encrypted-pkcs1", "a1-enc", "A PKCS#1 key encrypted the traditional way (Proc-Type: 4,ENCRYPTED "
                                          "and DEK-Info headers)."),
        ("key-ec-p256", "ec", "An EC P-256 key in PKCS#8 (BEGIN PRIVATE KEY, but not RSA)."),
        ("key-ec-p256-sec1", "ec-sec1", "The same EC key as SEC 1 (BEGIN EC PRIVATE KEY)."),
        ("key-rsa-pss-pkcs8", "pss", "A 2048-bit RSA key restricted to PSS (PKCS#8 with id-RSASSA-PSS, openssl "
                                     "genpkey -algorithm RSA-PSS): this scheme signs PKCS#1 v1.5 (R8)."),
        ("key-public-spki-as-private", "a-spki", "A public key (BEGIN PUBLIC KEY) given as the private key."),
        ("key-public-pkcs1-as-private", "a-pub1", "A PKCS#1 public key (BEGIN RSA PUBLIC KEY) given as the "
                                                  "private key."),
    ]:
        sign_err(g, name, desc + " Refused: key-invalid.", "key-invalid", ["KV5-003"], ["malformed-key"], key=key,
                 res="keys" if "encrypted" in name or "pss" in name else None)
    for name, key, desc in [
        ("key-2047-bits", "r2047", "A 2047-bit modulus (openssl genrsa 2047): one bit short; its k is still 256 "
                                   "bytes, so a byte-length check is not enough."),
        ("key-1024-bits", "r1024", "A 1024-bit key."),
        ("key-512-bits", "r512", "A 512-bit key (below the minimum some RSA libraries parse at all: still "
                                 "key-too-small, a well-formed RSA key)."),
    ]:
        sign_err(g, name, desc + " Refused: key-too-small.", "key-too-small", ["KV5-004"], ["weak-key"], key=key,
                 res="bits" if key == "r2047" else None)
    for name, ts, desc, rep in [
        ("timestamp-no-offset", "2025-06-02T12:34:56", "No offset: RFC 3339 requires 'Z' or +-hh:mm (a lenient "
                                                       "signer would assume UTC).", True),
        ("timestamp-space-separator", "2025-06-02 12:34:56Z", "A space instead of 'T'.", True),
        ("timestamp-month-13", "2025-13-01T12:34:56Z", "Month 13.", False),
        ("timestamp-day-32", "2025-01-32T12:34:56Z", "Day 32.", False),
        ("timestamp-february-30", "2024-02-30T12:34:56Z", "30 February.", False),
        ("timestamp-february-29-common-year", "2025-02-29T12:34:56Z", "29 February of a common year.", False),
        ("timestamp-hour-24", "2025-06-02T24:00:00Z", "Hour 24.", False),
        ("timestamp-minute-60", "2025-06-02T12:60:00Z", "Minute 60.", False),
        ("timestamp-second-61", "2025-06-02T23:59:61Z", "Second 61.", False),
        ("timestamp-offset-without-colon", "2025-06-02T12:34:56+0000", "'+0000' (ISO 8601 basic, not RFC 3339).",
         True),
        ("timestamp-offset-hours-only", "2025-06-02T12:34:56+05", "'+05' without minutes.", True),
        ("timestamp-offset-hour-24", "2025-06-02T12:34:56+24:00", "Offset hour 24.", False),
        ("timestamp-fraction-without-digits", "2025-06-02T12:34:56.Z", "A '.' with no digit.", False),
        ("timestamp-fraction-comma", "2025-06-02T12:34:56,789Z", "A comma as the decimal sign.", True),
        ("timestamp-no-seconds", "2025-06-02T12:34Z", "No seconds.", False),
        ("timestamp-unix-seconds", "1748867696", "Unix seconds.", True),
        ("timestamp-unix-milliseconds", "1748867696789", "Unix milliseconds.", True),
        ("timestamp-date-only", "2025-06-02", "A date without a time.", False),
        ("timestamp-trailing-newline", "2025-06-02T12:34:56Z\n", "A trailing newline.", True),
        ("timestamp-leading-space", " 2025-06-02T12:34:56Z", "A leading space.", True),
        ("timestamp-two-digit-year", "25-06-02T12:34:56Z", "A two-digit year.", False),
        ("timestamp-arabic-indic-digits", "\u0662\u0660\u0662\u0665-06-02T12:34:56Z", "Arabic-Indic digits in the "
                                                                                     "year.", False),
        ("timestamp-rfc-1123", "Mon, 02 Jun 2025 12:34:56 GMT", "An HTTP date (RFC 1123).", True),
        ("timestamp-empty", "", "An empty timestamp.", False),
    ]:
        flags = ["timestamp-syntax"] + (["unicode"] if "arabic" in name else []) + \
            (["whitespace"] if "newline" in name or "space" in name else [])
        sign_err(g, name, desc + " Refused: timestamp-invalid.", "timestamp-invalid", ["KV5-005"], flags,
                 timestamp=ts, core005=rep, res="syntax")
    for name, body, desc, flags, rep in [
        ("body-form-urlencoded", "pair=XBTUSD&side=buy", "A form body, even with a form Content-Type: not JSON.",
         ["content-type"], True),
        ("body-trailing-garbage", '{"pair":"XBTUSD"} x', "A JSON object followed by garbage.",
         ["lenient-json-trap"], True),
        ("body-two-objects", '{"pair":"XBTUSD"}{"side":"buy"}', "Two concatenated objects.",
         ["lenient-json-trap"], True),
        ("body-nan", '{"amount":NaN}', "NaN is not JSON.", ["lenient-json-trap"], False),
        ("body-single-quotes", "{'pair':'XBTUSD'}", "Single-quoted strings.", ["lenient-json-trap"], False),
        ("body-trailing-comma", '{"pair":"XBTUSD",}', "A trailing comma.", ["lenient-json-trap"], False),
        ("body-whitespace-only", " \n", "Whitespace only: not empty, and not a JSON text.", ["whitespace"], False),
        ("body-raw-newline-in-string", '{"note":"a\nb"}', "A raw line feed inside a string (must be escaped).",
         ["lenient-json-trap"], False),
        ("body-leading-zero-number", '{"amount":01}', "A number with a leading zero.", ["lenient-json-trap"], False),
        ("body-plain-text", "hello", "Plain text.", [], False),
        ("body-byte-order-mark", "\ufeff{}", "A byte order mark before '{}' (RFC 8259 section 8.1: not part of a "
                                              "JSON text).", ["unicode", "lenient-json-trap"], False),
    ]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"} if "form" in name else None
        sign_err(g, name, desc + " Refused: body-invalid.", "body-invalid", ["KV5-009"], flags, body=body,
                 headers=headers, res="body", core005=rep)
    for name, kw, code, desc in [
        ("order-client-id-before-key", dict(client_id="", key_pem="garbage"), "api-key-invalid",
         "An empty client id and a garbage key: api-key-invalid."),
        ("order-key-invalid-before-timestamp", dict(key="ec", timestamp="yesterday"), "key-invalid",
         "An EC key and a bad timestamp: key-invalid."),
        ("order-key-too-small-before-timestamp", dict(key="r1024", timestamp="2025-06-02"), "key-too-small",
         "A 1024-bit key and a bad timestamp: key-too-small."),
        ("order-key-too-small-before-body", dict(key="r2047", body="not json"), "key-too-small",
         "A 2047-bit key and a non-JSON body: key-too-small."),
        ("order-timestamp-before-body", dict(timestamp="2025-06-02T12:34:56", body="pair=XBTUSD"),
         "timestamp-invalid", "A timestamp without offset and a form body: timestamp-invalid."),
        ("order-key-invalid-before-body", dict(key="a8-enc", body="{"), "key-invalid",
         "An encrypted key and a truncated JSON body: key-invalid."),
    ]:
        reqs = {"api-key-invalid": ["KV5-002"], "key-invalid": ["KV5-003"], "key-too-small": ["KV5-004"],
                "timestamp-invalid": ["KV5-005"]}[code]
        sign_err(g, name, desc, code, reqs, ["check-order"], **kw)


# ---------------------------------------------------------------------------------------------------------------
# verify.yaml: acceptances and every rejection path in the fixed check order.

def flip_last_bit(text: str) -> str:
    raw = bytearray(base64_decode(text))
    raw[-1] ^= 1
    return b64(bytes(raw))


def verify() -> None:
    g = "verify"
    group(g, "The verifier: acceptances and every rejection path in the fixed check order, each with its exact "
             "text/plain answer and status (400 for missing headers and bad timestamp syntax, 401 otherwise).")
    sig_reqs = ["KV5-006", "KV5-007", "KV5-008"]
    verify_case(g, "accept-spki-2048", "A correctly signed request, public key registered as SPKI (BEGIN PUBLIC "
                                       "KEY): accepted; the result names the client.",
                [*sig_reqs, "KV5-001", "KV5-009"], ["json-body"], res="padding")
    verify_case(g, "accept-pkcs1-public-key", "The public key registered as PKCS#1 (BEGIN RSA PUBLIC KEY).",
                sig_reqs, ["rsa-key-format"], clients=[client(public="a-pub1")])
    padded = client()
    padded["public_key_pem"] = Quoted("  \t\n" + pem("a-spki") + " \n")
    verify_case(g, "accept-public-key-surrounding-whitespace", "The public key registered with spaces, a tab and "
                                                              "line feeds around its PEM block, which a PEM text "
                                                              "may carry (\"Private key\", applied by \"Registry\" "
                                                              "to public keys): accepted.",
                sig_reqs, ["whitespace", "rsa-key-format"], clients=[padded])
    verify_case(g, "accept-3072", "A 3072-bit key: a 384-byte signature (512 base64 characters).", sig_reqs,
                ["rsa-key-size"], clients=[client(public="c-spki")])
    verify_case(g, "accept-4096", "A 4096-bit key: a 512-byte signature (684 base64 characters).", sig_reqs,
                ["rsa-key-size"], clients=[client(public="d-spki")])
    two = [client(), client(CLIENT_B, "b-spki")]
    verify_case(g, "accept-second-client", "Two registered clients: the key of the one named in X-Client-ID is "
                                           "used.", ["KV5-025", *sig_reqs], [], clients=two, client_id=CLIENT_B)
    verify_case(g, "accept-empty-body", "An empty body (no Content-Type) with the signature of the empty string.",
                [*sig_reqs, "KV5-009"], ["empty-body"], body="", res="empty-body")
    verify_case(g, "accept-unicode-body", "A body with raw non-ASCII characters, verified over its UTF-8 bytes.",
                sig_reqs, ["unicode"], body='{"note":"caf\u00e9 \u6f22\u5b57 \U0001f680"}')
    verify_case(g, "accept-pretty-printed-body", "A pretty-printed body, verified over the bytes received.",
                sig_reqs, ["whitespace"], body='{\n  "pair": "XBTUSD",\n  "side": "buy"\n}\n', res="signed-bytes")
    verify_case(g, "accept-json-array-body", "A JSON array body is valid.", [*sig_reqs, "KV5-009"], ["json-body"],
                body='[{"pair":"XBTUSD"},{"pair":"ETHUSD"}]', res="body")
    verify_case(g, "accept-duplicate-member-names", "Duplicate member names are valid JSON text.",
                [*sig_reqs, "KV5-009"], ["json-body"], body='{"amount":1,"amount":2}', res="body")
    verify_case(g, "accept-signature-leading-zero-byte", "A signature whose first byte is zero, sent as all 256 "
                                                         "bytes.", sig_reqs, ["signature-encoding"],
                body=LEADING_ZERO_BODY)
    verify_case(g, "accept-lowercase-header-names", "Header names in lowercase: HTTP header names are "
                                                    "case-insensitive.",
                ["KV5-021"], ["header-case"], names=("x-client-id", "x-client-signature", "x-client-timestamp"),
                res="headers")
    verify_case(g, "accept-timestamp-offset", "A timestamp with a '-05:00' offset is compared as an instant.",
                ["KV5-022", "KV5-023"], ["timestamp-syntax"], timestamp="2025-06-02T07:34:50-05:00")
    verify_case(g, "accept-timestamp-lowercase", "Lowercase 't' and 'z' are RFC 3339.", ["KV5-022"],
                ["timestamp-syntax"], timestamp="2025-06-02t12:34:50.5z", res="syntax")
    # Key expiry.
    verify_case(g, "accept-expires-null", "expires_at null: the key never expires.", ["KV5-026"], ["key-expiry"],
                clients=[client(expires_at=None)])
    verify_case(g, "accept-expires-1ms-later", "The server's clock 1 ms before expires_at: not yet expired.",
                ["KV5-026"], ["key-expiry"], clients=[client(expires_at=fmt_ts(at_offset(Fraction(1, 1000))))],
                res="expiry")
    verify_case(g, "reject-expired-exactly-now", "The server's clock exactly at expires_at: expired.",
                ["KV5-026"], ["key-expiry"], clients=[client(expires_at=SERVER_TIME)], error="key-expired",
                res="expiry")
    verify_case(g, "reject-expired-offset-form", "expires_at written with a '+02:00' offset, the same instant as "
                                                 "the server's clock: expired.",
                ["KV5-026"], ["key-expiry"], clients=[client(expires_at=fmt_ts(T0, offset_min=120))],
                error="key-expired")
    verify_case(g, "reject-expired-last-year", "A key that expired a year ago.", ["KV5-026"], ["key-expiry"],
                clients=[client(expires_at="2024-06-02T00:00:00Z")], error="key-expired")
    # IP allowlist.
    for name, remote, allowed, ok, desc, res in [
        ("ip-exact-v4", "203.0.113.7", ["203.0.113.7"], True, "The remote address equals an IPv4 entry.", None),
        ("ip-cidr-v4", "198.51.100.200", ["203.0.113.7", "198.51.100.0/24"], True, "Inside an IPv4 /24.", None),
        ("ip-cidr-v4-network-address", "198.51.100.0", ["198.51.100.0/24"], True, "The network address of the "
                                                                                  "range is inside it.", None),
        ("ip-exact-v6", "2001:db8::1", ["2001:db8::1"], True, "An IPv6 entry.", None),
        ("ip-exact-v6-other-spelling", "2001:0db8:0:0:0:0:0:1", ["2001:db8::1"], True,
         "The same IPv6 address written in full: addresses are compared, not texts.", None),
        ("ip-cidr-v6", "2001:db8:ffff::5", ["2001:db8::/32"], True, "Inside an IPv6 /32.", None),
        ("ip-v4-mapped-exact", "::ffff:203.0.113.7", ["203.0.113.7"], True,
         "An IPv4-mapped IPv6 remote address is compared as its IPv4 address.", "mapped"),
        ("ip-v4-mapped-cidr", "::ffff:198.51.100.9", ["198.51.100.0/24"], True,
         "An IPv4-mapped address inside an IPv4 range.", "mapped"),
        ("ip-any-v4", "192.0.2.1", ["0.0.0.0/0"], True, "0.0.0.0/0 allows every IPv4 address.", None),
        ("ip-outside-v4", "198.51.101.1", ["203.0.113.7", "198.51.100.0/24"], False, "Just outside the /24.",
         None),
        ("ip-outside-v4-exact", "203.0.113.8", ["203.0.113.7"], False, "The neighbour of a single-address entry.",
         None),
        ("ip-outside-v6", "2001:db9::1", ["2001:db8::/32"], False, "Just outside the IPv6 /32.", None),
        ("ip-v4-against-v6-entry", "192.0.2.1", ["2001:db8::/32", "::/0"], False,
         "An IPv4 address never matches IPv6 entries, not even ::/0.", "mapped"),
        ("ip-v4-mapped-outside", "::ffff:198.51.101.9", ["198.51.100.0/24"], False,
         "A mapped address outside the IPv4 range.", "mapped"),
        ("ip-v4-compatible-not-mapped", "::203.0.113.7", ["203.0.113.7"], False,
         "'::203.0.113.7' is IPv4-compatible, not IPv4-mapped: compared as IPv6, no match.", "mapped"),
        ("ip-empty-allowlist", "203.0.113.7", [], False, "An empty allowlist allows nothing.", "empty-allowlist"),
        ("ip-v4-mapped-hex-form", "::FFFF:cb00:7107", ["203.0.113.7"], True,
         "'::FFFF:cb00:7107' is ::ffff:203.0.113.7 in hexadecimal (upper case): still IPv4-mapped.", "mapped"),
        ("ip-entry-v4-mapped", "203.0.113.7", ["::ffff:203.0.113.7"], True,
         "A mapped entry is normalized too: it matches the IPv4 remote address.", "mapped"),
        ("ip-entry-v4-mapped-cidr", "198.51.100.9", ["::ffff:198.51.100.0/120"], True,
         "The mapped range ::ffff:198.51.100.0/120 is the IPv4 range 198.51.100.0/24.", "mapped"),
        ("ip-entry-host-bits-ignored", "198.51.100.200", ["198.51.100.7/24"], True,
         "Entry bits beyond the prefix are ignored: 198.51.100.7/24 matches like 198.51.100.0/24.", None),
        ("ip-v4-mapped-against-v6-any", "::ffff:203.0.113.7", ["::/0", "2001:db8::/32"], False,
         "A mapped remote address is IPv4: the IPv6 entry ::/0 does not match it.", "mapped"),
        ("ip-nat64-not-converted", "64:ff9b::cb00:7107", ["203.0.113.7"], False,
         "The NAT64 address of 203.0.113.7 is plain IPv6: not converted, no match.", "mapped"),
        ("ip-remote-v4-leading-zero", "203.0.113.007", ["203.0.113.7"], False,
         "'203.0.113.007' is not a valid IPv4 text (leading zero): it matches nothing.", None),
        ("ip-remote-zone-index", "fe80::1%eth0", ["fe80::/10"], False,
         "A remote address with a zone index is not a valid address text: it matches nothing.", None),
        ("ip-invalid-entries-match-nothing", "203.0.113.7", ["203.0.113.7/33", "203.0.113.7/032", "not-an-ip"],
         False, "Entries that are not valid (prefix 33, a leading zero in the prefix, text) match nothing.", None),
    ]:
        verify_case(g, name, desc + ("" if ok else " Rejected: ip-not-allowed."), ["KV5-027"], ["ip-allowlist"],
                    clients=[client(allowed_ips=allowed)], remote=remote, error=None if ok else "ip-not-allowed",
                    res=res)
    # Missing headers.
    for name, kw, which, desc in [
        ("missing-client-id", dict(omit=(H_ID,)), H_ID, "No X-Client-ID header."),
        ("empty-client-id", dict(empty=(H_ID,)), H_ID, "An empty X-Client-ID header."),
        ("missing-signature", dict(omit=(H_SIG,)), H_SIG, "No X-Client-Signature header."),
        ("empty-signature", dict(empty=(H_SIG,)), H_SIG, "An empty X-Client-Signature header."),
        ("missing-timestamp", dict(omit=(H_TS,)), H_TS, "No X-Client-Timestamp header."),
        ("empty-timestamp", dict(empty=(H_TS,)), H_TS, "An empty X-Client-Timestamp header."),
        ("missing-all-three", dict(omit=(H_ID, H_SIG, H_TS)), H_ID, "No header at all: the client id is named "
                                                                     "first."),
        ("missing-signature-and-timestamp", dict(omit=(H_SIG, H_TS)), H_SIG,
         "Signature and timestamp missing: the signature is named first."),
        ("missing-timestamp-unknown-client", dict(omit=(H_TS,), client_id="authspec-unknown-client"), H_TS,
         "An unknown client and no timestamp: the missing header decides."),
    ]:
        flags = ["header"] + (["check-order"] if name.startswith(("missing-all", "missing-signature-and",
                                                                  "missing-timestamp-unknown")) else [])
        verify_case(g, name, desc + f" 400 '{MISSING[which]}'.", ["KV5-021"], flags, error="header-missing",
                    missing=which, res="headers" if name.startswith("empty-") else None, **kw)
    # Timestamp syntax (the window is in window.yaml).
    for name, ts, desc in [
        ("timestamp-no-offset", "2025-06-02T12:34:50", "A timestamp without offset."),
        ("timestamp-space-separator", "2025-06-02 12:34:50Z", "A space instead of 'T'."),
        ("timestamp-month-13", "2025-13-02T12:34:50Z", "Month 13."),
        ("timestamp-unix-seconds", "1748867690", "Unix seconds."),
        ("timestamp-fraction-comma", "2025-06-02T12:34:50,5Z", "A comma as the decimal sign."),
    ]:
        verify_case(g, name, desc + " 400 'Invalid timestamp format (use RFC3339)'.", ["KV5-022"],
                    ["timestamp-syntax"], timestamp=ts, error="timestamp-invalid", res="syntax")
    # Unknown clients.
    verify_case(g, "unknown-client", "A client id that is not registered.", ["KV5-025"], [],
                client_id="authspec-unknown-client", error="key-unknown")
    verify_case(g, "unknown-client-trailing-space", "The registered id with a trailing space: header values are not "
                                                    "trimmed, so it is not registered.", ["KV5-025"], ["whitespace"],
                client_id=CLIENT_A + " ", error="key-unknown", res="headers")
    verify_case(g, "timestamp-trailing-space", "A valid timestamp with a trailing space: not trimmed, not RFC "
                                               "3339. 400 'Invalid timestamp format (use RFC3339)'.",
                ["KV5-022"], ["timestamp-syntax", "whitespace"], timestamp=VERIFY_TS + " ", error="timestamp-invalid",
                res="headers")
    verify_case(g, "unknown-client-case-differs", "Client ids are compared exactly: another case is unknown.",
                ["KV5-025"], [], client_id=CLIENT_A.upper(), error="key-unknown")
    verify_case(g, "unknown-client-empty-registry", "No client registered at all.", ["KV5-025"], [], clients=[],
                error="key-unknown")
    # Bodies.
    for name, body, desc, flags in [
        ("body-form-urlencoded", "pair=XBTUSD&side=buy", "A form body, correctly signed: not JSON.", []),
        ("body-trailing-garbage", '{"pair":"XBTUSD"} x', "A JSON object followed by garbage, correctly signed.",
         ["lenient-json-trap"]),
        ("body-nan", '{"amount":NaN}', "NaN, correctly signed.", ["lenient-json-trap"]),
        ("body-whitespace-only", "  ", "Whitespace only, correctly signed.", ["whitespace"]),
        ("body-byte-order-mark", "\ufeff{}", "A byte order mark before '{}', correctly signed.",
         ["unicode", "lenient-json-trap"]),
    ]:
        verify_case(g, name, desc + " 401 'Invalid request body'.", ["KV5-009"], flags, body=body,
                    error="body-invalid", res="body")
    # Malformed signatures.
    good = signature("a8", DEFAULT_BODY)
    raw = base64_decode(good)
    assert ("+" in good or "/" in good) and good.endswith("==")
    wrapped = "\n".join(good[i:i + 64] for i in range(0, len(good), 64))
    noncanon = good[:-3] + chr(ord(good[-3]) + 1) + "=="  # the 4 spare bits of the last character set
    assert base64_decode(noncanon) == raw and noncanon != good
    for name, sig, desc, flags, res in [
        ("signature-truncated", b64(raw[:-1]), "The signature without its last byte: 255 bytes.", [], None),
        ("signature-extra-byte", b64(raw + b"\x00"), "257 bytes: a zero byte appended.", [], None),
        ("signature-leading-zero-byte", b64(b"\x00" + raw), "257 bytes: a zero byte prepended (the integer is the "
                                                            "same).", [], None),
        ("signature-url-safe", good.replace("+", "-").replace("/", "_"), "The right signature in the URL-safe "
                                                                         "alphabet.", [], "base64"),
        ("signature-unpadded", good.rstrip("="), "The right signature without '=' padding.", [], "base64"),
        ("signature-line-wrapped", wrapped, "The right signature wrapped at 64 columns (openssl base64 without "
                                            "-A).", ["whitespace"], "base64"),
        ("signature-trailing-newline", good + "\n", "The right signature with a trailing newline.",
         ["whitespace"], "base64"),
        ("signature-non-canonical-bits", noncanon, "The right signature with non-zero spare bits in its last "
                                                   "character: not canonical base64.", [], "base64"),
        ("signature-hex", raw.hex(), "The right signature in hex.", [], "base64"),
        ("signature-garbage", "not-a-signature!", "Text that is not base64.", [], "base64"),
        ("signature-3072-for-2048-key", signature("c8", DEFAULT_BODY), "A 384-byte signature (3072-bit key) for "
                                                                       "a 2048-bit registration.",
         ["rsa-key-size"], None),
    ]:
        verify_case(g, name, desc + " Rejected: signature-malformed.", ["KV5-028"], ["signature-encoding", *flags],
                    sig=sig, error="signature-malformed", res=res)
    lz = base64_decode(signature("a8", LEADING_ZERO_BODY))
    assert lz[0] == 0
    verify_case(g, "signature-leading-zero-stripped", "The signature of the previous body with its leading zero "
                                                      "byte stripped: 255 bytes. Rejected: signature-malformed.",
                ["KV5-028"], ["signature-encoding"], body=LEADING_ZERO_BODY, sig=b64(lz[1:]),
                error="signature-malformed", res="base64")
    n = rsa_numbers("a-spki")[0]
    s_plus_n = int.from_bytes(lz, "big") + n
    assert s_plus_n < 256 ** 256
    verify_case(g, "mismatch-signature-plus-modulus", "A valid signature s sent as s + n (the same residue, 256 "
                                                      "bytes): s >= n is invalid. Rejected: signature-mismatch.",
                ["KV5-029"], ["signature-encoding"], body=LEADING_ZERO_BODY, sig=b64(s_plus_n.to_bytes(256, "big")),
                error="signature-mismatch", res="base64")
    verify_case(g, "mismatch-signature-equals-modulus", "The modulus itself as the signature. Rejected: "
                                                        "signature-mismatch.",
                ["KV5-029"], [], sig=b64(n.to_bytes(256, "big")), error="signature-mismatch")
    verify_case(g, "signature-2048-for-4096-key", "A 256-byte signature for a 4096-bit registration. Rejected: "
                                                  "signature-malformed.",
                ["KV5-028"], ["signature-encoding", "rsa-key-size"], clients=[client(public="d-spki")],
                sig=good, error="signature-malformed")
    # Mismatching signatures.
    body = DEFAULT_BODY
    pretty = json.dumps(json.loads(body), indent=2)
    k = key_bytes("a8")
    digest = hashlib.sha256(body.encode()).digest()
    no_null_di = bytes.fromhex("302f300b0609608648016503040201") + bytes.fromhex("0420") + digest
    mismatches = [
        ("mismatch-tampered-body", dict(body=body.replace("0.01", "0.02"), sig=good),
         "The body changed after signing ('0.01' to '0.02').", [], None),
        ("mismatch-body-reformatted", dict(body=pretty, sig=good),
         "The signature of the minified body, the body sent pretty-printed.", ["whitespace"], "signed-bytes"),
        ("mismatch-wrong-key", dict(signer="b1"), "Signed with another client's key.", [], None),
        ("mismatch-pss", dict(sig=b64(sign_openssl("a8", body.encode(), "pss"))),
         "RSASSA-PSS (SHA-256, MGF1, zero-length salt; openssl pkeyutl rsa_padding_mode:pss) instead of PKCS#1 "
         "v1.5.", ["rsa-padding"], "padding"),
        ("mismatch-sha1", dict(sig=b64(sign_openssl("a8", body.encode(), "sha1"))),
         "PKCS#1 v1.5 with SHA-1 instead of SHA-256.", ["rsa-padding"], "padding"),
        ("mismatch-sha512", dict(sig=b64(sign_openssl("a8", body.encode(), "sha512"))),
         "PKCS#1 v1.5 with SHA-512 instead of SHA-256.", ["rsa-padding"], "padding"),
        ("mismatch-raw-digest-no-digestinfo", dict(sig=b64(sign_raw_openssl("a8", digest))),
         "The bare SHA-256 digest padded, without the DigestInfo.", ["rsa-padding"], "padding"),
        ("mismatch-digestinfo-without-null", dict(sig=b64(sign_raw_openssl("a8", no_null_di))),
         "A DigestInfo whose AlgorithmIdentifier omits the NULL parameters (a form some verifiers tolerate).",
         ["rsa-padding"], "padding"),
        ("mismatch-signed-body-and-timestamp", dict(sig=signature("a8", body + VERIFY_TS)),
         "Signed over the body followed by the timestamp: the timestamp is not signed.", ["signed-bytes"],
         "signed-bytes"),
        ("mismatch-signed-timestamp-and-body", dict(sig=signature("a8", VERIFY_TS + body)),
         "Signed over the timestamp followed by the body.", ["signed-bytes"], "signed-bytes"),
        ("mismatch-signed-method-path-body", dict(sig=signature("a8", "POST" + DEFAULT_PATH + body)),
         "Signed over method, path and body.", ["signed-bytes"], "signed-bytes"),
        ("mismatch-signed-empty-string", dict(sig=signature("a8", "")),
         "The signature of the empty string sent with a non-empty body.", ["empty-body"], "empty-body"),
        ("mismatch-empty-body-signed-braces", dict(body="", sig=signature("a8", "{}")),
         "An empty body whose signature covers '{}': an empty body signs the empty string.", ["empty-body"],
         "empty-body"),
        ("mismatch-bit-flip", dict(sig=flip_last_bit(good)), "The right signature with its last bit flipped.", [],
         None),
        ("mismatch-all-zero", dict(sig=b64(bytes(k))), "256 zero bytes: well-formed, not a signature.", [], None),
        ("mismatch-above-modulus", dict(sig=b64(b"\xff" * k)),
         "256 bytes 0xFF: the integer is not below the modulus (RFC 8017 RSAVP1 'signature representative out of "
         "range'): a mismatch, not a malformed header.", [], "base64"),
    ]
    for name, kw, desc, flags, res in mismatches:
        verify_case(g, name, desc + " Rejected: signature-mismatch.", ["KV5-029", "KV5-006", "KV5-007"], flags,
                    error="signature-mismatch", res=res, **kw)
    # Check order: every adjacent pair of checks, the earlier one decides.
    order = [
        ("order-timestamp-syntax-before-unknown-client", dict(timestamp="now", client_id="authspec-unknown-client"),
         "timestamp-invalid", "A bad timestamp and an unknown client: timestamp-invalid (400)."),
        ("order-stale-before-unknown-client", dict(timestamp="2025-06-02T12:00:00Z",
                                                   client_id="authspec-unknown-client"),
         "timestamp-stale", "A stale timestamp and an unknown client: timestamp-stale."),
        ("order-future-before-unknown-client", dict(timestamp="2025-06-02T13:00:00Z",
                                                    client_id="authspec-unknown-client"),
         "timestamp-future", "A future timestamp and an unknown client: timestamp-future."),
        ("order-unknown-client-before-malformed-signature", dict(client_id="authspec-unknown-client", sig="x"),
         "key-unknown", "An unknown client and a malformed signature: key-unknown."),
        ("order-expired-before-ip", dict(clients=[client(expires_at="2024-01-01T00:00:00Z")], remote="192.0.2.1"),
         "key-expired", "An expired key and a remote address outside the allowlist: key-expired."),
        ("order-ip-before-body", dict(remote="192.0.2.1", body="pair=XBTUSD"), "ip-not-allowed",
         "A remote address outside the allowlist and a form body: ip-not-allowed."),
        ("order-body-before-malformed-signature", dict(body="pair=XBTUSD", sig="x"), "body-invalid",
         "A form body and a malformed signature: body-invalid."),
        ("order-malformed-before-mismatch", dict(sig=good.rstrip("="), body=body.replace("0.01", "0.02")),
         "signature-malformed", "An unpadded signature of another body: signature-malformed."),
    ]
    reqmap = {"timestamp-invalid": "KV5-022", "timestamp-stale": "KV5-023", "timestamp-future": "KV5-024",
              "key-unknown": "KV5-025", "key-expired": "KV5-026", "ip-not-allowed": "KV5-027",
              "body-invalid": "KV5-009", "signature-malformed": "KV5-028"}
    for name, kw, code, desc in order:
        verify_case(g, name, desc, [reqmap[code]], ["check-order"], error=code, res="order", **kw)


# ---------------------------------------------------------------------------------------------------------------
# window.yaml: the +-300 s window, both edges inclusive, at full precision.

def window() -> None:
    g = "window"
    group(g, "The timestamp window: accepted iff server_time - 300 s <= timestamp <= server_time + 300 s, both "
             "edges inclusive, compared as instants at the full precision of the fraction, whatever the offset.")
    ms = Fraction(1, 1000)
    ns = Fraction(1, 10 ** 9)
    ps = Fraction(1, 10 ** 12)
    cases = [
        ("exactly-now", 0, 0, 3, None, "The timestamp equals the server's clock."),
        ("stale-edge-exact", -300, 0, 3, None, "Exactly 300 s old: the lower edge is inclusive."),
        ("future-edge-exact", 300, 0, 3, None, "Exactly 300 s ahead: the upper edge is inclusive."),
        ("stale-edge-plus-1ms", -300 + ms, 0, 3, None, "299.999 s old."),
        ("future-edge-minus-1ms", 300 - ms, 0, 3, None, "299.999 s ahead."),
        ("stale-by-1ms", -300 - ms, 0, 3, "timestamp-stale", "300.001 s old."),
        ("future-by-1ms", 300 + ms, 0, 3, "timestamp-future", "300.001 s ahead."),
        ("stale-by-1ns", -300 - ns, 0, 9, "timestamp-stale", "300.000000001 s old (nine fraction digits)."),
        ("future-by-1ns", 300 + ns, 0, 9, "timestamp-future", "300.000000001 s ahead."),
        ("stale-by-1ps", -300 - ps, 0, 12, "timestamp-stale",
         "300.000000000001 s old: twelve fraction digits, beyond nanoseconds; the full precision decides."),
        ("stale-edge-exact-12-digits", -300, 0, 12, None, "Exactly 300 s old written with twelve fraction digits."),
        ("stale-edge-offset-minus-5", -300, -300, 3, None, "Exactly 300 s old, written with a '-05:00' offset."),
        ("future-edge-offset-plus-530", 300, 330, 3, None, "Exactly 300 s ahead, written with a '+05:30' offset."),
        ("stale-by-1ms-offset-plus-14", -300 - ms, 14 * 60, 3, "timestamp-stale",
         "300.001 s old, written with a '+14:00' offset (local time is later, the instant is not)."),
        ("future-by-1ms-offset-minus-12", 300 + ms, -12 * 60, 3, "timestamp-future",
         "300.001 s ahead, written with a '-12:00' offset."),
        ("whole-second-stale", Fraction(-300789, 1000) - 1, 0, 0, "timestamp-stale",
         "A whole-second timestamp 301.789 s old (no fraction written)."),
        ("whole-second-inside", Fraction(-299789, 1000), 0, 0, None, "A whole-second timestamp 299.789 s old."),
        ("stale-one-hour", -3600, 0, 3, "timestamp-stale", "An hour old."),
        ("future-one-day", 86400, 0, 3, "timestamp-future", "A day ahead (a client clock set wrong)."),
        ("far-past-epoch", None, 0, 0, "timestamp-stale", "The epoch."),
        ("far-future-year-9999", None, 0, 0, "timestamp-future", "The last second of year 9999."),
    ]
    for name, delta, offset, digits, code, desc in cases:
        if delta is None:
            ts = "1970-01-01T00:00:00Z" if "epoch" in name else "9999-12-31T23:59:59Z"
        else:
            ts = fmt_ts(at_offset(delta), offset_min=offset, digits=digits)
        reqs = ["KV5-023"] + (["KV5-024"] if "future" in name or (code is None and delta and delta > 0) else [])
        flags = ["timestamp-window"] + (["timestamp-syntax"] if offset else [])
        verify_case(g, name, f"{desc} Timestamp {ts}, server time {SERVER_TIME}: "
                             + ("accepted." if code is None else f"rejected, {code}."),
                    reqs, flags, timestamp=ts, error=code,
                    res=[r for r, on in (("window", delta is not None and abs(abs(delta) - 300) < 1),
                                         ("future", code == "timestamp-future")) if on])
    verify_case(g, "leap-second-stale", "Timestamp 12:29:60.789Z at server time 12:35:00Z: second 60 is the "
                                        "instant of second 59 (R7), 300.211 s old. Rejected: timestamp-stale (a "
                                        "reader that rolls over to 12:30:00.789 accepts it).",
                ["KV5-022", "KV5-023"], ["timestamp-window", "timestamp-syntax"],
                server_time="2025-06-02T12:35:00Z", timestamp="2025-06-02T12:29:60.789Z", error="timestamp-stale",
                res="syntax")
    verify_case(g, "leap-second-future-edge", "Timestamp 12:39:60Z at server time 12:34:59Z: the instant of "
                                              "12:39:59, exactly 300 s ahead, accepted (a reader that rolls over to "
                                              "12:40:00 answers timestamp-future).",
                ["KV5-022", "KV5-024"], ["timestamp-window", "timestamp-syntax"],
                server_time="2025-06-02T12:34:59Z", timestamp="2025-06-02T12:39:60Z", res=["syntax", "window"])
    st = fmt_ts(T0, offset_min=120)
    verify_case(g, "server-time-with-offset", f"The server's clock given as {st} (an offset), the timestamp 300 s "
                                              "earlier in UTC: the same instant arithmetic, accepted.",
                ["KV5-023"], ["timestamp-window", "timestamp-syntax"], server_time=st,
                timestamp=fmt_ts(at_offset(-300)))
    verify_case(g, "stale-timestamp-with-valid-signature", "A correctly signed request replayed 301 s later: the "
                                                           "signature is fine, the timestamp is stale.",
                ["KV5-023"], ["timestamp-window", "replay-cache"], timestamp=fmt_ts(at_offset(-301)),
                error="timestamp-stale")


# ---------------------------------------------------------------------------------------------------------------
# replay.yaml: the optional replay cache.

def replay() -> None:
    g = "replay"
    group(g, "Replays inside the window: the timestamp is not signed, so without the optional replay cache a captured "
             "request is accepted again (even with a fresh timestamp); with it, a (client id, signature) already "
             "accepted within the cache lifetime (600 s) is rejected.")
    sig = signature("a8", DEFAULT_BODY)
    on = {"replay_cache": True}
    off = {"replay_cache": False}
    minute_ago = fmt_ts(at_offset(-60))
    reqs = ["KV5-030"]
    verify_case(g, "cache-on-first-use", "The replay cache on, no entry: the first use is accepted.", reqs,
                ["replay-cache"], options=on, accepted=[], res="replay")
    verify_case(g, "cache-on-replayed", "The same signature accepted for this client 60 s ago: request-replayed.",
                reqs, ["replay-cache"], options=on, accepted=[(CLIENT_A, sig, minute_ago)], error="request-replayed",
                res="replay")
    verify_case(g, "cache-on-replayed-fresh-timestamp",
                "The captured request resent with a new timestamp (the timestamp is not signed): still a replay.",
                reqs, ["replay-cache", "signed-bytes"], options=on, accepted=[(CLIENT_A, sig, minute_ago)],
                timestamp=fmt_ts(T0), error="request-replayed", res="replay")
    verify_case(g, "cache-off-replay-accepted", "The replay cache off: the same signature is accepted again (the "
                                                "accepted list is ignored).",
                reqs, ["replay-cache"], options=off, accepted=[(CLIENT_A, sig, minute_ago)], res="replay")
    verify_case(g, "cache-default-off", "No options: the cache is off by default, the replay is accepted.",
                reqs, ["replay-cache"], accepted=[(CLIENT_A, sig, minute_ago)], res="replay")
    verify_case(g, "cache-off-fresh-timestamp-accepted",
                "The cache off: a captured request resent with a fresh timestamp is accepted (the weakness the cache "
                "closes).", reqs, ["replay-cache", "signed-bytes"], options=off, timestamp=fmt_ts(T0),
                accepted=[(CLIENT_A, sig, minute_ago)], res="replay")
    twin = "authspec-test-client-1-twin"
    verify_case(g, "cache-on-other-client-same-signature",
                "The same key registered under two client ids: an entry for the other id is not a replay.",
                reqs, ["replay-cache"], clients=[client(), client(twin)], options=on,
                accepted=[(twin, sig, minute_ago)], res="replay")
    verify_case(g, "cache-on-other-signature",
                "An entry for this client with another signature (another body): accepted.", reqs, ["replay-cache"],
                options=on, accepted=[(CLIENT_A, signature("a8", "{}"), minute_ago)], res="replay")
    edge_ts = fmt_ts(at_offset(-300))
    verify_case(g, "cache-entry-at-lifetime-edge",
                "Accepted at server_time - 600 s with the timestamp at the future edge then, replayed now at the stale "
                "edge (still inside the window): the entry is live at exactly 600 s, request-replayed.",
                reqs, ["replay-cache", "timestamp-window"], options=on, timestamp=edge_ts,
                accepted=[(CLIENT_A, sig, fmt_ts(at_offset(-600)))], error="request-replayed", res="replay")
    verify_case(g, "cache-entry-past-lifetime",
                "An entry accepted 600.001 s ago has expired: the request (timestamp inside the window) is "
                "accepted.", reqs, ["replay-cache", "timestamp-window"], options=on, timestamp=edge_ts,
                accepted=[(CLIENT_A, sig, fmt_ts(at_offset(-600 - Fraction(1, 1000))))], res="replay")
    verify_case(g, "cache-entry-at-with-offset", "The entry's 'at' written with a '-03:00' offset: compared as an "
                                                 "instant, request-replayed.",
                reqs, ["replay-cache"], options=on,
                accepted=[(CLIENT_A, sig, fmt_ts(at_offset(-60), offset_min=-180))], error="request-replayed",
                res="replay")
    verify_case(g, "order-stale-before-replay", "A replayed request whose timestamp is stale: timestamp-stale.",
                ["KV5-020", "KV5-023"], ["replay-cache", "check-order"], options=on,
                timestamp=fmt_ts(at_offset(-400)), accepted=[(CLIENT_A, sig, minute_ago)], error="timestamp-stale",
                res="order")
    verify_case(g, "order-mismatch-before-replay",
                "A cached signature sent with another body: signature-mismatch, not request-replayed.",
                ["KV5-020", "KV5-029"], ["replay-cache", "check-order"], options=on, sig=sig,
                body=DEFAULT_BODY.replace("buy", "sell"), accepted=[(CLIENT_A, sig, minute_ago)],
                error="signature-mismatch", res="order")


# ---------------------------------------------------------------------------------------------------------------
# official.yaml: no vendor example exists; the worked examples of spec/kraken-v5.md, asserted value for value.

SPEC_EXAMPLES = "spec/kraken-v5.md, 'Worked examples'"
SPEC_CLIENT = "kv5-test-client"
SPEC_BODY = '{"amount":25000,"reference":"INV-0001"}'
SPEC_TS = "2025-06-01T08:30:00Z"
SPEC_DIGEST = "7aed8a8a6cbea6c073df2bf08c0d7988cd6e7509922fdf12d7e07191549661ee"
SPEC_A_SIG = ("aJ4XAONc3/5dvfUwW9SI+WJ+56J9no97dwQLaIL4kTqjVmjC3hFBYS3hdxDyrtjkq8CrfADxBaQ7WrhHF8acpCa55opTPOanTRBF"
              "jC8TXlIoD8tcVWE+T8fJis/gLVAnUn49z296SE+6b8UwwbPS9ojAHrfw7PwaH4icww2eyG0K3M7x1u7FRHNrHfOwgM/23mJTKTY+"
              "36g6XBs2SmrJmgbapQJNGVR32UeD6etcZQ89CgKC3RoPO3wdAIxm+v/n6zu7yQGuKrRsRHo8RNSsLS6weIe0P9G0faQSKdcAnVqL"
              "55K4UIHgy/oH97Tsrux9GYOYD7F3eeWb+yaqfqctsw==")
SPEC_B_SIG = ("Y1zD7Ga8451Mx9iRnWix0FLEXu59feVYYQahRz7V/svjlvOgJUKA/8X++azUiMrXtl02a/WM3uaUgXIpldgJqCWAY2EoaUxlwxjl"
              "U9YJDGWdLbIm+aBBMeX2G4iBmRKYSt/PnTbjmEmsszFmogcvgustVh2MwCAHhijK50EOsWmx162woixnVaAGjvNYuLVEPzvhFRgq"
              "Od2ezhuhf6kNiujsz886eOLgOPfWo7bPEeSAYF+ZKUsVv21AcRi/t9wCf1W8yfTtFBufxMkyVyUrp4eyp4GEq+e08x8gO8aWIFcM"
              "WqyIQsAh9Q+CyIs3WUFhSjYFSJ5dSSNheBlcBLmNpQ==")


def spec_client(expires_at="2026-01-01T00:00:00Z") -> dict:
    return {"client_id": SPEC_CLIENT, "public_key_pem": Block(pem("x-spki")),
            "expires_at": None if expires_at is None else Quoted(expires_at),
            "allowed_ips": [Quoted("203.0.113.7"), Quoted("198.51.100.0/24")]}


def check_spec_example() -> None:
    """The spec prints the test key, its public key and the values: they must be these, byte for byte."""
    if not SPEC_FILE.exists():
        return
    text = SPEC_FILE.read_text(encoding="utf-8")
    for what, value in [("test key", pem("x8")), ("public key", pem("x-spki")), ("digest", SPEC_DIGEST),
                        ("signature (a)", SPEC_A_SIG), ("signature (b)", SPEC_B_SIG)]:
        if value not in text:
            sys.exit(f"ABORT: the {what} of spec/kraken-v5.md's worked examples differs from this generator's")


def official() -> None:
    g = "official"
    group(g, "The vendor publishes no worked example for this scheme: the worked examples of spec/kraken-v5.md "
             "((a) a JSON body, (b) the empty body, (c) verifying (a)), with the spec's test key, asserted value for "
             "value.")
    check_spec_example()
    src_a = computed(f"{SPEC_EXAMPLES} (a): the spec's test key (vectors/gen/keys/kraken-v5/spec-example.pkcs8.pem), "
                     "body, client id and timestamp; recomputed here with openssl dgst -sha256 -sign")
    headers = {"Content-Type": "application/json"}
    kw = dict(client_id=SPEC_CLIENT, path="/example", headers=headers, body=SPEC_BODY, published=SPEC_A_SIG)
    sign_ok(g, "spec-example-a", "Example (a): a 39-byte JSON body signed with the spec's 2048-bit PKCS#8 test key.",
            ["KV5-003", "KV5-004", "KV5-009"], ["json-body"], key="x8", timestamp=SPEC_TS, provenance=src_a,
            res=["padding", "signed-bytes"], **kw)
    sign_ok(g, "spec-example-a-pkcs1", "Example (a) with the same key as PKCS#1: the same signature.", ["KV5-003"],
            ["rsa-key-format"], key="x1", timestamp=SPEC_TS, provenance=src_a, **kw)
    sign_ok(g, "spec-example-a-offset-timestamp", "Example (a) with X-Client-Timestamp 2025-06-01T10:30:00+02:00: sent "
                                                  "as given, the same signature (the timestamp is not signed).",
            [], ["timestamp-syntax", "signed-bytes"], key="x8", timestamp="2025-06-01T10:30:00+02:00",
            provenance=src_a, res="signed-bytes", core005=True, **kw)
    st = sign_stages("x8", SPEC_BODY)
    assert st[1]["value"] == SPEC_DIGEST
    src_b = computed(f"{SPEC_EXAMPLES} (b): the spec's test key and the empty body; recomputed here")
    sign_ok(g, "spec-example-b-empty-body", "Example (b): the empty body signs the empty byte string.", ["KV5-009"],
            ["empty-body"], key="x8", client_id=SPEC_CLIENT, path="/example", body="", timestamp=SPEC_TS,
            published=SPEC_B_SIG, provenance=src_b, res="empty-body")
    src_c = f"{SPEC_EXAMPLES} (c), row: server time %s, remote %s%s; recomputed here"
    rows = [
        ("accepted", "2025-06-01T08:30:00Z", "203.0.113.7", {}, None, "accepted, client id kv5-test-client", [],
         ["KV5-006", "KV5-007", "KV5-008"], None),
        ("accepted-v4-mapped", "2025-06-01T08:30:00Z", "::ffff:203.0.113.7", {}, None, "accepted (IPv4-mapped)",
         ["ip-allowlist"], ["KV5-027"], "mapped"),
        ("accepted-cidr", "2025-06-01T08:30:00Z", "198.51.100.200", {}, None, "accepted (CIDR)", ["ip-allowlist"],
         ["KV5-027"], None),
        ("ip-not-allowed", "2025-06-01T08:30:00Z", "203.0.113.8", {}, "ip-not-allowed", "401 Invalid IP address",
         ["ip-allowlist"], ["KV5-027"], None),
        ("older-edge", "2025-06-01T08:35:00Z", "203.0.113.7", {}, None, "accepted (older edge)",
         ["timestamp-window"], ["KV5-023"], None),
        ("stale", "2025-06-01T08:35:00.001Z", "203.0.113.7", {}, "timestamp-stale",
         "401 Request too old (more than 5 minutes)", ["timestamp-window"], ["KV5-023"], None),
        ("future-edge", "2025-06-01T08:25:00Z", "203.0.113.7", {}, None, "accepted (future edge)",
         ["timestamp-window"], ["KV5-023", "KV5-024"], None),
        ("future", "2025-06-01T08:24:59.999Z", "203.0.113.7", {}, "timestamp-future",
         "401 Request timestamp in the future (more than 5 minutes)", ["timestamp-window"], ["KV5-024"], "future"),
        ("expired", "2026-01-01T00:00:00Z", "203.0.113.7", dict(timestamp="2026-01-01T00:00:00Z"), "key-expired",
         "timestamp 2026-01-01T00:00:00Z: 401 Partner credential key expired", ["key-expiry"], ["KV5-026"], None),
        ("body-changed", "2025-06-01T08:30:00Z", "203.0.113.7",
         dict(body='{"amount":25001,"reference":"INV-0001"}'), "signature-mismatch",
         "body {\"amount\":25001,...}: 401 Signature verification failed (signature-mismatch)", [],
         ["KV5-006", "KV5-029"], None),
        ("signature-of-b", "2025-06-01T08:30:00Z", "203.0.113.7", dict(sig=SPEC_B_SIG), "signature-mismatch",
         "the signature of (b): 401 Signature verification failed (signature-mismatch)", ["empty-body"],
         ["KV5-029"], None),
        ("signature-unpadded", "2025-06-01T08:30:00Z", "203.0.113.7", dict(sig=SPEC_A_SIG[:-2]),
         "signature-malformed", "the signature without its final '==': 401 Signature verification failed "
                                "(signature-malformed)", ["signature-encoding"], ["KV5-028"], "base64"),
        ("unknown-client", "2025-06-01T08:30:00Z", "203.0.113.7", dict(client_id="kv5-other"), "key-unknown",
         "X-Client-ID kv5-other: 401 Invalid partner credential key", [], ["KV5-025"], None),
        ("form-body", "2025-06-01T08:30:00Z", "203.0.113.7", dict(body="amount=25000"), "body-invalid",
         "body amount=25000: 401 Invalid request body", [], ["KV5-009"], "body"),
        ("missing-signature", "2025-06-01T08:30:00Z", "203.0.113.7", dict(omit=(H_SIG,), missing=H_SIG),
         "header-missing", "no X-Client-Signature: 400 Missing X-Client-Signature header", ["header"], ["KV5-021"],
         None),
        ("timestamp-no-offset", "2025-06-01T08:30:00Z", "203.0.113.7", dict(timestamp="2025-06-01T08:30:00"),
         "timestamp-invalid", "timestamp 2025-06-01T08:30:00: 400 Invalid timestamp format (use RFC3339)",
         ["timestamp-syntax"], ["KV5-022"], None),
        ("fresh-timestamp-months-later", "2026-03-01T12:00:00Z", "203.0.113.7",
         dict(timestamp="2026-03-01T12:00:00Z", clients=[spec_client(None)]), None,
         "timestamp 2026-03-01T12:00:00Z, expiry null: accepted, the old body and signature with a fresh timestamp",
         ["replay-cache", "signed-bytes"], ["KV5-006", "KV5-026"], "signed-bytes"),
    ]
    for name, server, remote, kw, code, answer, flags, reqs, res in rows:
        args = dict(clients=[spec_client()], client_id=SPEC_CLIENT, body=SPEC_BODY, timestamp=SPEC_TS, sig=SPEC_A_SIG,
                    path="/example")
        args.update(kw)
        change = "" if not kw or set(kw) == {"clients"} else ", with a change to the request"
        verify_case(g, f"spec-example-c-{name}", f"Example (c): server time {server}, remote {remote}: {answer}.",
                    reqs, flags, server_time=server, remote=remote, error=code, res=res,
                    provenance=computed(src_c % (server, remote, change)), **args)
    for name, server, ts, code, answer in [
        ("replayed-at-lifetime-end", "2025-06-01T08:40:00Z", "2025-06-01T08:35:00Z", "request-replayed",
         "401 Request replayed (the entry is live up to and including 08:40:00Z)"),
        ("accepted-after-lifetime", "2025-06-01T08:40:00.001Z", "2025-06-01T08:35:00.001Z", None,
         "accepted again (the entry expired)"),
    ]:
        verify_case(g, f"spec-example-c-{name}", f"Example (c), replay cache on with (a)'s signature accepted at "
                                                 f"{SPEC_TS}: server time {server}, timestamp {ts}: {answer}.",
                    ["KV5-030"], ["replay-cache"], clients=[spec_client()], client_id=SPEC_CLIENT, body=SPEC_BODY,
                    sig=SPEC_A_SIG, path="/example", server_time=server, timestamp=ts, options={"replay_cache": True},
                    accepted=[(SPEC_CLIENT, SPEC_A_SIG, SPEC_TS)], error=code, res="replay",
                    provenance=computed(f"{SPEC_EXAMPLES} (c), the replay-cache paragraph; recomputed here"))


# ---------------------------------------------------------------------------------------------------------------
# Self-checks before anything is written.

def render(name: str) -> str:
    grp = GROUPS[name]
    return render_file(GENERATOR_FILE, SCHEME, name, grp["description"], grp["vectors"])


def spec_ids() -> set[str] | None:
    return defined_ids(SPEC_FILE, "KV5")


def lint() -> list[str]:
    problems = []
    documented = documented_flags()
    if documented is None:
        documented = set()
        problems.append("vectors/flags.yaml is missing")
    defined = spec_ids()
    if defined is not None:
        for r in KV5_TESTABLE + KV5_NOT_TESTABLE:
            if r not in defined:
                problems.append(f"{r} is not defined in spec/kraken-v5.md")
    ids, cited = set(), set()
    for gname, grp in GROUPS.items():
        for v in grp["vectors"]:
            vid = v["id"]
            if vid in ids:
                problems.append(f"duplicate id {vid}")
            ids.add(vid)
            if not re.fullmatch(rf"{SCHEME}/{gname}/[a-z0-9]+(-[a-z0-9]+)*", vid):
                problems.append(f"bad id {vid}")
            for r in v["requirements"]:
                if r not in KV5_TESTABLE and not (CITE_CORE and r in CORE_TESTABLE):
                    problems.append(f"{vid}: cites {r}, which is not a vector-testable id of this corpus")
                cited.add(r)
            for f in v.get("flags", []):
                if f not in documented:
                    problems.append(f"{vid}: flag {f!r} is not documented in vectors/flags.yaml")
            negative = "error" in v["expected"]
            names = [s["name"] for s in v.get("stages", [])]
            if v["op"] == "sign":
                if negative and names:
                    problems.append(f"{vid}: negative sign vector with stages")
                if not negative and names != SIGN_STAGES:
                    problems.append(f"{vid}: positive sign vector without all five stages")
            elif names and names != VERIFY_STAGES:
                problems.append(f"{vid}: verify stages incomplete")
            if v["op"] == "verify" and negative:
                resp = v["expected"]["error"]["response"]
                if resp["content_type"] != "text/plain" or resp["status"] not in (400, 401):
                    problems.append(f"{vid}: rejection without a text/plain 400/401 answer")
    for r in KV5_TESTABLE + CORE_TESTABLE:
        if r not in cited:
            problems.append(f"{r} is cited by no vector")
    for code in SIGN_CODES:
        if not any(v["op"] == "sign" and v["expected"].get("error", {}).get("code") == code
                   for grp in GROUPS.values() for v in grp["vectors"]):
            problems.append(f"sign refusal {code} has no vector")
    for code in VERIFY_CODES:
        if not any(v["op"] == "verify" and v["expected"].get("error", {}).get("code") == code
                   for grp in GROUPS.values() for v in grp["vectors"]):
            problems.append(f"verify rejection {code} has no vector")
    return problems


def audit() -> list[str]:
    """Every well-formed signature in the corpus, checked by openssl and by s^e mod n in Python."""
    problems = []
    for vid, public, body, sig, valid in AUDIT:
        ok = openssl_verifies(public, body, sig)
        n, e = rsa_numbers(public)
        k = (n.bit_length() + 7) // 8
        em = emsa_pkcs1_v15(body, k)[2]
        s = int.from_bytes(sig, "big")
        recovered = pow(s, e, n).to_bytes(k, "big") if s < n else None
        if ok != valid or (recovered == em) != valid:
            problems.append(f"{vid}: openssl says {ok}, s^e mod n = EM is {recovered == em}, the vector says "
                            f"{valid}")
    return problems


def check_keys() -> list[str]:
    """The committed key files are what KEY_FILES says they are (label, size, shared key material)."""
    problems = []
    labels = {"a8": "PRIVATE KEY", "a1": "RSA PRIVATE KEY", "a-spki": "PUBLIC KEY", "a-pub1": "RSA PUBLIC KEY",
              "a8-enc": "ENCRYPTED PRIVATE KEY", "a1-enc": "RSA PRIVATE KEY", "b1": "RSA PRIVATE KEY",
              "c8": "PRIVATE KEY", "d8": "PRIVATE KEY", "r2047": "PRIVATE KEY", "r1024": "PRIVATE KEY",
              "r512": "PRIVATE KEY", "ec": "PRIVATE KEY", "ec-sec1": "EC PRIVATE KEY", "pss": "PRIVATE KEY",
              "x8": "PRIVATE KEY", "x1": "RSA PRIVATE KEY", "x-spki": "PUBLIC KEY"}
    for name, label in labels.items():
        if not pem(name).startswith(f"-----BEGIN {label}-----\n"):
            problems.append(f"{KEY_FILES[name]} is not a {label} PEM")
    if "Proc-Type: 4,ENCRYPTED" not in pem("a1-enc"):
        problems.append("rsa2048-a.pkcs1-encrypted.pem is not encrypted")
    bits = {"a8": 2048, "a1": 2048, "b1": 2048, "c8": 3072, "d8": 4096, "r2047": 2047, "r1024": 1024, "r512": 512,
            "x8": 2048}
    for name, want in bits.items():
        if key_bits(name) != want:
            problems.append(f"{KEY_FILES[name]} has {key_bits(name)} bits, not {want}")
    for private, public in [*PUBLIC_OF.items(), ("a8", "a-pub1")]:
        if rsa_numbers(private) != rsa_numbers(public):
            problems.append(f"{KEY_FILES[public]} is not the public key of {KEY_FILES[private]}")
    pss_der = base64.b64decode("".join(pem("pss").splitlines()[1:-1]))
    if bytes.fromhex("06092a864886f70d01010a") not in pss_der[:40]:
        problems.append("rsa2048-pss.pkcs8.pem is not an id-RSASSA-PSS key")
    return problems


def build() -> dict[str, str]:
    problems = check_keys()
    if problems:
        sys.exit("ABORT:\n  " + "\n  ".join(problems))
    GROUPS.clear()
    AUDIT.clear()
    official()
    signing()
    refusals()
    verify()
    window()
    replay()
    problems = lint() + audit()
    if problems:
        sys.exit("ABORT:\n  " + "\n  ".join(problems))
    return {f"{name}.yaml": render(name) for name in GROUPS}


def main() -> int:
    return run(__doc__, build, GROUPS, OUT_DIR, GENERATOR_FILE, SCHEME,
               audit=lambda: f"signatures checked by openssl dgst -sha256 -verify and s^e mod n: {len(AUDIT)}")


if __name__ == "__main__":
    sys.exit(main())
