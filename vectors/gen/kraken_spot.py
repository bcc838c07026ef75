#!/usr/bin/env python3
"""Generate the kraken-spot test-vector corpus: `vectors/kraken-spot/<group>.yaml`.

Why a generator: every expected value and every intermediate stage is computed here with Python's own
hashlib/hmac/base64, never copied from the implementation under test, and the YAML is written one way only
(deterministic, block style, digit strings quoted) so a diff of the corpus is a diff of meaning.

Contract:
- Each case is declared once, with its inputs and its outcome: a positive case gets its `expected.result` and its
  six stages computed here; a negative case declares the error code the spec (the brief's rules) demands.
- Published values (the vendor's worked example, third-party SDK test vectors) are asserted: if this script's own
  computation differs from the published value, it aborts and writes nothing.
- `--check` regenerates in memory and exits 1, naming the stale files, when the committed files differ (CI).

Dependencies: Python 3 standard library and PyYAML. All keys and secrets below are test-only values that were
never issued by Kraken (except the vendor's published example secret, which is not associated with any account).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402  (vectors/gen/common.py, next to this script)
    ROOT, run, Flow, Quoted, b64, documented_flags, openssl, render as render_file, write_or_check,
)

SCHEME = "kraken-spot"
GENERATOR_FILE = "kraken_spot.py"
OUT_DIR = ROOT / "vectors" / SCHEME

GENERATOR = "vectors/gen/kraken_spot.py (Python hashlib/hmac)"
TESTEE = "testees/python-spec/testee.py (independent Python implementation of the spec)"
CONFIRMED = [GENERATOR, TESTEE]
OPENSSL = "openssl dgst/base64 (OpenSSL 3), every stage: vectors/gen/kraken_spot.py --cross-check-openssl"

# Requirement ids of the brief's list. Those marked not vector-testable need no vector; every other one must be
# cited by at least one vector (checked below before anything is written).
KSPOT_TESTABLE = [f"KSPOT-{n:03d}" for n in list(range(1, 19)) + [20, 21, 22, 23, 25, 26, 27, 29, 30, 31]]
KSPOT_NOT_TESTABLE = ["KSPOT-024", "KSPOT-028", "KSPOT-032"]

# spec/core.md marks CORE-004 (a refusal yields a code and nothing else), CORE-005 (no silent repair of input) and
# CORE-006 (a rejection yields a code and the vendor response) vector-testable: CORE-004 is cited by every
# negative sign vector, CORE-006 by every negative verify vector and CORE-005 by the refusals of input a lenient
# signer would repair.
CITE_CORE = True
CORE_TESTABLE = ["CORE-004", "CORE-005", "CORE-006"]
CORE_005_FLAGS = {"secret-encoding", "whitespace", "undecoded-secret-trap"}

U64_MAX = "18446744073709551615"

# Kraken's wire answers for each verify-side rejection (HTTP 200, error envelope).
E_BAD_REQUEST = "EAPI:Bad request"
E_INVALID_KEY = "EAPI:Invalid key"
E_INVALID_SIGNATURE = "EAPI:Invalid signature"
E_INVALID_NONCE = "EAPI:Invalid nonce"
E_PERMISSION = "EGeneral:Permission denied"
WIRE = {
    "method-invalid": E_BAD_REQUEST,
    "path-invalid": E_BAD_REQUEST,
    "key-unknown": E_INVALID_KEY,
    "signature-malformed": E_INVALID_SIGNATURE,
    "body-invalid": E_BAD_REQUEST,
    "nonce-missing": E_INVALID_NONCE,
    "nonce-invalid": E_INVALID_NONCE,
    "signature-mismatch": E_INVALID_SIGNATURE,
    "permission-denied": E_PERMISSION,
    "nonce-stale": E_INVALID_NONCE,
    "nonce-replayed": E_INVALID_NONCE,
    # header-missing depends on which header: given explicitly per case.
}
SIGN_CODES = {
    "api-key-invalid", "secret-invalid", "secret-empty", "method-invalid", "path-invalid", "nonce-invalid",
    "body-invalid", "nonce-missing", "nonce-mismatch",
}

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}

# ---------------------------------------------------------------------------------------------------------------
# Test-only credentials.


def test_bytes(label: str, n: int) -> bytes:
    """Deterministic pseudo-random bytes for a test secret (SHAKE-256 of a label)."""
    return hashlib.shake_256(f"authspec kraken-spot test secret: {label}".encode()).digest(n)


KEY1 = "authspec-test-key-1"
KEY2 = "authspec-test-key-2"
KEY3 = "authspec-test-key-3"
SECRET1 = b64(test_bytes("key 1", 64))
SECRET2 = b64(test_bytes("key 2", 64))
SECRET3 = b64(test_bytes("key 3", 64))

VENDOR_SECRET = "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg=="
VENDOR_NONCE = "1616492376594"
VENDOR_BODY = "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25"
VENDOR_SIGN = "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="

PKS_SECRET = "cHl0aG9uLWtyYWtlbi1zZGsgdW5pdC10ZXN0IHNlY3JldCB2YWx1ZQ=="
PKS_NONCE = "1616492376594"
PKS_BODY = "nonce=1616492376594&ordertype=limit&pair=XBTUSD"
PKS_SIGN = "Fo+0Uhanvs3F1byZFCjVBMLsCcRE2xLQMDpoA3Q9hawoZ0ZL35AmbknAQBlOIs4baRx9UGhzQH+/CTl9qnyp1w=="

# ---------------------------------------------------------------------------------------------------------------
# The computation, step by step, exactly as the spec names the stages.


def compute_stages(secret_b64: str, path: str, nonce_text: str, body: str) -> list[dict]:
    key = base64.b64decode(secret_b64, validate=True)
    sha_input = nonce_text + body
    digest = hashlib.sha256(sha_input.encode("utf-8")).digest()
    message = path.encode("utf-8") + digest
    mac = hmac.new(key, message, hashlib.sha512).digest()
    return [
        {"name": "hmac_key", "value": key.hex()},
        {"name": "sha256_input", "value": sha_input},
        {"name": "sha256_digest", "value": digest.hex()},
        {"name": "hmac_message", "value": message.hex()},
        {"name": "hmac_digest", "value": mac.hex()},
        {"name": "api_sign", "value": b64(mac)},
    ]


def api_sign(secret_b64: str, path: str, nonce_text: str, body: str) -> str:
    return compute_stages(secret_b64, path, nonce_text, body)[-1]["value"]


# ---------------------------------------------------------------------------------------------------------------
# Case declarations.

GROUPS: dict[str, dict] = {}


def group(name: str, description: str) -> list[dict]:
    GROUPS[name] = {"description": description, "vectors": []}
    return GROUPS[name]["vectors"]


def computed(source: str = "computed by vectors/gen/kraken_spot.py from the rules of spec/kraken-spot.md") -> dict:
    return {"kind": "computed", "source": source, "confirmed_by": list(CONFIRMED)}


def vector(group_name, name, description, requirements, provenance, flags, op, inp, expected, stages):
    if CITE_CORE and "error" in expected:
        core = {"sign": ["CORE-004"], "verify": ["CORE-006"]}.get(op, [])
        if op == "sign" and CORE_005_FLAGS & set(flags):
            core.append("CORE-005")
        requirements = sorted(set(requirements) | set(core))
    v = {
        "id": f"{SCHEME}/{group_name}/{name}",
        "description": description,
        "requirements": Flow(requirements),
        "provenance": provenance,
    }
    if flags:
        v["flags"] = Flow(flags)
    v["op"] = op
    v["input"] = inp
    v["expected"] = expected
    if stages:
        v["stages"] = [{"name": st["name"], "value": Quoted(st["value"])} for st in stages]
        if "result" in expected and OPENSSL not in provenance["confirmed_by"]:
            provenance["confirmed_by"] = [*provenance["confirmed_by"], OPENSSL]
    GROUPS[group_name]["vectors"].append(v)
    return v


def mark(description: str, flags, res: str | None):
    """Say in the description and the flags when a vector encodes a spec resolution (not vendor text)."""
    flags = list(flags)
    if res:
        description = f"{description} (spec resolution {res})"
        flags.append("spec-resolution")
    return description, flags


SIGN_BASE = ["KSPOT-001", "KSPOT-002", "KSPOT-013", "KSPOT-014", "KSPOT-015", "KSPOT-016"]


def sign_input(api_key, secret, method, path, headers, body, nonce):
    return {
        "credentials": {"api_key": api_key, "secret": secret},
        "request": {"method": method, "path": path, "headers": dict(headers), "body": body},
        "nonce": nonce,
    }


def sign_ok(g, name, description, extra_reqs=(), flags=(), *, api_key=KEY1, secret=SECRET1,
            path="/0/private/Balance", headers=FORM, body=None, nonce, provenance=None, published=None, res=None):
    """A positive sign case: headers and all six stages computed here."""
    description, flags = mark(description, flags, res)
    if body is None:
        body = f"nonce={nonce}"
    stages = compute_stages(secret, path, nonce, body)
    sig = stages[-1]["value"]
    if published is not None and sig != published:
        sys.exit(f"ABORT: {g}/{name}: computed API-Sign {sig} differs from the published {published}")
    assert len(sig) == 88, sig
    reqs = sorted(set(SIGN_BASE) | set(extra_reqs))
    return vector(g, name, description, reqs, provenance or computed(), flags, "sign",
                  sign_input(api_key, secret, "POST", path, headers, body, nonce),
                  {"result": {"headers": {"API-Key": api_key, "API-Sign": sig}}}, stages)


def sign_err(g, name, description, code, reqs, flags=(), *, api_key=KEY1, secret=SECRET1, method="POST",
             path="/0/private/Balance", headers=FORM, body=None, nonce="1700000000000", provenance=None, res=None):
    """A negative sign case: the declared refusal code; no stages."""
    description, flags = mark(description, flags, res)
    assert code in SIGN_CODES, code
    if body is None:
        body = f"nonce={nonce}"
    return vector(g, name, description, sorted(set(reqs)), provenance or computed(), ["refusal", *flags], "sign",
                  sign_input(api_key, secret, method, path, headers, body, nonce),
                  {"error": {"code": code}}, [])


def envelope(message: str) -> dict:
    return {"status": 200, "body": {"error": [message], "result": {}}}


def verify_input(keys, request, nonce_window=None, accepted=None):
    inp = {"keys": keys}
    if nonce_window is not None:
        inp["nonce_window"] = nonce_window
    if accepted is not None:
        inp["accepted_nonces"] = [{"api_key": k, "nonce": n} for k, n in accepted]
    inp["request"] = request
    return inp


def key_entry(api_key=KEY1, secret=SECRET1, permissions=None):
    k = {"api_key": api_key, "secret": secret}
    if permissions is not None:
        k["permissions"] = list(permissions)
    return k


def verify_case(g, name, description, reqs, flags=(), *, keys=None, method="POST", path="/0/private/Balance",
                content_type="application/x-www-form-urlencoded", body=None, nonce="1700000030000",
                api_key=KEY1, sign=None, sign_with=None, header_names=("API-Key", "API-Sign", "Content-Type"),
                omit=(), nonce_window=None, accepted=None, error=None, wire=None, with_stages=None,
                provenance=None, res=None):
    """A verify case. The request is signed here unless `sign` gives the API-Sign verbatim.

    `sign_with` (secret, path, nonce_text, body) overrides what the signature is computed over, for tampering
    cases; by default the signer uses the key's secret, the request path, the body's nonce text and the body.
    """
    description, flags = mark(description, flags, res)
    if keys is None:
        keys = [key_entry()]
    if body is None:
        body = f"nonce={nonce}"
    signer_secret = next((k["secret"] for k in keys if k["api_key"] == api_key), SECRET1)
    s_secret, s_path, s_nonce, s_body = sign_with or (signer_secret, path, nonce, body)
    mac_stages = compute_stages(s_secret, s_path, s_nonce, s_body)
    if sign is None:
        sign = mac_stages[-1]["value"]
    headers = {}
    names = dict(zip(("API-Key", "API-Sign", "Content-Type"), header_names))
    if "API-Key" not in omit:
        headers[names["API-Key"]] = api_key
    if "API-Sign" not in omit:
        headers[names["API-Sign"]] = sign
    if content_type is not None:
        headers[names["Content-Type"]] = content_type
    request = {"method": method, "path": path, "headers": headers, "body": body}
    inp = verify_input(keys, request, nonce_window, accepted)
    if error is None:
        expected = {"result": {"api_key": api_key, "nonce": nonce}}
        # The MAC the verifier recomputes: over the received path, the body's own nonce text and the body.
        stages = compute_stages(signer_secret, path, nonce, body)
        assert stages[-1]["value"] == sign, f"{name}: a positive verify case must carry a valid signature"
        reqs = sorted(set(reqs) | {"KSPOT-020", "KSPOT-023"})
    else:
        wire = wire or WIRE[error]
        expected = {"error": {"code": error, "response": envelope(wire)}}
        stages = []
        if error in ("permission-denied", "nonce-stale", "nonce-replayed"):
            # Rejections after the MAC check must carry a valid MAC, or they would test the MAC instead.
            assert compute_stages(signer_secret, path, nonce, body)[-1]["value"] == sign, name
        if with_stages:
            stages = compute_stages(signer_secret, path, nonce, body)
            assert stages[-1]["value"] != sign, f"{name}: a mismatch case must carry a different signature"
        reqs = sorted(set(reqs) | {"KSPOT-029"})
        flags = ["rejection", *flags]
    return vector(g, name, description, reqs, provenance or computed(), flags, "verify", inp, expected, stages)


# ---------------------------------------------------------------------------------------------------------------
# official.yaml: the vendor's worked example and third-party SDK test vectors.

def official() -> None:
    g = "official"
    group(g, "Examples published by Kraken and by third-party SDK test suites, and inputs from SDK test suites "
             "that this spec refuses.")
    sign_ok(g, "vendor-addorder",
            "Kraken's worked example from the Spot REST authentication guide (limit buy 1.25 XBTUSD at 37500).",
            ["KSPOT-010"], ["vendor-example", "form-body"],
            secret=VENDOR_SECRET, path="/0/private/AddOrder", body=VENDOR_BODY, nonce=VENDOR_NONCE,
            published=VENDOR_SIGN,
            provenance={"kind": "vendor-doc",
                        "source": "docs.kraken.com/api/docs/guides/spot-rest-auth, 'Spot REST Authentication', "
                                  "Examples table (Private Key, Nonce, Encoded Payload, URI Path, API-Sign); "
                                  "API-Key is ours (the guide gives none)",
                        "confirmed_by": list(CONFIRMED)})
    sign_ok(g, "python-kraken-sdk-addorder",
            "python-kraken-sdk's golden signature for a three-parameter AddOrder body.",
            ["KSPOT-010"], ["third-party-vector", "form-body"],
            secret=PKS_SECRET, path="/0/private/AddOrder", body=PKS_BODY, nonce=PKS_NONCE, published=PKS_SIGN,
            provenance={"kind": "third-party-test",
                        "source": "github.com/btschwertfeger/python-kraken-sdk, tests/spot/"
                                  "test_spot_base_api_unit.py, test_signature_matches_golden_value "
                                  "(secret = base64 of b'python-kraken-sdk unit-test secret value'); "
                                  "API-Key is ours",
                        "confirmed_by": list(CONFIRMED)})
    verify_case(g, "vendor-addorder-accepted",
                "The vendor's worked example, as received by a server holding that key, is accepted.",
                ["KSPOT-010"], ["vendor-example", "form-body"],
                keys=[key_entry(KEY1, VENDOR_SECRET)], path="/0/private/AddOrder", body=VENDOR_BODY,
                nonce=VENDOR_NONCE, sign=VENDOR_SIGN,
                provenance={"kind": "vendor-doc",
                            "source": "docs.kraken.com/api/docs/guides/spot-rest-auth, Examples table; "
                                      "the acceptance follows from spec/kraken-spot.md",
                            "confirmed_by": list(CONFIRMED)})
    # Inputs taken from SDK test suites whose lenient implementations sign them; this spec refuses them.
    # (Both published signatures were reproduced by this author with the lenient rules: see vectors/gen/README.md.)
    sign_err(g, "kraken-go-api-client-unpadded-secret",
             "kraken-go-api-client's test signs with secret 'SECRET' (not valid base64, Go's decode error "
             "ignored); a conforming signer refuses it.",
             "secret-invalid", ["KSPOT-002"], ["lenient-sdk-input", "undecoded-secret-trap"],
             secret="SECRET", path="/0/private/Balance", body="nonce=1700000000000&TestKey=TestValue",
             provenance=computed("input after github.com/beldur/kraken-go-api-client, krakenapi_test.go, "
                                 "TestCreateSignature (secret \"SECRET\"; that test expects a signature, "
                                 "Uog0MyIK..., over path /0/private/ and no nonce); refusal per "
                                 "spec/kraken-spot.md"))
    sign_err(g, "node-kraken-api-empty-secret",
             "node-kraken-api's test signs with an empty secret; a conforming signer refuses it.",
             "secret-empty", ["KSPOT-003"], ["lenient-sdk-input"],
             secret="", path="/0/private/Balance",
             provenance=computed("input after github.com/jpcx/node-kraken-api, tests/api/calls/"
                                 "signRequest.test.js, 'Returns correct signature' (default secret \"\"; that test "
                                 "expects bFpuDbyj... over /0/public/Time with nonce 'undefined'); refusal per "
                                 "spec/kraken-spot.md"))


# ---------------------------------------------------------------------------------------------------------------
# signing.yaml: the computation across lengths, endpoints, secrets and nonces.

def body_for_input_length(nonce: str, total: int, prefix: str = "&pair=XBTUSD&userref=") -> str:
    """A form body such that len(nonce + body) == total, padded with digits in the last value."""
    head = f"nonce={nonce}{prefix}"
    pad = total - len(nonce) - len(head)
    assert pad >= 1, (total, pad)
    body = head + ("1234567890" * (pad // 10 + 1))[:pad]
    assert len(nonce + body) == total
    return body


def signing() -> None:
    g = "signing"
    group(g, "The signing computation across body lengths (SHA-256 block boundaries), endpoints, secret lengths "
             "(HMAC-SHA512 block boundary) and nonce extremes; form bodies unless noted.")
    n = "1700000000000"
    sign_ok(g, "minimal-balance", "The smallest realistic private call: Balance with the body 'nonce=N' only.",
            ["KSPOT-008", "KSPOT-010"], ["form-body"], nonce=n)
    sign_ok(g, "minimal-single-digit-nonce", "The body 'nonce=1' with nonce 1: the shortest canonical nonce.",
            ["KSPOT-007"], ["form-body", "nonce-extreme"], nonce="1")
    sign_ok(g, "nonce-zero", "Nonce 0 is canonical decimal and allowed syntactically.",
            ["KSPOT-007"], ["form-body", "nonce-extreme"], nonce="0")
    sign_ok(g, "nonce-u64-max", "Nonce 18446744073709551615 (u64::MAX), the largest allowed nonce.",
            ["KSPOT-007"], ["form-body", "nonce-extreme"], nonce=U64_MAX, res="R2")
    sign_ok(g, "nonce-microseconds", "A 16-digit microsecond nonce, as SDKs that use time.time_ns()//1000 send.",
            ["KSPOT-007"], ["form-body"], nonce="1700000000000001",
            body="nonce=1700000000000001&asset=XBT")
    for total in (55, 56, 64, 119, 120, 128):
        nn = f"17000000{total:05d}"
        sign_ok(g, f"sha256-input-{total}-bytes",
                f"nonce || body is exactly {total} bytes: a SHA-256 padding/block boundary.",
                ["KSPOT-010"], ["form-body", "block-boundary"], path="/0/private/OpenOrders", nonce=nn,
                body=body_for_input_length(nn, total))
    sign_ok(g, "long-body-1000-bytes", "A 1000-byte nonce || body spanning many SHA-256 blocks (batch of txids).",
            ["KSPOT-010"], ["form-body", "block-boundary"], path="/0/private/QueryOrders", nonce="1700000000100",
            body=body_for_input_length("1700000000100", 1000, "&trades=true&txid="))
    # HMAC-SHA512 inner hash input is 128 bytes of padded key + message; message = path || 32 digest bytes.
    # A message of 111 bytes still fits the second block's padding, 112 does not.
    for mlen in (111, 112):
        endpoint = ("LongEndpointName" * 10)[: mlen - 32 - len("/0/private/")]
        p = f"/0/private/{endpoint}"
        assert len(p) + 32 == mlen
        sign_ok(g, f"hmac-message-{mlen}-bytes",
                f"A long endpoint name makes the HMAC message exactly {mlen} bytes: a SHA-512 padding boundary.",
                ["KSPOT-006"], ["form-body", "block-boundary"], path=p, nonce="1700000000200")
    endpoints = [
        ("TradeBalance", "nonce={n}&asset=ZUSD"),
        ("OpenOrders", "nonce={n}&trades=true"),
        ("ClosedOrders", "nonce={n}&start=1699990000&closetime=close"),
        ("QueryOrders", "nonce={n}&txid=OQCLML-BW3P3-BUCMWZ"),
        ("CancelOrder", "nonce={n}&txid=OYVGEW-VYV5B-UUEXSK"),
        ("GetWebSocketsToken", "nonce={n}"),
        ("DepositAddresses", "nonce={n}&asset=XBT&method=Bitcoin"),
        ("WithdrawInfo", "nonce={n}&asset=XBT&key=authspec-withdrawal-key&amount=0.725"),
        ("Ledgers", "nonce={n}&asset=all&type=all&ofs=50"),
    ]
    for i, (ep, tmpl) in enumerate(endpoints):
        nn = str(1700000001000 + i)
        sign_ok(g, f"endpoint-{re.sub(r'(?<!^)(?=[A-Z])', '-', ep).lower()}",
                f"A signed {ep} call: the path's bytes enter the HMAC message.",
                ["KSPOT-006", "KSPOT-010"], ["form-body", "endpoint"], path=f"/0/private/{ep}", nonce=nn,
                body=tmpl.format(n=nn))
    secrets = [
        (1, "secret-1-byte", "A secret that decodes to a single byte (AQ== style, two padding characters)."),
        (2, "secret-2-bytes", "A secret that decodes to two bytes (one padding character)."),
        (32, "secret-32-bytes", "A 32-byte secret (shorter than the HMAC-SHA512 block, zero-padded)."),
        (127, "secret-127-bytes", "A 127-byte secret: one byte under the HMAC-SHA512 block size."),
        (128, "secret-128-bytes", "A 128-byte secret: exactly the HMAC-SHA512 block size, used as is."),
        (129, "secret-129-bytes", "A 129-byte secret: one byte over the block size, so HMAC hashes the key first."),
        (200, "secret-200-bytes", "A 200-byte secret, longer than the block: HMAC keys with SHA-512(secret)."),
    ]
    for i, (size, name, desc) in enumerate(secrets):
        flags = ["form-body", "key-length"]
        if size > 128:
            flags.append("key-longer-than-block")
        if size == 128:
            flags.append("key-block-size")
        sign_ok(g, name, desc, [], flags, secret=b64(test_bytes(f"length {size}", size)),
                nonce=str(1700000002000 + i), res="R18")
    # A secret rich in '+' and '/' whose URL-safe twin is refused (refusals/secret-url-safe-alphabet).
    rich = bytes.fromhex("fbefbe" * 21 + "ff")
    assert "+" in b64(rich) and "/" in b64(rich)
    sign_ok(g, "secret-plus-slash-alphabet",
            "A secret whose base64 is full of '+' and '/': both must decode as standard base64.",
            [], ["form-body", "undecoded-secret-trap"], secret=b64(rich), nonce="1700000003000")
    sign_ok(g, "api-key-visible-ascii-bounds",
            "An API key using '!' (0x21) and '~' (0x7E), the bounds of visible ASCII, is sent as issued.",
            ["KSPOT-004"], ["form-body", "api-key"], api_key="!authspec-test-key~", nonce="1700000003100")
    sign_ok(g, "api-key-base64-like",
            "A 56-character API key in Kraken's own style ('+', '/', '=') is sent unchanged in API-Key.",
            ["KSPOT-004"], ["form-body", "api-key"],
            api_key="AuthSpecTestKey+OnlyForVectors/NotIssuedByKraken0000==", nonce="1700000003200")


# ---------------------------------------------------------------------------------------------------------------
# form.yaml: form bodies hashed as sent; the nonce found after percent-decoding.

def form() -> None:
    g = "form"
    group(g, "Form-encoded bodies: hashed byte for byte as sent; keys and values percent-decoded ('+' is space) "
             "only to find and compare the nonce (WHATWG form parsing).")
    reqs = ["KSPOT-010"]
    sign_ok(g, "nonce-not-first", "The nonce parameter last: parameter order is free and the body is hashed as sent.",
            reqs + ["KSPOT-008", "KSPOT-009"], ["form-body"], path="/0/private/AddOrder", nonce="1700000010000",
            body="pair=XBTUSD&type=sell&ordertype=market&volume=0.5&nonce=1700000010000", res="R5")
    sign_ok(g, "nonce-in-middle", "The nonce between other parameters.",
            reqs + ["KSPOT-008"], ["form-body"], path="/0/private/TradeBalance", nonce="1700000010001",
            body="asset=ZEUR&nonce=1700000010001&extra=1", res="R5")
    sign_ok(g, "percent-encoded-values",
            "Percent-encoded values (%2C, %3A, %2F) are hashed in their encoded form, never decoded.",
            reqs, ["form-body", "percent-encoding"], path="/0/private/QueryOrders", nonce="1700000010002",
            body="nonce=1700000010002&txid=OQCLML-BW3P3-BUCMWZ%2COYVGEW-VYV5B-UUEXSK&userref=a%3Ab%2Fc")
    sign_ok(g, "lowercase-percent-hex", "Lowercase hex in escapes (%2c) is kept as sent, not normalized to %2C.",
            reqs, ["form-body", "percent-encoding"], path="/0/private/QueryOrders", nonce="1700000010003",
            body="nonce=1700000010003&txid=OQCLML-BW3P3-BUCMWZ%2cOYVGEW-VYV5B-UUEXSK")
    sign_ok(g, "plus-as-space", "'+' in a value stands for a space; the body is hashed with the '+' as sent.",
            reqs, ["form-body", "percent-encoding"], path="/0/private/AddOrder", nonce="1700000010004",
            body="nonce=1700000010004&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25"
                 "&userref=123&oflags=post&close%5Bordertype%5D=limit&comment=hello+world")
    sign_ok(g, "stray-percent", "A '%' not followed by two hex digits stays as it is and does not make the body "
                                "malformed.",
            reqs, ["form-body", "percent-encoding"], path="/0/private/AddOrder", nonce="1700000010013",
            body="nonce=1700000010013&comment=100%&note=%zz", res="R5")
    sign_ok(g, "percent-encoded-nonce-key",
            "The key 'non%63e' percent-decodes to 'nonce': it is the nonce parameter; the body is hashed as sent.",
            reqs + ["KSPOT-008"], ["form-body", "percent-encoding"], nonce="1700000010005",
            body="non%63e=1700000010005", res="R5")
    sign_ok(g, "percent-encoded-nonce-value",
            "The nonce value written as %31%37... decodes to the nonce; the hash uses the nonce text, then the "
            "body as sent.",
            reqs + ["KSPOT-009", "KSPOT-013"], ["form-body", "percent-encoding"], nonce="1700000010006",
            body="nonce=" + "".join(f"%{ord(c):02X}" for c in "1700000010006") + "&asset=XBT", res="R5")
    sign_ok(g, "trailing-ampersand", "An empty trailing piece after '&' is skipped; only the hashed bytes include it.",
            reqs, ["form-body"], nonce="1700000010007", body="nonce=1700000010007&asset=XBT&", res="R5")
    sign_ok(g, "content-type-absent", "No Content-Type header: the body is form.",
            reqs + ["KSPOT-017"], ["form-body", "content-type"], headers={}, nonce="1700000010008", res="R8")
    sign_ok(g, "content-type-form-charset", "application/x-www-form-urlencoded with a charset parameter is form.",
            reqs + ["KSPOT-017"], ["form-body", "content-type"],
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}, nonce="1700000010009")
    sign_ok(g, "content-type-text-plain", "An unrelated media type (text/plain) is treated as form.",
            reqs + ["KSPOT-017"], ["form-body", "content-type"], headers={"Content-Type": "text/plain"},
            nonce="1700000010010", res="R8")
    sign_ok(g, "utf8-raw-value", "A raw (unencoded) UTF-8 value is hashed as its UTF-8 bytes, not normalized.",
            reqs + ["KSPOT-018"], ["form-body", "unicode"], path="/0/private/AddOrder", nonce="1700000010011",
            body="nonce=1700000010011&pair=XBTEUR&type=buy&ordertype=market&volume=1&cl_ord_id=caf\u00e9-\u20ac")
    sign_ok(g, "utf8-decomposed-value",
            "'cafe' + U+0301 (decomposed e-acute) is hashed as sent; an NFC-normalizing signer differs.",
            reqs + ["KSPOT-018"], ["form-body", "unicode"], path="/0/private/AddOrder", nonce="1700000010012",
            body="nonce=1700000010012&pair=XBTEUR&type=buy&ordertype=market&volume=1&cl_ord_id=cafe\u0301")
    sign_err(g, "nonce-key-plus-space", "'non+ce' decodes to 'non ce', which is not 'nonce': no nonce.",
             "nonce-missing", ["KSPOT-008", "KSPOT-010"], ["form-body", "percent-encoding"],
             body="non+ce=1700000000000&asset=XBT", res="R5")
    sign_err(g, "nonce-key-uppercase", "Parameter names are case-sensitive: 'NONCE' is not 'nonce'.",
             "nonce-missing", ["KSPOT-008", "KSPOT-010"], ["form-body"], body="NONCE=1700000000000", res="R5")
    sign_err(g, "nonce-without-equals", "A piece 'nonce' without '=' is a nonce with an empty value: mismatch.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-010"], ["form-body"], body="nonce&asset=XBT", res="R5")
    sign_err(g, "nonce-twice-once-encoded", "'nonce' and 'non%63e' are the same key after decoding: named twice.",
             "body-invalid", ["KSPOT-012", "KSPOT-010"], ["form-body", "percent-encoding", "duplicate-nonce"],
             body="nonce=1700000000000&non%63e=1700000000000", res="R7")
    sign_err(g, "nonce-value-plus", "A trailing '+' decodes to a space: the body's nonce differs from the nonce.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-010"], ["form-body", "percent-encoding"],
             body="nonce=1700000000000+&asset=XBT", res="R5")
    sign_err(g, "nonce-value-encoded-different", "The percent-decoded nonce value ('%32' is '2') differs.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-010"], ["form-body", "percent-encoding"],
             body="nonce=170000000000%32")


# ---------------------------------------------------------------------------------------------------------------
# json.yaml: JSON bodies hashed as sent.

def json_group() -> None:
    g = "json"
    group(g, "JSON bodies (Content-Type application/json): hashed byte for byte as sent, never re-serialized; the "
             "top-level nonce member is a JSON integer or a string of digits whose literal text is the nonce.")
    reqs = ["KSPOT-011", "KSPOT-017"]
    sign_ok(g, "nonce-integer", "A compact JSON AddOrder body with the nonce as a JSON integer.",
            reqs + ["KSPOT-009"], ["json-body"], path="/0/private/AddOrder", headers=JSON, nonce="1700000020000",
            body='{"nonce":1700000020000,"ordertype":"limit","pair":"XBTUSD","price":"37500","type":"buy",'
                 '"volume":"1.25"}')
    sign_ok(g, "nonce-string", "The nonce as a JSON string of digits; the hash uses the digits without quotes.",
            reqs + ["KSPOT-009"], ["json-body"], path="/0/private/AddOrder", headers=JSON, nonce="1700000020001",
            body='{"nonce":"1700000020001","ordertype":"market","pair":"XBTUSD","type":"sell","volume":"0.5"}',
            res="R6")
    sign_ok(g, "nonce-last", "The nonce member last: member order is free.",
            reqs + ["KSPOT-008"], ["json-body"], path="/0/private/Balance", headers=JSON, nonce="1700000020002",
            body='{"asset":"XBT","nonce":1700000020002}')
    sign_ok(g, "nonce-u64-max-integer",
            "Nonce u64::MAX as a JSON integer: a parser that reads numbers as f64 loses digits and mismatches.",
            reqs + ["KSPOT-007", "KSPOT-009"], ["json-body", "nonce-extreme", "json-number-precision"],
            headers=JSON, nonce=U64_MAX, body='{"nonce":' + U64_MAX + '}', res="R2")
    sign_ok(g, "nested-objects", "Nested objects and arrays are part of the hashed bytes, kept as sent.",
            reqs, ["json-body"], path="/0/private/AddOrderBatch", headers=JSON, nonce="1700000020003",
            body='{"nonce":1700000020003,"pair":"XBTUSD","orders":[{"ordertype":"limit","price":"40000",'
                 '"type":"buy","volume":"1","close":{"ordertype":"stop-loss","price":"38000"}},'
                 '{"ordertype":"limit","price":"42000","type":"sell","volume":"1"}],"deadline":null,'
                 '"validate":false}')
    sign_ok(g, "whitespace-kept", "Pretty-printed JSON with newlines and indentation is hashed as sent, not minified.",
            reqs, ["json-body", "whitespace"], path="/0/private/AddOrder", headers=JSON, nonce="1700000020004",
            body='{\n  "nonce": 1700000020004,\n  "ordertype": "limit",\n  "pair": "XBTUSD",\n'
                 '  "price": "37500",\n  "type": "buy",\n  "volume": "1.25"\n}\n')
    sign_ok(g, "whitespace-around-tokens", "Spaces and a tab around tokens and outside the object are kept.",
            reqs, ["json-body", "whitespace"], headers=JSON, nonce="1700000020005",
            body=' { "nonce" :\t1700000020005 , "asset" : "XBT" } ')
    sign_ok(g, "unicode-raw", "Raw non-ASCII text in a JSON string is hashed as its UTF-8 bytes.",
            reqs + ["KSPOT-018"], ["json-body", "unicode"], path="/0/private/AddOrder", headers=JSON,
            nonce="1700000020006",
            body='{"nonce":1700000020006,"pair":"XBTEUR","type":"buy","ordertype":"market","volume":"1",'
                 '"cl_ord_id":"\u00fcber-\u20ac-\u6f22\u5b57-\U0001f680"}')
    sign_ok(g, "unicode-escaped", "\\u escapes are hashed as the six ASCII characters sent, not as the character.",
            reqs + ["KSPOT-018"], ["json-body", "unicode"], path="/0/private/AddOrder", headers=JSON,
            nonce="1700000020007",
            body='{"nonce":1700000020007,"cl_ord_id":"\\u00fcber-\\u20ac"}')
    sign_ok(g, "escaped-nonce-key", "The member name \"non\\u0063e\" is 'nonce' after JSON unescaping.",
            reqs + ["KSPOT-008"], ["json-body", "unicode"], headers=JSON, nonce="1700000020008",
            body='{"non\\u0063e":1700000020008}')
    sign_ok(g, "nested-nonce-ignored",
            "Only the top-level nonce counts; a 'nonce' inside a nested object is ordinary data.",
            reqs + ["KSPOT-008", "KSPOT-009"], ["json-body"], path="/0/private/AddOrder", headers=JSON,
            nonce="1700000020009", body='{"meta":{"nonce":"other"},"nonce":1700000020009}')
    sign_ok(g, "content-type-charset", "application/json; charset=utf-8 is JSON (parameters ignored).",
            reqs, ["json-body", "content-type"], headers={"Content-Type": "application/json; charset=utf-8"},
            nonce="1700000020010", body='{"nonce":1700000020010}', res="R8")
    sign_ok(g, "content-type-mixed-case", "The media type is compared case-insensitively: Application/JSON is JSON.",
            reqs, ["json-body", "content-type"], headers={"Content-Type": "Application/JSON;Charset=UTF-8"},
            nonce="1700000020011", body='{"nonce":"1700000020011"}', res="R8")
    sign_ok(g, "content-type-space-before-semicolon",
            "Spaces around the media type before ';' are removed: 'application/json ; charset=utf-8' is JSON.",
            reqs, ["json-body", "content-type"], headers={"Content-Type": "application/json ; charset=utf-8"},
            nonce="1700000020013", body='{"nonce":1700000020013}', res="R8")
    sign_ok(g, "header-name-lowercase", "A lowercase 'content-type' header name still selects JSON.",
            reqs, ["json-body", "content-type", "header-case"], headers={"content-type": "application/json"},
            nonce="1700000020012", body='{"nonce":1700000020012}', res="R16")
    sign_err(g, "body-array", "A JSON array, even one holding a nonce object, is not a JSON object.",
             "body-invalid", ["KSPOT-012", "KSPOT-011"], ["json-body"], headers=JSON,
             body='[{"nonce":1700000000000}]')
    sign_err(g, "body-not-json", "A form body sent as application/json is not valid JSON.",
             "body-invalid", ["KSPOT-012", "KSPOT-017"], ["json-body", "content-type"], headers=JSON,
             body="nonce=1700000000000")
    sign_err(g, "body-trailing-comma", "A trailing comma is not JSON.",
             "body-invalid", ["KSPOT-012"], ["json-body", "lenient-json-trap"], headers=JSON,
             body='{"nonce":1700000000000,}')
    sign_err(g, "body-nan", "NaN is not JSON (some parsers accept it): body-invalid.",
             "body-invalid", ["KSPOT-012"], ["json-body", "lenient-json-trap"], headers=JSON,
             body='{"nonce":1700000000000,"price":NaN}')
    sign_err(g, "body-leading-zero-number", "{\"nonce\":01} is not valid JSON (a number with a leading zero).",
             "body-invalid", ["KSPOT-012"], ["json-body", "lenient-json-trap"], headers=JSON, nonce="1",
             body='{"nonce":01}')
    sign_err(g, "body-byte-order-mark", "A byte-order mark before the object makes the JSON body malformed.",
             "body-invalid", ["KSPOT-012"], ["json-body", "lenient-json-trap", "unicode"], headers=JSON,
             body='\ufeff{"nonce":1700000000000}')
    sign_err(g, "body-empty", "An empty body is not a JSON object.",
             "body-invalid", ["KSPOT-012"], ["json-body"], headers=JSON, body="")
    sign_err(g, "body-two-objects", "Two concatenated objects are not one JSON text.",
             "body-invalid", ["KSPOT-012"], ["json-body", "lenient-json-trap"], headers=JSON,
             body='{"nonce":1700000000000}{"nonce":1700000000000}')
    sign_err(g, "nonce-twice", "The top-level member 'nonce' named twice (same value): body-invalid.",
             "body-invalid", ["KSPOT-012"], ["json-body", "duplicate-nonce"], headers=JSON,
             body='{"nonce":1700000000000,"nonce":1700000000000}', res="R7")
    sign_err(g, "nonce-twice-escaped", "'nonce' and 'non\\u0063e' are the same member name: named twice.",
             "body-invalid", ["KSPOT-012"], ["json-body", "duplicate-nonce", "unicode"], headers=JSON,
             body='{"nonce":1700000000000,"non\\u0063e":1700000000000}', res="R7")
    sign_err(g, "nonce-only-nested", "A 'nonce' only inside a nested object: the body carries no nonce.",
             "nonce-missing", ["KSPOT-008"], ["json-body"], headers=JSON, body='{"order":{"nonce":1700000000000}}')
    sign_err(g, "json-with-form-content-type", "A JSON body declared as form: read as form, it has no nonce.",
             "nonce-missing", ["KSPOT-008", "KSPOT-017"], ["json-body", "content-type"], headers=FORM,
             body='{"nonce":1700000000000}', res="R8")
    sign_err(g, "json-without-content-type", "A JSON body without Content-Type is read as form: no nonce.",
             "nonce-missing", ["KSPOT-008", "KSPOT-017"], ["json-body", "content-type"], headers={},
             body='{"nonce":1700000000000}', res="R8")
    sign_err(g, "json-vnd-api-content-type", "application/vnd.api+json is not application/json: form, no nonce.",
             "nonce-missing", ["KSPOT-008", "KSPOT-017"], ["json-body", "content-type"],
             headers={"Content-Type": "application/vnd.api+json"}, body='{"nonce":1700000000000}', res="R8")
    sign_err(g, "nonce-exponent", "1.7e12 is numerically the nonce but its text differs: nonce-mismatch.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-011"], ["json-body", "json-number-precision"], headers=JSON,
             nonce="1700000000000", body='{"nonce":1.7e12}', res="R6")
    sign_err(g, "nonce-fraction", "1700000000000.0 is not the nonce's text: nonce-mismatch.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-011"], ["json-body", "json-number-precision"], headers=JSON,
             body='{"nonce":1700000000000.0}', res="R6")
    sign_err(g, "nonce-negative-zero", "-0 is numerically 0 but not the nonce text '0': nonce-mismatch.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-011"], ["json-body", "json-number-precision"], headers=JSON,
             nonce="0", body='{"nonce":-0}', res="R6")
    sign_err(g, "nonce-escaped-string", "\"\\u0031700000000000\" unescapes to the nonce, but its literal text "
                                        "differs: nonce-mismatch.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-011"], ["json-body", "unicode"], headers=JSON,
             body='{"nonce":"\\u0031700000000000"}', res="R6")
    sign_err(g, "nonce-leading-zero-string", "The string \"01700000000000\" is not the nonce's text.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-011"], ["json-body"], headers=JSON,
             body='{"nonce":"01700000000000"}', res="R6")
    sign_err(g, "nonce-boolean", "A boolean nonce member is neither an integer nor a string of digits.",
             "nonce-mismatch", ["KSPOT-009", "KSPOT-011"], ["json-body"], headers=JSON, body='{"nonce":true}')
    sign_err(g, "nonce-different", "The body's nonce (one higher) differs from the nonce that is hashed.",
             "nonce-mismatch", ["KSPOT-009"], ["json-body"], headers=JSON, body='{"nonce":1700000000001}')


# ---------------------------------------------------------------------------------------------------------------
# refusals.yaml: every sign-side refusal, several times each, and the refusal order.

def refusals() -> None:
    g = "refusals"
    group(g, "Sign-side refusals: no signature is produced. One code per vector; multi-defect inputs pin the "
             "order api-key, secret, method, path, nonce, body, nonce-missing, nonce-mismatch.")
    # api-key-invalid
    for name, key, desc in [
        ("api-key-empty", "", "An empty API key."),
        ("api-key-crlf-injection", "authspec-test-key-1\r\nX-Injected: 1", "CR LF in the API key (header injection)."),
        ("api-key-inner-space", "authspec test key", "A space (0x20) is not visible ASCII."),
        ("api-key-tab", "authspec-test-key-1\t", "A trailing tab."),
        ("api-key-del", "authspec-test-key-1\x7f", "DEL (0x7F) is outside 0x21..0x7E."),
        ("api-key-non-ascii", "authspec-t\u00e9st-key", "A non-ASCII character (U+00E9)."),
    ]:
        sign_err(g, name, desc + " Refused: api-key-invalid.", "api-key-invalid", ["KSPOT-004"], ["api-key"],
                 api_key=key)
    # secret-invalid
    good = test_bytes("url-safe twin", 64)
    std = b64(good)
    assert "+" in std or "/" in std
    url = std.replace("+", "-").replace("/", "_")
    lenient = "R1"  # Python's, Node's and other lenient decoders accept these; the spec does not
    for name, secret, desc, flags, res in [
        ("secret-url-safe-alphabet", url, "The URL-safe alphabet ('-', '_') is refused.", ["undecoded-secret-trap"],
         lenient),
        ("secret-missing-padding", std.rstrip("="), "A secret without its '=' padding is refused.", [], lenient),
        ("secret-trailing-newline", std + "\n", "A trailing newline (copied from a file) is refused.",
         ["whitespace"], lenient),
        ("secret-inner-space", std[:40] + " " + std[40:], "A space inside the secret is refused.", ["whitespace"],
         lenient),
        ("secret-non-canonical-bits", "QR==",
         "'QR==' has non-zero trailing bits (the canonical encoding of 0x41 is 'QQ=='): refused.", [], lenient),
        ("secret-non-canonical-bits-one-pad", "QUJ=",
         "'QUJ=' has non-zero trailing bits (the canonical encoding of 'AB' is 'QUI='): refused.", [], lenient),
        ("secret-padding-inside", "QQ==QQ==", "Padding in the middle is refused.", [], lenient),
        ("secret-excess-padding", "QQ===", "Three padding characters are refused.", [], lenient),
        ("secret-only-padding", "====", "A secret of padding only is not valid base64.", [], None),
        ("secret-bad-character", std[:20] + "*" + std[21:], "'*' is outside the base64 alphabet.", [], lenient),
        ("secret-plain-text", "authspec-not-base64!", "A plain-text secret (not base64 at all) is refused.",
         ["undecoded-secret-trap"], None),
    ]:
        sign_err(g, name, desc, "secret-invalid", ["KSPOT-002"], ["secret-encoding", *flags], secret=secret,
                 res=res)
    # The non-canonical traps really are accepted by a lenient decoder and really differ from the canonical form.
    for lenient, canonical in (("QR==", "QQ=="), ("QUJ=", "QUI=")):
        assert base64.b64decode(lenient) == base64.b64decode(canonical) and b64(base64.b64decode(lenient)) == canonical
    assert base64.urlsafe_b64decode(url) == good
    # secret-empty
    sign_err(g, "secret-empty-form", "An empty secret decodes to zero bytes: secret-empty.", "secret-empty",
             ["KSPOT-003"], ["secret-encoding"], secret="")
    sign_err(g, "secret-empty-json", "An empty secret with a JSON body: secret-empty.", "secret-empty",
             ["KSPOT-003"], ["secret-encoding", "json-body"], secret="", headers=JSON, body='{"nonce":1700000000000}')
    # method-invalid
    for name, method, desc in [
        ("method-get", "GET", "GET on a private endpoint."),
        ("method-lowercase-post", "post", "Methods are case-sensitive: 'post' is not POST."),
        ("method-put", "PUT", "PUT on a private endpoint."),
        ("method-empty", "", "An empty method."),
    ]:
        sign_err(g, name, desc + " Refused: method-invalid.", "method-invalid", ["KSPOT-005"], ["method"],
                 method=method)
    # path-invalid
    for name, path, desc, res in [
        ("path-public-time", "/0/public/Time", "A public endpoint is not signed.", None),
        ("path-private-no-endpoint", "/0/private/", "The endpoint is empty.", None),
        ("path-query-string", "/0/private/Balance?asset=XBT", "A query string: parameters belong in the body.", "R4"),
        ("path-fragment", "/0/private/Balance#x", "A fragment.", "R4"),
        ("path-trailing-slash", "/0/private/Balance/", "A trailing slash.", None),
        ("path-full-url", "https://api.kraken.com/0/private/Balance", "A full URL instead of the path.", None),
        ("path-no-leading-slash", "0/private/Balance", "No leading slash.", None),
        ("path-wrong-version", "/1/private/Balance", "Another API version.", None),
        ("path-encoded-char", "/0/private/Add%4Frder", "A percent-encoded endpoint is not [A-Za-z0-9]+.", None),
        ("path-double-slash", "/0/private//Balance", "An empty segment.", None),
    ]:
        sign_err(g, name, desc + " Refused: path-invalid.", "path-invalid", ["KSPOT-006"], ["path"], path=path,
                 res=res)
    # nonce-invalid (body agrees with the nonce given, so only the syntax is wrong)
    for name, nonce, desc, flags in [
        ("nonce-leading-zero", "01700000000000", "A leading zero.", []),
        ("nonce-plus-sign", "+1700000000000", "A sign.", []),
        ("nonce-negative", "-1", "A negative number.", []),
        ("nonce-u64-overflow", "18446744073709551616", "u64::MAX + 1.", ["nonce-extreme"]),
        ("nonce-empty", "", "An empty nonce.", []),
        ("nonce-decimal-point", "1700000000000.0", "A decimal point.", []),
        ("nonce-inner-space", "1700000 000000", "A space.", []),
        ("nonce-arabic-indic-digits", "\u0661\u0667\u0660\u0660",
         "Arabic-Indic digits are Unicode digits but not ASCII.", ["unicode"]),
        ("nonce-hex", "0x18", "Hexadecimal.", []),
    ]:
        sign_err(g, name, desc + " Refused: nonce-invalid.", "nonce-invalid", ["KSPOT-007"], ["nonce-syntax", *flags],
                 nonce=nonce, body=f"nonce={nonce}",
                 res=None if name in ("nonce-negative", "nonce-u64-overflow") else "R2")
    # body-invalid, nonce-missing, nonce-mismatch (form; JSON ones are in json.yaml)
    sign_err(g, "form-nonce-twice", "The form key 'nonce' twice, same value.", "body-invalid", ["KSPOT-012"],
             ["form-body", "duplicate-nonce"], body="nonce=1700000000000&asset=XBT&nonce=1700000000000", res="R7")
    sign_err(g, "form-nonce-twice-different", "The form key 'nonce' twice, the second one different.",
             "body-invalid", ["KSPOT-012"], ["form-body", "duplicate-nonce"],
             body="nonce=1700000000000&nonce=1700000000001", res="R7")
    sign_err(g, "json-array-body", "A JSON array body.", "body-invalid", ["KSPOT-012"], ["json-body"],
             headers=JSON, body="[1700000000000]")
    sign_err(g, "form-nonce-missing", "A form body without nonce.", "nonce-missing", ["KSPOT-008"], ["form-body"],
             path="/0/private/TradeBalance", body="asset=ZUSD")
    sign_err(g, "json-nonce-missing", "A JSON body without nonce.", "nonce-missing", ["KSPOT-008"], ["json-body"],
             headers=JSON, body='{"asset":"ZUSD"}')
    sign_err(g, "form-empty-body", "An empty form body has no nonce.", "nonce-missing", ["KSPOT-008"], ["form-body"],
             body="")
    sign_err(g, "form-nonce-mismatch", "The body's nonce differs from the nonce given.", "nonce-mismatch",
             ["KSPOT-009"], ["form-body"], nonce="1700000000001", body="nonce=1700000000000")
    sign_err(g, "form-nonce-leading-zero-in-body", "The body writes the nonce with a leading zero.",
             "nonce-mismatch", ["KSPOT-009"], ["form-body"], body="nonce=01700000000000", res="R2")
    sign_err(g, "form-nonce-empty-value", "The body's nonce parameter is empty.", "nonce-mismatch",
             ["KSPOT-009"], ["form-body"], body="nonce=&asset=XBT")
    sign_err(g, "json-nonce-mismatch", "A JSON body whose nonce differs from the nonce given.", "nonce-mismatch",
             ["KSPOT-009"], ["json-body"], headers=JSON, nonce="1700000000001", body='{"nonce":"1700000000000"}')
    # Refusal order: two defects, the earlier check wins.
    sign_err(g, "order-api-key-before-secret", "Empty API key and an invalid secret: api-key-invalid first.",
             "api-key-invalid", ["KSPOT-004"], ["check-order"], res="R15", api_key="", secret="QR==")
    sign_err(g, "order-secret-before-method", "Invalid secret and GET: secret-invalid first.",
             "secret-invalid", ["KSPOT-002"], ["check-order"], res="R15", secret="QR==", method="GET")
    sign_err(g, "order-secret-empty-before-method", "Empty secret and GET: secret-empty first.",
             "secret-empty", ["KSPOT-003"], ["check-order"], res="R15", secret="", method="GET")
    sign_err(g, "order-method-before-path", "GET on /0/public/Time: method-invalid first.",
             "method-invalid", ["KSPOT-005"], ["check-order"], res="R15", method="GET", path="/0/public/Time")
    sign_err(g, "order-path-before-nonce", "A query string and a signed nonce: path-invalid first.",
             "path-invalid", ["KSPOT-006"], ["check-order"], res="R15", path="/0/private/Balance?x=1", nonce="-1",
             body="nonce=-1")
    sign_err(g, "order-nonce-before-body", "Invalid nonce and a JSON array body: nonce-invalid first.",
             "nonce-invalid", ["KSPOT-007"], ["check-order"], res="R15", nonce="007", headers=JSON, body="[]")
    sign_err(g, "order-body-before-missing", "Duplicate-free but malformed JSON without nonce: body-invalid first.",
             "body-invalid", ["KSPOT-012"], ["check-order"], res="R15", headers=JSON, body='{"asset":"XBT"')


# ---------------------------------------------------------------------------------------------------------------
# verify.yaml: the verifier, every rejection path in the check order.

def verify() -> None:
    g = "verify"
    group(g, "The verifier: acceptances and every rejection path in the fixed check order, each rejection with "
             "Kraken's HTTP-200 error envelope.")
    n = "1700000030000"
    verify_case(g, "accept-form", "A correctly signed form request is accepted; the result names key and nonce.",
                [], ["form-body"], path="/0/private/Balance", nonce=n)
    verify_case(g, "accept-json-integer-nonce", "A correctly signed JSON request with an integer nonce is accepted.",
                ["KSPOT-011", "KSPOT-017"], ["json-body"], path="/0/private/AddOrder",
                content_type="application/json", nonce="1700000030001",
                body='{"nonce":1700000030001,"ordertype":"market","pair":"XBTUSD","type":"buy","volume":"0.01"}')
    verify_case(g, "accept-json-string-nonce",
                "A JSON nonce written as a string: the MAC is recomputed over its digits, without quotes.",
                ["KSPOT-011"], ["json-body"], path="/0/private/Balance",
                content_type="application/json; charset=utf-8", nonce="1700000030002",
                body='{ "nonce" : "1700000030002" }', res="R6")
    verify_case(g, "accept-second-key", "Two registered keys: the request is checked against the one it names.",
                ["KSPOT-021"], ["form-body"], keys=[key_entry(KEY1, SECRET1), key_entry(KEY2, SECRET2)],
                api_key=KEY2, nonce="1700000030003")
    verify_case(g, "accept-lowercase-header-names",
                "Header names are case-insensitive: 'api-key', 'api-sign', 'content-type'.",
                ["KSPOT-021", "KSPOT-022"], ["form-body", "header-case"], nonce="1700000030004",
                header_names=("api-key", "api-sign", "content-type"), res="R16")
    verify_case(g, "accept-no-content-type", "No Content-Type: the body is read as form.",
                ["KSPOT-017"], ["form-body", "content-type"], content_type=None, nonce="1700000030005",
                body="asset=XBT&nonce=1700000030005", res="R8")
    verify_case(g, "accept-permitted-endpoint", "A key limited to AddOrder and Balance calls AddOrder.",
                ["KSPOT-025"], ["permission"], keys=[key_entry(permissions=["AddOrder", "Balance"])],
                path="/0/private/AddOrder", nonce="1700000030006",
                body="nonce=1700000030006&ordertype=limit&pair=XBTUSD&price=30000&type=buy&volume=0.1", res="R10")
    verify_case(g, "accept-unicode-body", "A body with raw UTF-8 is verified over its UTF-8 bytes.",
                ["KSPOT-018"], ["json-body", "unicode"], path="/0/private/AddOrder",
                content_type="application/json", nonce="1700000030007",
                body='{"nonce":1700000030007,"cl_ord_id":"caf\u00e9-\u20ac"}')
    # 1. method
    verify_case(g, "reject-method-get", "GET: method-invalid, answered 'EAPI:Bad request'.",
                ["KSPOT-030"], ["method"], method="GET", error="method-invalid", res="R11")
    # 2. path
    verify_case(g, "reject-path-public", "A signed request to /0/public/Time: path-invalid.",
                ["KSPOT-030"], ["path"], path="/0/public/Time", error="path-invalid", res="R11")
    verify_case(g, "reject-path-query", "A query string on a private path: path-invalid.",
                ["KSPOT-030"], ["path"], path="/0/private/Balance?asset=XBT", error="path-invalid", res="R4, R11")
    # 3. API-Key header
    verify_case(g, "reject-api-key-header-missing", "No API-Key header: header-missing, 'EAPI:Invalid key'.",
                ["KSPOT-021"], ["header"], omit=("API-Key",), error="header-missing", wire=E_INVALID_KEY)
    verify_case(g, "reject-api-key-header-empty", "An empty API-Key header: header-missing, 'EAPI:Invalid key'.",
                ["KSPOT-021"], ["header"], api_key="", sign=api_sign(SECRET1, "/0/private/Balance", n, f"nonce={n}"),
                error="header-missing", wire=E_INVALID_KEY)
    # 4. unknown key
    verify_case(g, "reject-key-unknown", "A key that is not registered: key-unknown, 'EAPI:Invalid key'.",
                ["KSPOT-021"], ["header"], api_key="authspec-unknown-key",
                sign=api_sign(SECRET1, "/0/private/Balance", n, f"nonce={n}"), error="key-unknown")
    verify_case(g, "reject-key-case-differs", "API keys are compared exactly: a different case is unknown.",
                ["KSPOT-021"], ["header"], api_key=KEY1.upper(),
                sign=api_sign(SECRET1, "/0/private/Balance", n, f"nonce={n}"), error="key-unknown", res="R16")
    # 5. API-Sign header
    verify_case(g, "reject-api-sign-header-missing", "No API-Sign header: header-missing, 'EAPI:Invalid signature'.",
                ["KSPOT-022"], ["header"], omit=("API-Sign",), error="header-missing", wire=E_INVALID_SIGNATURE)
    verify_case(g, "reject-api-sign-header-empty", "An empty API-Sign: header-missing, 'EAPI:Invalid signature'.",
                ["KSPOT-022"], ["header"], sign="", error="header-missing", wire=E_INVALID_SIGNATURE)
    # 6. malformed signature
    good = api_sign(SECRET1, "/0/private/Balance", n, f"nonce={n}")
    mac = base64.b64decode(good)
    verify_case(g, "reject-sign-unpadded", "The right MAC without its '==' padding: signature-malformed.",
                ["KSPOT-022"], ["signature-encoding"], sign=good.rstrip("="), error="signature-malformed", res="R1")
    verify_case(g, "reject-sign-hex", "The right MAC in hex (128 chars, decodes to 96 bytes): signature-malformed.",
                ["KSPOT-022"], ["signature-encoding"], sign=mac.hex(), error="signature-malformed")
    verify_case(g, "reject-sign-32-bytes", "Standard base64 of 32 bytes: signature-malformed.",
                ["KSPOT-022"], ["signature-encoding"], sign=b64(mac[:32]), error="signature-malformed")
    verify_case(g, "reject-sign-url-safe", "The MAC in URL-safe base64: signature-malformed.",
                ["KSPOT-022"], ["signature-encoding"],
                sign=b64(bytes.fromhex("fbff") + mac[2:]).replace("+", "-").replace("/", "_"),
                error="signature-malformed", res="R1")
    # 7. malformed body
    verify_case(g, "reject-body-json-array", "A signed JSON array body: body-invalid, 'EAPI:Bad request'.",
                ["KSPOT-012", "KSPOT-030"], ["json-body"], content_type="application/json",
                body="[1700000030000]", error="body-invalid", res="R11")
    verify_case(g, "reject-body-nonce-twice", "A signed form body with 'nonce' twice: body-invalid.",
                ["KSPOT-012", "KSPOT-030"], ["form-body", "duplicate-nonce"],
                body="nonce=1700000030000&nonce=1700000030001", error="body-invalid", res="R7, R11")
    # 8. nonce syntax
    verify_case(g, "reject-nonce-missing", "A signed form body without nonce: nonce-missing, 'EAPI:Invalid nonce'.",
                ["KSPOT-031"], ["form-body"], body="asset=XBT", nonce="", error="nonce-missing")
    verify_case(g, "reject-json-nonce-missing", "A signed JSON body without top-level nonce: nonce-missing.",
                ["KSPOT-031"], ["json-body"], content_type="application/json", body='{"asset":"XBT"}', nonce="",
                error="nonce-missing")
    verify_case(g, "reject-nonce-leading-zero", "A body nonce '01700000030000' (signed as such): nonce-invalid.",
                ["KSPOT-031"], ["nonce-syntax"], nonce="01700000030000", error="nonce-invalid", res="R2")
    verify_case(g, "reject-nonce-overflow", "A body nonce of u64::MAX + 1: nonce-invalid.",
                ["KSPOT-031"], ["nonce-syntax", "nonce-extreme"], nonce="18446744073709551616",
                error="nonce-invalid")
    verify_case(g, "reject-nonce-json-exponent", "A JSON nonce written 1.7e12: not canonical decimal, nonce-invalid.",
                ["KSPOT-031"], ["json-body", "nonce-syntax"], content_type="application/json", nonce="1.7e12",
                body='{"nonce":1.7e12}', error="nonce-invalid", res="R2, R6")
    verify_case(g, "reject-nonce-empty", "An empty form nonce value: nonce-invalid.",
                ["KSPOT-031"], ["form-body", "nonce-syntax"], nonce="", body="nonce=&asset=XBT",
                error="nonce-invalid", res="R2")
    # 9. MAC
    verify_case(g, "reject-signed-with-other-secret", "Signed with another key's secret: signature-mismatch.",
                ["KSPOT-023"], [], sign_with=(SECRET2, "/0/private/Balance", n, f"nonce={n}"),
                error="signature-mismatch", with_stages=True, res="R12")
    verify_case(g, "reject-body-tampered", "A parameter changed after signing (volume 1.25 -> 12.5): mismatch.",
                ["KSPOT-023"], ["form-body"], path="/0/private/AddOrder",
                body=f"nonce={n}&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=12.5",
                sign_with=(SECRET1, "/0/private/AddOrder", n,
                           f"nonce={n}&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25"),
                error="signature-mismatch", with_stages=True, res="R12")
    verify_case(g, "reject-path-swapped", "Signed for Balance, sent to Withdraw: the path is in the MAC.",
                ["KSPOT-023", "KSPOT-014"], [], path="/0/private/Withdraw",
                sign_with=(SECRET1, "/0/private/Balance", n, f"nonce={n}"), error="signature-mismatch",
                with_stages=True, res="R12")
    verify_case(g, "reject-nonce-replaced", "The body's nonce raised after signing: the MAC covers the body nonce.",
                ["KSPOT-023"], ["form-body"], nonce="1700000030099", body="nonce=1700000030099",
                sign_with=(SECRET1, "/0/private/Balance", n, f"nonce={n}"), error="signature-mismatch",
                with_stages=True, res="R12")
    verify_case(g, "reject-json-reserialized",
                "The signer hashed minified JSON but sent pretty-printed JSON: the received bytes count.",
                ["KSPOT-023", "KSPOT-011"], ["json-body", "whitespace"], content_type="application/json",
                body='{"nonce": 1700000030000, "asset": "XBT"}',
                sign_with=(SECRET1, "/0/private/Balance", n, '{"nonce":1700000030000,"asset":"XBT"}'),
                error="signature-mismatch", with_stages=True, res="R12")
    verify_case(g, "reject-undecoded-secret-mac",
                "Signed with the secret's base64 text as HMAC key (a common bug): signature-mismatch.",
                ["KSPOT-023", "KSPOT-002"], ["undecoded-secret-trap"],
                sign=b64(hmac.new(SECRET1.encode(), b"/0/private/Balance"
                                  + hashlib.sha256(f"{n}nonce={n}".encode()).digest(), hashlib.sha512).digest()),
                error="signature-mismatch", with_stages=True, res="R12")
    # 10. permission
    verify_case(g, "reject-permission-denied", "A key limited to Balance calls AddOrder: permission-denied.",
                ["KSPOT-025"], ["permission"], keys=[key_entry(permissions=["Balance"])],
                path="/0/private/AddOrder", body=f"nonce={n}&pair=XBTUSD&type=buy&ordertype=market&volume=1",
                error="permission-denied", res="R10")
    verify_case(g, "reject-permission-empty-list", "An empty permission list allows no endpoint.",
                ["KSPOT-025"], ["permission"], keys=[key_entry(permissions=[])], error="permission-denied", res="R10")
    verify_case(g, "reject-key-trailing-space", "The API-Key value is compared byte for byte, never trimmed.",
                ["KSPOT-021"], ["header"], api_key=KEY1 + " ",
                sign=api_sign(SECRET1, "/0/private/Balance", n, f"nonce={n}"), error="key-unknown", res="R16")
    verify_case(g, "reject-nonce-without-equals", "A form piece 'nonce' without '=' is a nonce with an empty value: "
                                                  "nonce-invalid.",
                ["KSPOT-031"], ["form-body", "nonce-syntax"], nonce="", body="nonce&asset=XBT",
                error="nonce-invalid", res="R5")
    verify_case(g, "reject-permission-case-sensitive", "Permissions name endpoints case-sensitively: 'addorder' "
                                                       "does not allow AddOrder.",
                ["KSPOT-025"], ["permission"], keys=[key_entry(permissions=["addorder", "balance"])],
                path="/0/private/AddOrder", body=f"nonce={n}&pair=XBTUSD&type=buy&ordertype=market&volume=1",
                error="permission-denied", res="R10")
    # Check order: several defects, the first failing check decides.
    verify_case(g, "order-method-before-path", "GET to a public path: method-invalid wins.",
                ["KSPOT-020", "KSPOT-030"], ["check-order"], method="GET", path="/0/public/Time",
                error="method-invalid", res="R15")
    verify_case(g, "order-path-before-key", "Bad path and no API-Key: path-invalid wins.",
                ["KSPOT-020", "KSPOT-030"], ["check-order"], path="/0/private/", omit=("API-Key",),
                error="path-invalid", res="R15")
    verify_case(g, "order-key-before-sign", "Unknown key and no API-Sign: key-unknown wins.",
                ["KSPOT-020", "KSPOT-021"], ["check-order"], api_key="authspec-unknown-key", omit=("API-Sign",),
                error="key-unknown", res="R15")
    verify_case(g, "order-sign-missing-before-body", "No API-Sign and a malformed body: header-missing wins.",
                ["KSPOT-020", "KSPOT-022"], ["check-order"], omit=("API-Sign",), content_type="application/json",
                body="[]", error="header-missing", wire=E_INVALID_SIGNATURE, res="R15")
    verify_case(g, "order-malformed-sign-before-body", "A hex signature and a malformed body: signature-malformed.",
                ["KSPOT-020", "KSPOT-022"], ["check-order"], sign="00" * 64, content_type="application/json",
                body="[]", error="signature-malformed", res="R15")
    verify_case(g, "order-body-before-nonce", "A duplicate nonce with a bad value: body-invalid wins.",
                ["KSPOT-020", "KSPOT-012"], ["check-order"], body="nonce=01&nonce=02", nonce="01",
                error="body-invalid", res="R15")
    verify_case(g, "order-nonce-syntax-before-mac", "A bad nonce and a bad signature: nonce-invalid wins.",
                ["KSPOT-020", "KSPOT-031"], ["check-order"], nonce="-5", body="nonce=-5", sign=b64(bytes(64)),
                error="nonce-invalid", res="R15")
    verify_case(g, "order-mac-before-permission", "A bad signature from a key without permission: mismatch wins.",
                ["KSPOT-020", "KSPOT-025"], ["check-order"], keys=[key_entry(permissions=["Balance"])],
                path="/0/private/Withdraw", sign=b64(bytes(64)), error="signature-mismatch", res="R15")
    verify_case(g, "order-permission-before-nonce", "No permission and a stale nonce: permission-denied wins.",
                ["KSPOT-020", "KSPOT-025"], ["check-order"], keys=[key_entry(permissions=["AddOrder"])],
                accepted=[(KEY1, "1700000039999")], error="permission-denied", res="R15")


# ---------------------------------------------------------------------------------------------------------------
# nonce.yaml: the per-key nonce store, with and without a window.

def nonce_group() -> None:
    g = "nonce"
    group(g, "The verifier's per-key nonce store: strictly increasing without a window; with a window, out-of-order "
             "nonces inside it are accepted once and never reused.")
    base = "1700000040000"

    def case(name, desc, reqs, nonce, accepted, window=None, error=None, flags=(), keys=None, api_key=KEY1,
             res=None):
        verify_case(g, name, desc, reqs, ["nonce-window" if window else "nonce-order", *flags], keys=keys,
                    api_key=api_key, nonce=nonce, accepted=accepted, nonce_window=window, error=error, res=res)

    case("fresh-key-accepts", "A key with no accepted nonces accepts its first request.", ["KSPOT-026"],
         base, [])
    case("fresh-key-nonce-zero-stale", "A key that never accepted a nonce has highest 0: nonce 0 is stale.",
         ["KSPOT-026"], "0", [], error="nonce-stale", flags=["nonce-extreme"], res="R3")
    case("fresh-key-nonce-zero-stale-window", "With window 10 a fresh key still rejects nonce 0 (0 <= 0 - 10, "
                                              "saturated).",
         ["KSPOT-027"], "0", [], window=10, error="nonce-stale", flags=["nonce-extreme"], res="R3, R9")
    case("fresh-key-nonce-one-accepted", "A fresh key accepts nonce 1, the first nonce after its starting 0.",
         ["KSPOT-026"], "1", [], flags=["nonce-extreme"], res="R3")
    case("increasing-accepted", "A nonce above the highest accepted one is accepted (window 0).", ["KSPOT-026"],
         "1700000040001", [(KEY1, "1700000039990"), (KEY1, base)])
    case("equal-stale", "Reusing the highest accepted nonce without a window: nonce-stale (not replayed).",
         ["KSPOT-026"], base, [(KEY1, base)], error="nonce-stale", flags=["replay"])
    case("lower-stale", "A nonce below the highest accepted one without a window: nonce-stale.", ["KSPOT-026"],
         "1700000039999", [(KEY1, base)], error="nonce-stale")
    case("explicit-window-zero", "nonce_window 0 given explicitly behaves as the default.", ["KSPOT-026"],
         "1700000039999", [(KEY1, base)], window=0, error="nonce-stale")
    case("other-key-independent", "Nonces are per key: another key's higher nonce does not matter.",
         ["KSPOT-026"], base, [(KEY2, "1700000099999")],
         keys=[key_entry(KEY1, SECRET1), key_entry(KEY2, SECRET2)])
    w = 10
    case("window-out-of-order-accepted", "Window 10: a nonce below the highest but inside the window is accepted.",
         ["KSPOT-027"], "1700000039995", [(KEY1, base)], window=w, res="R9")
    case("window-boundary-accepted", "Window 10: highest - 9 is inside the window (> highest - w).",
         ["KSPOT-027"], "1700000039991", [(KEY1, base)], window=w, res="R9")
    case("window-boundary-stale", "Window 10: exactly highest - 10 is at the window's edge: nonce-stale.",
         ["KSPOT-027"], "1700000039990", [(KEY1, base)], window=w, error="nonce-stale", res="R9")
    case("window-below-stale", "Window 10: a nonce far below the window: nonce-stale.", ["KSPOT-027"],
         "1700000030000", [(KEY1, base)], window=w, error="nonce-stale", res="R9")
    case("window-reuse-highest-replayed", "Window 10: reusing the highest nonce is a replay.", ["KSPOT-027"],
         base, [(KEY1, base)], window=w, error="nonce-replayed", flags=["replay"], res="R9")
    case("window-reuse-inside-replayed",
         "Window 10: reusing an out-of-order nonce accepted earlier inside the window is a replay.",
         ["KSPOT-027"], "1700000039995", [(KEY1, base), (KEY1, "1700000039995")], window=w,
         error="nonce-replayed", flags=["replay"], res="R9")
    case("window-above-highest-accepted", "Window 10: a nonce above the highest is accepted as usual.",
         ["KSPOT-027"], "1700000040005", [(KEY1, base), (KEY1, "1700000039995")], window=w)
    case("window-saturating-accepted", "Window 1000 above a highest of 5: highest - w saturates at 0, so 1 passes.",
         ["KSPOT-027"], "1", [(KEY1, "5")], window=1000, flags=["nonce-extreme"], res="R9")
    case("window-saturating-zero-stale", "Window 1000 above a highest of 5: nonce 0 is not > 0: nonce-stale.",
         ["KSPOT-027"], "0", [(KEY1, "5")], window=1000, error="nonce-stale", flags=["nonce-extreme"], res="R9")
    case("u64-max-after-lower", "Nonce u64::MAX after a lower accepted nonce is accepted.", ["KSPOT-026"],
         U64_MAX, [(KEY1, base)], flags=["nonce-extreme"], res="R2")
    case("after-u64-max-stale", "After u64::MAX was accepted nothing is greater: nonce-stale.", ["KSPOT-026"],
         U64_MAX, [(KEY1, U64_MAX)], error="nonce-stale", flags=["nonce-extreme"], res="R2")


# ---------------------------------------------------------------------------------------------------------------
# YAML output: deterministic, block style, number-like strings double-quoted (vectors/gen/common.py).

def render(name: str) -> str:
    grp = GROUPS[name]
    return render_file(GENERATOR_FILE, SCHEME, name, grp["description"], grp["vectors"])


# ---------------------------------------------------------------------------------------------------------------
# Self-checks before anything is written.

def lint() -> list[str]:
    problems = []
    documented = documented_flags()
    if documented is None:
        documented = set()
        problems.append("vectors/flags.yaml is missing")
    ids = set()
    cited = set()
    for gname, grp in GROUPS.items():
        for v in grp["vectors"]:
            vid = v["id"]
            if vid in ids:
                problems.append(f"duplicate id {vid}")
            ids.add(vid)
            if not re.fullmatch(rf"{SCHEME}/{gname}/[a-z0-9]+(-[a-z0-9]+)*", vid):
                problems.append(f"bad id {vid}")
            for r in v["requirements"]:
                if r not in KSPOT_TESTABLE and not (CITE_CORE and r in CORE_TESTABLE):
                    problems.append(f"{vid}: cites {r}, which is not a vector-testable id of this corpus")
                cited.add(r)
            for f in v.get("flags", []):
                if f not in documented:
                    problems.append(f"{vid}: flag {f!r} is not documented in vectors/flags.yaml")
            negative = "error" in v["expected"]
            if v["op"] == "sign":
                names = [s["name"] for s in v.get("stages", [])]
                if negative and names:
                    problems.append(f"{vid}: negative sign vector with stages")
                if not negative and names != ["hmac_key", "sha256_input", "sha256_digest", "hmac_message",
                                              "hmac_digest", "api_sign"]:
                    problems.append(f"{vid}: positive sign vector without all six stages")
    for r in KSPOT_TESTABLE:
        if r not in cited:
            problems.append(f"{r} is cited by no vector")
    return problems


def cross_check_openssl() -> list[str]:
    """Recompute every stage of every vector that has stages with the openssl CLI, a non-Python witness."""
    problems = []
    for grp in GROUPS.values():
        for v in grp["vectors"]:
            st = {s["name"]: str(s["value"]) for s in v.get("stages", [])}
            if not st:
                continue
            digest = openssl(["dgst", "-sha256", "-binary"], st["sha256_input"].encode("utf-8"))
            message = bytes.fromhex(st["hmac_message"])
            mac = openssl(["dgst", "-sha512", "-binary", "-mac", "HMAC", "-macopt", "hexkey:" + st["hmac_key"]],
                          message)
            sig = openssl(["base64", "-A"], mac).decode("ascii")
            ok = (digest.hex() == st["sha256_digest"] and message.endswith(digest)
                  and mac.hex() == st["hmac_digest"] and sig == st["api_sign"])
            inp = v["input"]
            if v["op"] == "sign":
                key = openssl(["base64", "-d", "-A"], inp["credentials"]["secret"].encode("ascii"))
                req = inp["request"]
                ok = ok and key.hex() == st["hmac_key"] and st["sha256_input"] == inp["nonce"] + req["body"] \
                    and message[:-32] == req["path"].encode("utf-8") \
                    and v["expected"]["result"]["headers"]["API-Sign"] == sig
            else:
                req = inp["request"]
                ok = ok and message[:-32] == req["path"].encode("utf-8") and st["sha256_input"].endswith(req["body"])
            if not ok:
                problems.append(f"{v['id']}: openssl disagrees")
    return problems


def build() -> dict[str, str]:
    GROUPS.clear()
    official()
    signing()
    form()
    json_group()
    refusals()
    verify()
    nonce_group()
    problems = lint()
    if problems:
        sys.exit("ABORT:\n  " + "\n  ".join(problems))
    return {f"{name}.yaml": render(name) for name in GROUPS}


def main() -> int:
    return run(__doc__, build, GROUPS, OUT_DIR, GENERATOR_FILE, SCHEME, cross_check=cross_check_openssl)


if __name__ == "__main__":
    sys.exit(main())
