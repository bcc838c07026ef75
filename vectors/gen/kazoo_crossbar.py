#!/usr/bin/env python3
"""Generate the kazoo-crossbar test-vector corpus: `vectors/kazoo-crossbar/<group>.yaml` (vectors and scenarios).

Why a generator: every credentials hash is computed here with Python's hashlib, every JWT is built here byte by
byte and signed by the `openssl` command line (`openssl dgst -sha256 -sign`, RSASSA-PKCS1-v1_5, deterministic;
Python's standard library has no RSA), and the YAML is written one way only (vectors/gen/common.py).

Contract:
- The server's signing key is read from vectors/gen/keys/kazoo-crossbar/ (generated once with openssl and
  committed; TEST-ONLY, public). This script never generates keys, so its output is deterministic.
- Each case is declared once with its inputs and its outcome: positive cases get their results and stages computed
  here; negative cases declare the code the authspec kazoo-crossbar rules demand (spec/kazoo-crossbar.md), and the
  Crossbar error envelope that code maps to (401 invalid credentials, 400 invalid request).
- Before anything is written: the vendor's published MD5 and the issue's SHA-1 are recomputed; every token the
  corpus pins (valid or deliberately broken) is checked with `openssl dgst -sha256 -verify` against the public
  key, and it must verify exactly when the case says its signature is valid; ids, requirements, flags and the
  scenario variables are linted.
- `--check` regenerates in memory and exits 1, naming the stale files, when the committed files differ (CI).

Dependencies: Python 3 standard library, PyYAML, and the `openssl` command line (OpenSSL 3).
"""

from __future__ import annotations

import base64
import calendar
import copy
import functools
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402  (vectors/gen/common.py, next to this script)
    ROOT, run, defined_ids, VAR, strings, Dumper, Flow, Quoted, documented_flags, openssl, render as render_file, write_or_check,
)

SCHEME = "kazoo-crossbar"
GENERATOR_FILE = "kazoo_crossbar.py"
OUT_DIR = ROOT / "vectors" / SCHEME
KEY_FILE = Path(__file__).resolve().parent / "keys" / SCHEME / "rsa2048.pkcs8.pem"
SPEC_FILE = ROOT / "spec" / "kazoo-crossbar.md"

GENERATOR = "vectors/gen/kazoo_crossbar.py (Python hashlib and json; openssl dgst -sha256 -sign for RS256)"
TESTEE = "testees/python-spec/testee.py (independent Python implementation of the spec)"
OPENSSL_VERIFY = "openssl dgst -sha256 -verify (OpenSSL 3), every pinned token: vectors/gen/kazoo_crossbar.py"
SPEC_SOURCE = "computed by vectors/gen/kazoo_crossbar.py from the rules of spec/kazoo-crossbar.md"

KAZOO_TESTABLE = [f"KAZOO-{n:03d}" for n in list(range(1, 9)) + list(range(10, 20))]
KAZOO_NOT_TESTABLE = ["KAZOO-020", "KAZOO-021"]
# As in the other generators: CORE-004 on every negative client-side vector (credentials, requests, headers),
# CORE-006 on every negative server-side vector, CORE-005 where a lenient client would repair the input.
CITE_CORE = True
CORE_TESTABLE = ["CORE-004", "CORE-005", "CORE-006"]
CLIENT_OPS = {"credentials", "user-auth-request", "api-auth-request", "token-header", "basic-header"}
SERVER_OPS = {"user-auth", "api-auth", "verify-token", "verify-basic"}
CLIENT_CODES = ["hash-method-invalid", "account-invalid", "api-key-invalid"]
SERVER_CODES = ["credentials-invalid", "body-invalid", "token-invalid", "token-expired", "header-missing"]

# The published example: 2600hz/kazoo applications/crossbar/doc/how_to_authenticate.md ("Authenticate as a
# User") and applications/crossbar/doc/user_authentication.md ("Creating MD5 User/Pass credentials hash").
VENDOR_USER, VENDOR_PASSWORD = "john@example.com", "m32c6NfqYEt"
VENDOR_MD5 = "82a2dc91686ec828a67152d45a5c5ef7"
ISSUE_SHA1 = "055cf886cb9b5c5867083463867c527ace0f8ecc"  # from the authspec issue; Kazoo's docs print no SHA-1
VENDOR_DOCS = ("2600hz/kazoo, applications/crossbar/doc/how_to_authenticate.md, \"Authenticate as a User\" "
               "(md5 of john@example.com:m32c6NfqYEt), and applications/crossbar/doc/user_authentication.md, "
               "\"Creating MD5 User/Pass credentials hash\"")

JWT_HEADER = '{"alg":"RS256","typ":"JWT"}'


class Block(str):
    """A multi-line string (the PEM) written as a YAML literal block."""


Dumper.add_representer(Block, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style="|"))


# ---------------------------------------------------------------------------------------------------------------
# The computation.

def ascii_lower(text: str) -> str:
    """Kazoo's kz_term:to_lower_binary: A-Z become a-z, every other character is kept."""
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def hash_input(username: str, password: str) -> str:
    return f"{ascii_lower(username)}:{password}"


def credentials(username: str, password: str, method: str = "md5") -> str:
    h = {"md5": hashlib.md5, "sha": hashlib.sha1}[method]
    return h(hash_input(username, password).encode("utf-8")).hexdigest()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def unix(ts: str) -> int:
    """floor() of an RFC 3339 UTC text `YYYY-MM-DDTHH:MM:SS[.fff]Z` (the only form this corpus uses)."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?Z", ts)
    assert m, ts
    return calendar.timegm(tuple(int(g) for g in m.groups()[:6]) + (0, 0, 0))


def rfc3339(seconds: int) -> str:
    import datetime
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.lru_cache(maxsize=None)
def rs256(signing_input: str) -> bytes:
    return openssl(["dgst", "-sha256", "-sign", str(KEY_FILE)], signing_input.encode("ascii"))


@functools.lru_cache(maxsize=None)
def public_pem() -> bytes:
    return openssl(["pkey", "-in", str(KEY_FILE), "-pubout"], b"")


def openssl_verifies(signing_input: bytes, sig: bytes) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        pub, sf = Path(tmp) / "pub.pem", Path(tmp) / "sig"
        pub.write_bytes(public_pem())
        sf.write_bytes(sig)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", str(pub), "-signature", str(sf)],
                           input=signing_input, capture_output=True)
    return r.returncode == 0 and b"Verified OK" in r.stdout


def claims_text(account_id: str, owner_id: str, method: str, iat: int, lifetime: int) -> str:
    """The claims bytes: compact, this key order (owner_id "" for api_auth tokens, which have no user)."""
    return (f'{{"account_id":"{account_id}","owner_id":"{owner_id}","method":"{method}","iat":{iat},'
            f'"exp":{iat + lifetime}}}')


def make_jwt(claims: str, header: str = JWT_HEADER, sign: bool = True) -> dict:
    signing_input = f"{b64url(header.encode())}.{b64url(claims.encode())}"
    sig = rs256(signing_input) if sign else b""
    return {"token": f"{signing_input}.{b64url(sig)}", "header": header, "claims": claims,
            "signing_input": signing_input, "signature": b64url(sig)}


TOKEN_AUDIT: list[tuple[str, str, bool]] = []  # (where, token, signature valid?)


def audit(where: str, token: str, valid: bool) -> None:
    TOKEN_AUDIT.append((where, token, valid))


# ---------------------------------------------------------------------------------------------------------------
# The server state (test-only ids, names and passwords).

def kazoo_id(label: str) -> str:
    """A 32-hex Kazoo-style id, derived from a label (test-only)."""
    return hashlib.md5(f"authspec-kazoo-test:{label}".encode()).hexdigest()


ACCOUNT_A = kazoo_id("account-a")
ACCOUNT_B = kazoo_id("account-b")
OWNER_JOHN, OWNER_ALICE, OWNER_BOB = kazoo_id("user-john"), kazoo_id("user-alice"), kazoo_id("user-bob")
NAME_A, REALM_A, PHONE_A = "authspec-test-account", "authspec.sip.example.com", "+15555550100"
NAME_B, REALM_B, PHONE_B = "authspec-other-account", "other.sip.example.com", "+15555550199"
ALICE_STORED, ALICE_PASSWORD = "Alice.Admin@Example.COM", "authspec-test-password-1"
BOB, BOB_PASSWORD = "bob@example.com", "authspec-test-password-2"
API_KEY_A = hashlib.sha256(b"authspec-kazoo-test:api-key-a").hexdigest()
API_KEY_UNKNOWN = hashlib.sha256(b"authspec-kazoo-test:api-key-unknown").hexdigest()
SERVER_TIME = "2025-06-02T12:00:00Z"
LIFETIME = 3600


def server(**over) -> dict:
    s = {
        "accounts": [
            {"account_id": ACCOUNT_A, "account_name": NAME_A, "account_realm": REALM_A, "phone_numbers": [PHONE_A]},
            {"account_id": ACCOUNT_B, "account_name": NAME_B, "account_realm": REALM_B, "phone_numbers": [PHONE_B]},
        ],
        "users": [
            {"account_id": ACCOUNT_A, "owner_id": OWNER_JOHN, "username": VENDOR_USER, "password": VENDOR_PASSWORD},
            {"account_id": ACCOUNT_A, "owner_id": OWNER_ALICE, "username": ALICE_STORED,
             "password": ALICE_PASSWORD},
            {"account_id": ACCOUNT_B, "owner_id": OWNER_BOB, "username": BOB, "password": BOB_PASSWORD},
        ],
        "api_keys": [{"account_id": ACCOUNT_A, "api_key": API_KEY_A}],
        "signing_key_pem": Block(KEY_FILE.read_text(encoding="ascii")),
        "token_lifetime": LIFETIME,
        "server_time": SERVER_TIME,
        "node": "authspec-test-node@crossbar.example.com",
        "version": "4.3.142",
        "request_id": "authspec-test-request-0001",
        "revision": "automatic",
    }
    s.update(over)
    return s


def meta(srv: dict) -> dict:
    return {"timestamp": srv["server_time"], "version": srv["version"], "node": srv["node"],
            "request_id": srv["request_id"]}


def envelope_401(srv: dict) -> dict:
    return {"data": {"message": "invalid credentials"}, "error": "401", "message": "invalid_credentials",
            "status": "error", **meta(srv), "auth_token": ""}


def envelope_400(srv: dict) -> dict:
    return {"data": {"message": "invalid request"}, "error": "400", "message": "invalid_request",
            "status": "error", **meta(srv), "auth_token": ""}


def rejection(code: str, srv: dict) -> dict:
    if code == "body-invalid":
        return {"error": {"code": code, "response": {"status": 400, "body": envelope_400(srv)}}}
    return {"error": {"code": code, "response": {"status": 401, "body": envelope_401(srv)}}}


def login_token(srv: dict, account_id: str, owner_id: str, method: str) -> dict:
    t = make_jwt(claims_text(account_id, owner_id, method, unix(srv["server_time"]), srv["token_lifetime"]))
    audit(f"token for {account_id}/{owner_id} at {srv['server_time']}", t["token"], True)
    return t


def jwt_stages(t: dict) -> list:
    return [{"name": "jwt_header", "value": t["header"]}, {"name": "jwt_claims", "value": t["claims"]},
            {"name": "signing_input", "value": t["signing_input"]}, {"name": "jwt_signature", "value": t["signature"]}]


def success(srv: dict, t: dict, account_id: str, owner_id: str | None, method: str) -> dict:
    data = {"account_id": account_id, "owner_id": owner_id, "method": method}
    body = {"auth_token": t["token"], "data": data, "status": "success", "request_id": srv["request_id"],
            "node": srv["node"], "version": srv["version"], "timestamp": srv["server_time"],
            "revision": srv["revision"]}
    return {"result": {"response": {"status": 201, "body": body}}}


def login_body(creds: str, selector: dict, method: str | None = "md5") -> str:
    data = {"credentials": creds, **selector}
    if method is not None:
        data["method"] = method
    return json.dumps({"data": data}, separators=(",", ":"), ensure_ascii=False)


def http(path: str, body: str = "", headers: dict | None = None, method: str = "PUT") -> dict:
    h = {"Content-Type": "application/json"} if method == "PUT" else {}
    h.update(headers or {})
    return {"method": method, "path": path, "headers": h, "body": body}


CALL_PATH = f"/v2/accounts/{ACCOUNT_A}/users/{OWNER_JOHN}"


def call(headers: dict) -> dict:
    return http(CALL_PATH, headers=headers, method="GET")


def basic_value(account_id: str, creds: str) -> str:
    return "Basic " + base64.b64encode(f"{account_id}:{creds}".encode()).decode("ascii")


# ---------------------------------------------------------------------------------------------------------------
# Case declarations.

GROUPS: dict[str, dict] = {}


def group(name: str, description: str) -> None:
    GROUPS[name] = {"description": description, "vectors": [], "scenarios": None}


def computed(source: str = SPEC_SOURCE, openssl_witness: bool = False) -> dict:
    confirmed = [GENERATOR, TESTEE] + ([OPENSSL_VERIFY] if openssl_witness else [])
    return {"kind": "computed", "source": source, "confirmed_by": confirmed}


def vendor(source: str) -> dict:
    return {"kind": "vendor-doc", "source": source, "confirmed_by": [GENERATOR, TESTEE, "md5sum (coreutils)"]}


def core_ids(op: str, expected: dict, core005: bool) -> set:
    ids = set()
    if CITE_CORE:
        if "error" in expected:
            ids.add("CORE-004" if op in CLIENT_OPS else "CORE-006")
        if core005:
            ids.add("CORE-005")
    return ids


def stage_list(stages) -> list:
    return [{"name": s["name"], "value": Quoted(s["value"])} for s in stages]


def vector(g, name, description, requirements, op, inp, expected, stages=None, flags=(), provenance=None,
           core005=False):
    provenance = copy.deepcopy(provenance or computed(openssl_witness=op in {"user-auth", "api-auth"} and
                                                      "result" in expected))
    inp, expected = copy.deepcopy((inp, expected))
    v = {"id": f"{SCHEME}/{g}/{name}", "description": description,
         "requirements": Flow(sorted(set(requirements) | core_ids(op, expected, core005))),
         "provenance": provenance}
    if flags:
        v["flags"] = Flow(dict.fromkeys(flags))
    v["op"] = op
    v["input"] = inp
    v["expected"] = expected
    if stages:
        v["stages"] = stage_list(stages)
    GROUPS[g]["vectors"].append(v)
    return v


def step(name, op, inp, expected, capture=None, stages=None) -> dict:
    s = {"name": name, "op": op, "input": copy.deepcopy(inp), "expected": copy.deepcopy(expected)}
    if stages:
        s["stages"] = stage_list(stages)
    if capture:
        s["capture"] = dict(capture)
    return s


def scenario(g, name, description, requirements, steps, flags=()):
    reqs = set(requirements)
    for s in steps:
        reqs |= core_ids(s["op"], s["expected"], False)
    sc = {"id": f"{SCHEME}/{g}/{name}", "description": description, "requirements": Flow(sorted(reqs)),
          "provenance": computed(openssl_witness=True)}
    if flags:
        sc["flags"] = Flow(dict.fromkeys(flags))
    sc["steps"] = steps
    GROUPS[g]["scenarios"].append(sc)


def cred_stages(username, password, method):
    return [{"name": "hash_input", "value": hash_input(username, password)},
            {"name": "credentials", "value": credentials(username, password, method)}]


# hashes.yaml ----------------------------------------------------------------------------------------------------

def hashes():
    g = "hashes"
    group(g, "The credentials hash (op credentials): lowercase hex of MD5 or SHA-1 over lower(username) \":\" "
             "password, ASCII-only lowercasing, the password as given; methods other than md5 and sha refused.")
    assert credentials(VENDOR_USER, VENDOR_PASSWORD) == VENDOR_MD5, "the vendor's md5 example does not reproduce"
    assert credentials(VENDOR_USER, VENDOR_PASSWORD, "sha") == ISSUE_SHA1, "the issue's sha1 does not reproduce"

    def ok(name, desc, reqs, username, password, method="md5", flags=(), provenance=None, core005=False):
        vector(g, name, desc, ["KAZOO-001", *reqs], "credentials",
               {"username": username, "password": password, "method": method},
               {"result": {"credentials": credentials(username, password, method)}},
               cred_stages(username, password, method), flags, provenance, core005)

    ok("vendor-md5", f"The vendor's example: md5 of {VENDOR_USER}:{VENDOR_PASSWORD} is {VENDOR_MD5}.",
       ["KAZOO-003"], VENDOR_USER, VENDOR_PASSWORD, flags=["vendor-example"], provenance=vendor(VENDOR_DOCS))
    ok("vendor-sha", f"The same credentials with method sha (SHA-1): {ISSUE_SHA1} (the issue's value; Kazoo's docs "
                     "only say to use sha1sum).", ["KAZOO-003"], VENDOR_USER, VENDOR_PASSWORD, "sha",
       provenance=computed("the authspec issue's published SHA-1 of john@example.com:m32c6NfqYEt (Kazoo's "
                           "how_to_authenticate.md names SHA-1 but prints no value); recomputed here and by "
                           "sha1sum"))
    ok("mixed-case-username-md5", "Username John@Example.COM hashes as john@example.com: the vendor's md5.",
       ["KAZOO-002"], "John@Example.COM", VENDOR_PASSWORD, flags=["username-case"])
    ok("mixed-case-username-sha", "Username JOHN@EXAMPLE.COM with sha: the same SHA-1 as the lowercase name.",
       ["KAZOO-002", "KAZOO-003"], "JOHN@EXAMPLE.COM", VENDOR_PASSWORD, "sha", flags=["username-case"])
    ok("password-case-kept", "The password is not lowercased: M32C6NFQYET gives another hash.", ["KAZOO-002"],
       VENDOR_USER, VENDOR_PASSWORD.upper(), flags=["username-case"], core005=True)
    ok("unicode-username-ascii-only-lowercase", "Username ÄLICE@Example.com: only A-Z are lowercased, Ä is kept "
                                                "(Älice@example.com), UTF-8 bytes.", ["KAZOO-002"],
       "ÄLICE@Example.com", "authspec-test-password-1", flags=["unicode", "username-case"], core005=True)
    ok("unicode-username-dotted-capital-i", "Username İSTANBUL@example.com (U+0130): kept as İstanbul (no Unicode "
                                            "lowercasing to i + U+0307).", ["KAZOO-002"],
       "İSTANBUL@example.com", "authspec-test-password-1", "sha", flags=["unicode", "username-case"], core005=True)
    ok("unicode-password", "A non-ASCII password (pässwörd€) is hashed as its UTF-8 bytes, not normalized.",
       ["KAZOO-002"], "alice@example.com", "pässwörd€", flags=["unicode"], core005=True)
    ok("empty-password", "The empty password: md5 of \"john@example.com:\" (a client never refuses a password).",
       ["KAZOO-002"], VENDOR_USER, "", flags=["empty-password"])
    ok("empty-username", "The empty username is hashed too: md5 of \":authspec-test-password-1\".", ["KAZOO-002"],
       "", "authspec-test-password-1", flags=["empty-password"])
    ok("colon-in-password", "A password with colons (a:b:c) is appended as is after the first colon.",
       ["KAZOO-002"], VENDOR_USER, "a:b:c")
    ok("whitespace-password", "A password with leading and trailing spaces is not trimmed.", ["KAZOO-002"],
       VENDOR_USER, "  secret  ", flags=["whitespace"], core005=True)
    for name, method in [("sha1", "sha1"), ("uppercase-md5", "MD5"), ("sha256", "sha256"), ("empty", "")]:
        vector(g, f"method-{name}-refused", f"Method {method!r} is not md5 or sha: hash-method-invalid, no hash.",
               ["KAZOO-003"], "credentials", {"username": VENDOR_USER, "password": VENDOR_PASSWORD,
                                               "method": method},
               {"error": {"code": "hash-method-invalid"}}, flags=["hash-method", "refusal"])


# requests.yaml --------------------------------------------------------------------------------------------------

def user_auth_request(username, password, method, selector) -> dict:
    return {"request": {"method": "PUT", "path": "/v2/user_auth", "headers": {"Content-Type": "application/json"},
                        "json": {"data": {"credentials": credentials(username, password, method), **selector,
                                          "method": method}}}}


def api_auth_request(api_key) -> dict:
    return {"request": {"method": "PUT", "path": "/v2/api_auth", "headers": {"Content-Type": "application/json"},
                        "json": {"data": {"api_key": api_key}}}}


def requests():
    g = "requests"
    group(g, "Client requests: the user_auth and api_auth login requests (method inside data, as Kazoo's "
             "user_auth.json schema puts it) and the X-Auth-Token and Basic Authorization headers.")
    for name, desc, username, method, selector, flags in [
        ("user-auth-account-name", "the vendor's credentials, md5, account_name", VENDOR_USER, "md5",
         {"account_name": NAME_A}, ["vendor-example"]),
        ("user-auth-account-realm", "sha, account_realm", VENDOR_USER, "sha", {"account_realm": REALM_A}, []),
        ("user-auth-phone-number", "md5, phone_number", VENDOR_USER, "md5", {"phone_number": PHONE_A}, []),
        ("user-auth-mixed-case-username", "username Alice.Admin@Example.COM, hashed lowercased", ALICE_STORED, "md5",
         {"account_name": NAME_A}, ["username-case"]),
    ]:
        password = VENDOR_PASSWORD if username == VENDOR_USER else ALICE_PASSWORD
        vector(g, name, f"user_auth request: {desc}: PUT /v2/user_auth with data.credentials, the selector and "
                        f"data.method.", ["KAZOO-001", "KAZOO-004", "KAZOO-005"] +
               (["KAZOO-002"] if username != ascii_lower(username) else []), "user-auth-request",
               {"username": username, "password": password, "method": method, "account": selector},
               {"result": user_auth_request(username, password, method, selector)},
               cred_stages(username, password, method), flags,
               vendor(VENDOR_DOCS) if "vendor-example" in flags else None)
    for name, desc, selector in [
        ("user-auth-two-selectors", "account_name and phone_number", {"account_name": NAME_A, "phone_number": PHONE_A}),
        ("user-auth-three-selectors", "all three selectors",
         {"account_name": NAME_A, "account_realm": REALM_A, "phone_number": PHONE_A}),
        ("user-auth-no-selector", "no selector", {}),
    ]:
        vector(g, name, f"user_auth request with {desc}: account-invalid.", ["KAZOO-005"], "user-auth-request",
               {"username": VENDOR_USER, "password": VENDOR_PASSWORD, "method": "md5", "account": selector},
               {"error": {"code": "account-invalid"}}, flags=["account-selector", "refusal"])
    vector(g, "user-auth-method-sha1", "user_auth request with method sha1: hash-method-invalid.", ["KAZOO-003"],
           "user-auth-request", {"username": VENDOR_USER, "password": VENDOR_PASSWORD, "method": "sha1",
                                 "account": {"account_name": NAME_A}},
           {"error": {"code": "hash-method-invalid"}}, flags=["hash-method", "refusal"])
    vector(g, "api-auth-ok", "api_auth request: PUT /v2/api_auth with data.api_key (64 lowercase hex).",
           ["KAZOO-006"], "api-auth-request", {"api_key": API_KEY_A}, {"result": api_auth_request(API_KEY_A)},
           flags=["api-key"])
    for name, desc, key in [
        ("api-key-uppercase", "uppercase hex", API_KEY_A.upper()),
        ("api-key-63-chars", "63 characters", API_KEY_A[:63]),
        ("api-key-65-chars", "65 characters", API_KEY_A + "0"),
        ("api-key-not-hex", "a g among 64 characters", "g" + API_KEY_A[1:]),
        ("api-key-empty", "the empty string", ""),
        ("api-key-whitespace", "a trailing space (not trimmed)", API_KEY_A[:63] + " "),
    ]:
        vector(g, name, f"api_key of {desc}: api-key-invalid.", ["KAZOO-006"], "api-auth-request",
               {"api_key": key}, {"error": {"code": "api-key-invalid"}}, flags=["api-key", "refusal"],
               core005=name in ("api-key-uppercase", "api-key-whitespace"))
    t = login_token(server(), ACCOUNT_A, OWNER_JOHN, "cb_user_auth")
    vector(g, "token-header", "An authenticated call sends the token as X-Auth-Token, unchanged.", ["KAZOO-007"],
           "token-header", {"auth_token": t["token"]}, {"result": {"headers": {"X-Auth-Token": t["token"]}}})
    for name, desc, username, password, flags in [
        ("basic-header", "the vendor's user", VENDOR_USER, VENDOR_PASSWORD, ["basic-auth", "vendor-example"]),
        ("basic-header-mixed-case-username", "username Alice.Admin@Example.COM (lowercased before hashing)",
         ALICE_STORED, ALICE_PASSWORD, ["basic-auth", "username-case"]),
        ("basic-header-unicode-password", "a non-ASCII password", "alice@example.com", "pässwörd€",
         ["basic-auth", "unicode"]),
    ]:
        creds = credentials(username, password)
        plain = f"{ACCOUNT_A}:{creds}"
        value = basic_value(ACCOUNT_A, creds)
        vector(g, name, f"Basic header for {desc}: Basic base64(account_id:md5hex).", ["KAZOO-008"] +
               (["KAZOO-002"] if username != ascii_lower(username) else []), "basic-header",
               {"account_id": ACCOUNT_A, "username": username, "password": password},
               {"result": {"headers": {"Authorization": value}}},
               [{"name": "credentials", "value": creds}, {"name": "basic_plain", "value": plain},
                {"name": "authorization", "value": value}], flags)


# server.yaml ----------------------------------------------------------------------------------------------------

def tamper_claims(t: dict, claims: str) -> str:
    """The token with other claims but the original header and signature."""
    h, _, s = t["token"].split(".")
    return f"{h}.{b64url(claims.encode())}.{s}"


def tamper_signature(t: dict) -> str:
    sig = bytearray(base64.urlsafe_b64decode(t["signature"] + "=" * (-len(t["signature"]) % 4)))
    sig[100] ^= 0x01
    return f"{t['signing_input']}.{b64url(bytes(sig))}"


def server_vectors():
    g = "server"
    group(g, "The Crossbar side: user_auth and api_auth logins (HTTP 201 envelope with a pinned RS256 JWT, or the "
             "401/400 error envelopes) and the verification of X-Auth-Token and Basic Authorization.")
    srv = server()

    def login(name, desc, reqs, username, password, method, selector, owner, account=ACCOUNT_A, flags=(), s=None,
              body=None):
        s = s or srv
        t = login_token(s, account, owner, "cb_user_auth")
        body = body if body is not None else login_body(credentials(username, password, method), selector, method)
        vector(g, name, desc, ["KAZOO-010", "KAZOO-012", *reqs], "user-auth",
               {"server": s, "request": http("/v2/user_auth", body)},
               success(s, t, account, owner, "cb_user_auth"), jwt_stages(t), flags)

    login("user-auth-account-name", "The vendor's user logs in with md5 and account_name: 201, the success "
                                    "envelope and the pinned token.", ["KAZOO-001", "KAZOO-004"],
          VENDOR_USER, VENDOR_PASSWORD, "md5", {"account_name": NAME_A}, OWNER_JOHN, flags=["vendor-example"])
    login("user-auth-realm-sha-stored-mixed-case", "A user stored as Alice.Admin@Example.COM logs in with sha and "
                                                   "account_realm: matched by the lowercased username.",
          ["KAZOO-002", "KAZOO-003"], ALICE_STORED, ALICE_PASSWORD, "sha", {"account_realm": REALM_A}, OWNER_ALICE,
          flags=["username-case"])
    login("user-auth-phone-number", "Login by phone_number of the other account.", ["KAZOO-004"], BOB,
          BOB_PASSWORD, "md5", {"phone_number": PHONE_B}, OWNER_BOB, account=ACCOUNT_B)
    login("user-auth-pretty-json-body", "The body with whitespace and another key order is the same request: "
                                        "parsed as JSON, not compared as text.", ["KAZOO-004"], VENDOR_USER,
          VENDOR_PASSWORD, "md5", {"account_name": NAME_A}, OWNER_JOHN, flags=["whitespace"],
          body='{\n  "data": {\n    "method": "md5",\n    "account_name": "%s",\n    "credentials": "%s"\n  }\n}'
               % (NAME_A, VENDOR_MD5))
    s2 = server(server_time="2025-06-02T12:00:00.750Z")
    login("user-auth-fractional-server-time", "server_time with a fraction: iat is its floor, exp = iat + 3600; "
                                              "the envelope's timestamp is server_time as given.", ["KAZOO-019"],
          VENDOR_USER, VENDOR_PASSWORD, "md5", {"account_name": NAME_A}, OWNER_JOHN, s=s2, flags=["jwt-expiry"])
    s3 = server(token_lifetime=600)
    login("user-auth-token-lifetime-600", "token_lifetime 600: exp = iat + 600.", [], VENDOR_USER,
          VENDOR_PASSWORD, "md5", {"account_name": NAME_A}, OWNER_JOHN, s=s3, flags=["jwt-expiry"])

    def reject(name, desc, reqs, op, body, code, flags=(), path=None):
        path = path or ("/v2/user_auth" if op == "user-auth" else "/v2/api_auth")
        vector(g, name, desc, [*reqs, "KAZOO-019"], op, {"server": srv, "request": http(path, body)},
               rejection(code, srv), flags=["rejection", *flags])

    A = {"account_name": NAME_A}
    cred_reqs = ["KAZOO-010", "KAZOO-017"]
    reject("user-auth-wrong-password", "The vendor's user with a wrong password: credentials-invalid, 401 and the "
                                       "invalid-credentials envelope.", cred_reqs, "user-auth",
           login_body(credentials(VENDOR_USER, "wrong-password"), A), "credentials-invalid")
    reject("user-auth-unknown-user", "Credentials of no user: credentials-invalid.", cred_reqs, "user-auth",
           login_body(credentials("nobody@example.com", "authspec-test-password-9"), A), "credentials-invalid")
    reject("user-auth-user-of-other-account", "The credentials of a user of another account: credentials-invalid "
                                              "(users are matched within the selected account).", cred_reqs,
           "user-auth", login_body(credentials(BOB, BOB_PASSWORD), A), "credentials-invalid")
    reject("user-auth-unknown-account", "An account_name no account has: credentials-invalid.", cred_reqs,
           "user-auth", login_body(VENDOR_MD5, {"account_name": "authspec-no-such-account"}), "credentials-invalid")
    reject("user-auth-unknown-phone-number", "A phone_number no account has: credentials-invalid.", cred_reqs,
           "user-auth", login_body(VENDOR_MD5, {"phone_number": "+15555550142"}), "credentials-invalid")
    reject("user-auth-sha-credentials-md5-method", "SHA-1 credentials sent with method md5: credentials-invalid "
                                                   "(the server hashes with the request's method).",
           [*cred_reqs, "KAZOO-003"], "user-auth", login_body(ISSUE_SHA1, A, "md5"), "credentials-invalid",
           flags=["hash-method"])
    reject("user-auth-uppercase-hex-credentials", "The vendor's md5 in uppercase hex: credentials-invalid "
                                                  "(credentials are lowercase hex, compared exactly).",
           [*cred_reqs, "KAZOO-001"], "user-auth", login_body(VENDOR_MD5.upper(), A), "credentials-invalid")
    reject("user-auth-unhashed-username", "Credentials hashed over the username as typed (John@Example.COM): "
                                          "credentials-invalid.", [*cred_reqs, "KAZOO-002"], "user-auth",
           login_body(hashlib.md5(f"John@Example.COM:{VENDOR_PASSWORD}".encode()).hexdigest(), A),
           "credentials-invalid", flags=["username-case"])
    login("user-auth-method-absent", "data without method: the schema's default md5 applies.", ["KAZOO-003"],
          VENDOR_USER, VENDOR_PASSWORD, "md5", {"account_name": NAME_A}, OWNER_JOHN, flags=["hash-method"],
          body=login_body(VENDOR_MD5, {"account_name": NAME_A}, None))
    login("user-auth-method-outside-data-ignored", "method sha at the envelope's top level and none in data: "
                                                   "ignored, md5 credentials accepted (method lives in data).",
          ["KAZOO-004"], VENDOR_USER, VENDOR_PASSWORD, "md5", {"account_name": NAME_A}, OWNER_JOHN,
          flags=["hash-method", "body-shape"],
          body=json.dumps({"data": {"credentials": VENDOR_MD5, "account_name": NAME_A}, "method": "sha"},
                          separators=(",", ":")))
    reject("user-auth-body-credentials-too-long", "data.credentials of 65 characters: body-invalid.",
           ["KAZOO-018"], "user-auth", login_body(VENDOR_MD5 * 2 + "0", A), "body-invalid", flags=["body-shape"])
    reject("user-auth-body-not-json", "A body that is not JSON: body-invalid, 400 and the invalid-request "
                                      "envelope.", ["KAZOO-018"], "user-auth", "credentials=" + VENDOR_MD5,
           "body-invalid", flags=["body-shape"])
    reject("user-auth-body-no-data", "A JSON body without data (the members at top level): body-invalid.",
           ["KAZOO-018"], "user-auth",
           json.dumps({"credentials": VENDOR_MD5, "account_name": NAME_A, "method": "md5"}, separators=(",", ":")),
           "body-invalid", flags=["body-shape"])
    reject("user-auth-body-method-sha1", "data.method sha1 (not in the schema's enum md5|sha): body-invalid.",
           ["KAZOO-018", "KAZOO-003"], "user-auth", login_body(ISSUE_SHA1, A, "sha1"), "body-invalid",
           flags=["body-shape", "hash-method"])
    reject("user-auth-body-two-selectors", "data with account_name and account_realm: body-invalid.",
           ["KAZOO-018", "KAZOO-005"], "user-auth", login_body(VENDOR_MD5, {"account_name": NAME_A,
                                                                            "account_realm": REALM_A}),
           "body-invalid", flags=["body-shape", "account-selector"])

    def api_ok(name, desc, s=None):
        s = s or srv
        t = login_token(s, ACCOUNT_A, "", "cb_api_auth")
        vector(g, name, desc, ["KAZOO-011", "KAZOO-012", "KAZOO-006"], "api-auth",
               {"server": s, "request": http("/v2/api_auth", json.dumps({"data": {"api_key": API_KEY_A}},
                                                                         separators=(",", ":")))},
               success(s, t, ACCOUNT_A, "", "cb_api_auth"), jwt_stages(t), ["api-key"])

    api_ok("api-auth-ok", "api_auth with the account's key: 201, method cb_api_auth, owner_id \"\" (an api key has "
                          "no user).")
    reject("api-auth-unknown-key", "A well-formed api_key no account has: credentials-invalid.",
           ["KAZOO-011", "KAZOO-017"], "api-auth",
           json.dumps({"data": {"api_key": API_KEY_UNKNOWN}}, separators=(",", ":")), "credentials-invalid",
           flags=["api-key"])
    reject("api-auth-key-63-chars", "An api_key of 63 hex characters: body-invalid.", ["KAZOO-018", "KAZOO-006"],
           "api-auth", json.dumps({"data": {"api_key": API_KEY_A[:63]}}, separators=(",", ":")), "body-invalid",
           flags=["api-key", "body-shape"])

    # verify-token
    t = login_token(srv, ACCOUNT_A, OWNER_JOHN, "cb_user_auth")
    iat = unix(SERVER_TIME)
    exp = iat + LIFETIME

    def vtok(name, desc, reqs, token, expected, now=SERVER_TIME, flags=(), headers=None):
        s = server(server_time=now)
        hdrs = {"X-Auth-Token": token} if headers is None else headers
        if expected is None:
            exp_ = {"result": {"account_id": ACCOUNT_A, "owner_id": OWNER_JOHN, "method": "cb_user_auth"}}
        elif isinstance(expected, dict):
            exp_ = expected
        else:
            exp_ = rejection(expected, s)
        vector(g, name, desc, reqs + (["KAZOO-019"] if "error" in exp_ else []), "verify-token",
               {"server": s, "request": call(hdrs)}, exp_, flags=list(flags) + (["rejection"] if "error" in exp_
                                                                                 else []))

    vtok("verify-token-ok", "The token of user-auth-account-name at its issue time: accepted, the result names "
                            "account, owner and method.", ["KAZOO-007", "KAZOO-012"], t["token"], None)
    vtok("verify-token-last-second", f"At exp - 1 ({rfc3339(exp - 1)}): still accepted.", ["KAZOO-013"],
         t["token"], None, now=rfc3339(exp - 1), flags=["jwt-expiry"])
    vtok("verify-token-header-name-case", "The header sent as x-auth-token: names are case-insensitive.",
         ["KAZOO-007"], t["token"], None, headers={"x-auth-token": t["token"]}, flags=["header-case"])
    vtok("verify-token-expired-at-exp", f"At exp ({rfc3339(exp)}): token-expired (server_time >= exp).",
         ["KAZOO-013"], t["token"], "token-expired", now=rfc3339(exp), flags=["jwt-expiry"])
    vtok("verify-token-expired-next-day", "A day later: token-expired.", ["KAZOO-013"], t["token"],
         "token-expired", now=rfc3339(iat + 86400), flags=["jwt-expiry"])
    forged = claims_text(ACCOUNT_A, OWNER_ALICE, "cb_user_auth", iat, LIFETIME)
    bad = tamper_claims(t, forged)
    audit("tampered claims", bad, False)
    vtok("verify-token-tampered-claims", "The claims changed to another owner, header and signature kept: "
                                         "token-invalid.", ["KAZOO-014"], bad, "token-invalid", flags=["jwt-tampered"])
    longer = claims_text(ACCOUNT_A, OWNER_JOHN, "cb_user_auth", iat, LIFETIME * 1000)
    bad2 = tamper_claims(t, longer)
    audit("tampered exp", bad2, False)
    vtok("verify-token-tampered-exp", "exp raised to a thousand hours, signature kept: token-invalid.",
         ["KAZOO-014"], bad2, "token-invalid", flags=["jwt-tampered"])
    bad3 = tamper_signature(t)
    audit("tampered signature", bad3, False)
    vtok("verify-token-tampered-signature", "One bit of the signature flipped: token-invalid.", ["KAZOO-014"],
         bad3, "token-invalid", flags=["jwt-tampered"])
    none = make_jwt(t["claims"], header='{"alg":"none","typ":"JWT"}', sign=False)["token"]
    vtok("verify-token-alg-none", "The same claims with header alg none and an empty signature: token-invalid.",
         ["KAZOO-014"], none, "token-invalid", flags=["jwt-alg-none"])
    hs = make_jwt(t["claims"], header='{"alg":"HS256","typ":"JWT"}')
    audit("HS256 header, RS256 signature over it", hs["token"], True)
    vtok("verify-token-alg-hs256-header", "A header naming HS256 (the signature is a valid RS256 signature over it): "
                                          "token-invalid, the header must be RS256.", ["KAZOO-014"], hs["token"],
         "token-invalid", flags=["jwt-alg-none"])
    vtok("verify-token-tampered-and-expired", "The tampered token of verify-token-tampered-claims a day later: "
                                              "token-invalid (the signature is checked before the expiry).",
         ["KAZOO-014"], bad, "token-invalid", now=rfc3339(iat + 86400), flags=["jwt-tampered", "jwt-expiry"])
    vtok("verify-token-two-parts", "A token of two parts (no signature): token-invalid.", ["KAZOO-014"],
         t["signing_input"], "token-invalid", flags=["jwt-tampered"])
    vtok("verify-token-padded-base64", "The token with '=' padding added to the signature part: token-invalid "
                                       "(base64url without padding).", ["KAZOO-014"], t["token"] + "==",
         "token-invalid", flags=["jwt-tampered"])
    vtok("verify-token-missing-header", "No X-Auth-Token: header-missing 401.", ["KAZOO-015"], "",
         "header-missing", headers={}, flags=["header"])
    reordered = ('{"exp":%d,"iat":%d,"method":"cb_user_auth","owner_id":"%s","account_id":"%s"}'
                 % (exp, iat, OWNER_JOHN, ACCOUNT_A))
    ro = make_jwt(reordered)
    audit("reordered claims", ro["token"], True)
    vtok("verify-token-claims-other-order", "A token signed over claims in another key order: accepted (verifiers "
                                            "do not depend on claim order).", ["KAZOO-012", "KAZOO-014"],
         ro["token"], None)
    ta = login_token(srv, ACCOUNT_A, "", "cb_api_auth")
    vtok("verify-token-api-auth", "The token of api-auth-ok: accepted, method cb_api_auth, owner_id \"\".",
         ["KAZOO-011", "KAZOO-012"], ta["token"],
         {"result": {"account_id": ACCOUNT_A, "owner_id": "", "method": "cb_api_auth"}})

    # verify-basic
    def vbasic(name, desc, reqs, headers, expected, flags=()):
        exp_ = expected if isinstance(expected, dict) else rejection(expected, srv)
        vector(g, name, desc, reqs + (["KAZOO-019"] if "error" in exp_ else []), "verify-basic",
               {"server": srv, "request": call(headers)}, exp_,
               flags=["basic-auth", *flags] + (["rejection"] if "error" in exp_ else []))

    vbasic("verify-basic-ok", "Basic account_id:md5 of the vendor's user: accepted.", ["KAZOO-008", "KAZOO-016"],
           {"Authorization": basic_value(ACCOUNT_A, VENDOR_MD5)},
           {"result": {"account_id": ACCOUNT_A, "owner_id": OWNER_JOHN}})
    vbasic("verify-basic-stored-mixed-case", "Basic for the user stored as Alice.Admin@Example.COM: accepted.",
           ["KAZOO-002", "KAZOO-016"], {"Authorization": basic_value(ACCOUNT_A, credentials(ALICE_STORED,
                                                                                              ALICE_PASSWORD))},
           {"result": {"account_id": ACCOUNT_A, "owner_id": OWNER_ALICE}}, flags=["username-case"])
    vbasic("verify-basic-scheme-lowercase", "The scheme written basic: accepted (ASCII case-insensitive).",
           ["KAZOO-008", "KAZOO-016"], {"Authorization": "basic " + basic_value(ACCOUNT_A, VENDOR_MD5)[6:]},
           {"result": {"account_id": ACCOUNT_A, "owner_id": OWNER_JOHN}}, flags=["header-case"])
    vbasic("verify-basic-wrong-md5", "Basic with the md5 of a wrong password: credentials-invalid.", ["KAZOO-016"],
           {"Authorization": basic_value(ACCOUNT_A, credentials(VENDOR_USER, "wrong-password"))},
           "credentials-invalid")
    vbasic("verify-basic-sha-credentials", "Basic with the SHA-1 credentials: credentials-invalid (Basic is MD5 "
                                           "only).", ["KAZOO-008", "KAZOO-016"],
           {"Authorization": basic_value(ACCOUNT_A, ISSUE_SHA1)}, "credentials-invalid", flags=["hash-method"])
    vbasic("verify-basic-user-of-other-account", "Basic with account A and the md5 of a user of account B: "
                                                 "credentials-invalid.", ["KAZOO-016"],
           {"Authorization": basic_value(ACCOUNT_A, credentials(BOB, BOB_PASSWORD))}, "credentials-invalid")
    vbasic("verify-basic-unknown-account", "Basic with an account id no account has: credentials-invalid.",
           ["KAZOO-016", "KAZOO-017"], {"Authorization": basic_value(kazoo_id("no-such-account"), VENDOR_MD5)},
           "credentials-invalid")
    vbasic("verify-basic-extra-colon", "account_id:md5:x splits at the first colon, so the credentials are "
                                       "\"md5:x\": credentials-invalid.", ["KAZOO-016"],
           {"Authorization": "Basic " + base64.b64encode(f"{ACCOUNT_A}:{VENDOR_MD5}:x".encode()).decode()},
           "credentials-invalid")
    vbasic("verify-basic-bearer", "Authorization: Bearer with a token: token-invalid (not Basic).", ["KAZOO-016"],
           {"Authorization": "Bearer " + t["token"]}, "token-invalid")
    vbasic("verify-basic-not-base64", "Basic followed by text that is not base64: token-invalid.", ["KAZOO-016"],
           {"Authorization": "Basic " + f"{ACCOUNT_A}:{VENDOR_MD5}"}, "token-invalid")
    vbasic("verify-basic-no-colon", "Basic of base64 text without a colon: token-invalid.", ["KAZOO-016"],
           {"Authorization": "Basic " + base64.b64encode(f"{ACCOUNT_A}{VENDOR_MD5}".encode()).decode()},
           "token-invalid")
    vbasic("verify-basic-missing-header", "No Authorization header: header-missing 401.", ["KAZOO-015"], {},
           "header-missing", flags=["header"])


# scenarios.yaml -------------------------------------------------------------------------------------------------

def scenarios():
    g = "scenarios"
    group(g, "Multi-step flows: log in, then call with the token or Basic; expired, tampered and wrong logins.")
    GROUPS[g]["scenarios"] = []
    srv = server()
    A = {"account_name": NAME_A}
    t = login_token(srv, ACCOUNT_A, OWNER_JOHN, "cb_user_auth")
    iat = unix(SERVER_TIME)
    john_ok = success(srv, t, ACCOUNT_A, OWNER_JOHN, "cb_user_auth")
    cred_ptr = "/result/request/json/data/credentials"
    token_ptr = "/result/response/body/auth_token"

    def login_steps(password=VENDOR_PASSWORD, expected=None):
        return [
            step("login-request", "user-auth-request",
                 {"username": VENDOR_USER, "password": password, "method": "md5", "account": A},
                 {"result": user_auth_request(VENDOR_USER, password, "md5", A)}, {"credentials": cred_ptr},
                 cred_stages(VENDOR_USER, password, "md5")),
            step("login", "user-auth",
                 {"server": srv, "request": http("/v2/user_auth", login_body("${credentials}", A))},
                 expected or john_ok, None if expected else {"token": token_ptr},
                 None if expected else jwt_stages(t)),
        ]

    def verify_step(name, now, expected, token="${token}"):
        s = server(server_time=now)
        exp_ = expected if isinstance(expected, dict) else rejection(expected, s)
        return step(name, "verify-token", {"server": s, "request": call({"X-Auth-Token": token})}, exp_)

    ok_call = {"result": {"account_id": ACCOUNT_A, "owner_id": OWNER_JOHN, "method": "cb_user_auth"}}
    scenario(g, "user-auth-then-call", "Build the user_auth request, log in with its credentials, attach the "
                                       "token and make an authenticated call: accepted.",
             ["KAZOO-001", "KAZOO-004", "KAZOO-007", "KAZOO-010", "KAZOO-012"],
             login_steps() + [
                 step("attach-token", "token-header", {"auth_token": "${token}"},
                      {"result": {"headers": {"X-Auth-Token": "${token}"}}}),
                 verify_step("call-with-token", "2025-06-02T12:30:00Z", ok_call)])
    ta = login_token(srv, ACCOUNT_A, "", "cb_api_auth")
    scenario(g, "api-auth-then-call", "Build the api_auth request, log in with the api key, call with the token: "
                                      "accepted as cb_api_auth.",
             ["KAZOO-006", "KAZOO-007", "KAZOO-011", "KAZOO-012"], [
                 step("login-request", "api-auth-request", {"api_key": API_KEY_A},
                      {"result": api_auth_request(API_KEY_A)}, {"api_key": "/result/request/json/data/api_key"}),
                 step("login", "api-auth", {"server": srv, "request": http(
                     "/v2/api_auth", '{"data":{"api_key":"${api_key}"}}')},
                      success(srv, ta, ACCOUNT_A, "", "cb_api_auth"), {"token": token_ptr}, jwt_stages(ta)),
                 step("attach-token", "token-header", {"auth_token": "${token}"},
                      {"result": {"headers": {"X-Auth-Token": "${token}"}}}),
                 verify_step("call-with-token", "2025-06-02T12:59:59Z",
                             {"result": {"account_id": ACCOUNT_A, "owner_id": "", "method": "cb_api_auth"}})])
    scenario(g, "expired-token", "Log in, call at exp - 1 s (accepted), then at exp (server_time = iat + 3600): "
                                 "token-expired 401.", ["KAZOO-012", "KAZOO-013", "KAZOO-019"],
             login_steps() + [verify_step("call-at-last-second", rfc3339(iat + LIFETIME - 1), ok_call),
                              verify_step("call-after-an-hour", rfc3339(iat + LIFETIME), "token-expired")],
             flags=["jwt-expiry"])
    forged = tamper_claims(t, claims_text(ACCOUNT_A, OWNER_ALICE, "cb_user_auth", iat, LIFETIME))
    audit("scenario tampered token", forged, False)
    scenario(g, "tampered-token", "Log in (the pinned token is checked), then call with that token's claims "
                                  "changed to another owner (a pinned value: ${token} cannot be edited): "
                                  "token-invalid 401.", ["KAZOO-010", "KAZOO-014", "KAZOO-019"],
             login_steps() + [verify_step("call-with-tampered-token", "2025-06-02T12:00:01Z", "token-invalid",
                                          token=forged)], flags=["jwt-tampered", "pinned-scenario-value"])
    scenario(g, "wrong-password", "Build the user_auth request with a wrong password, send it: credentials-invalid "
                                  "401 with the invalid-credentials envelope.",
             ["KAZOO-001", "KAZOO-010", "KAZOO-017", "KAZOO-019"],
             login_steps("wrong-password", rejection("credentials-invalid", srv)), flags=["rejection"])

    def basic(name, desc, password, expected, reqs, flags=()):
        creds = credentials(VENDOR_USER, password)
        value = basic_value(ACCOUNT_A, creds)
        scenario(g, name, desc, ["KAZOO-008", "KAZOO-016", *reqs], [
            step("basic-header", "basic-header", {"account_id": ACCOUNT_A, "username": VENDOR_USER,
                                                  "password": password},
                 {"result": {"headers": {"Authorization": value}}}, {"authorization": "/result/headers/Authorization"},
                 [{"name": "credentials", "value": creds}, {"name": "basic_plain", "value": f"{ACCOUNT_A}:{creds}"},
                  {"name": "authorization", "value": value}]),
            step("call-with-basic", "verify-basic", {"server": srv, "request": call({"Authorization":
                                                                                     "${authorization}"})},
                 expected)], flags=["basic-auth", *flags])

    basic("basic-accepted", "Build the Basic header for the vendor's user and call with it: accepted.",
          VENDOR_PASSWORD, {"result": {"account_id": ACCOUNT_A, "owner_id": OWNER_JOHN}}, [])
    basic("basic-rejected", "Build the Basic header with a wrong password and call with it: credentials-invalid "
                            "401.", "wrong-password", rejection("credentials-invalid", srv), ["KAZOO-019"],
          ["rejection"])
    scenario(g, "mixed-case-login-then-call", "A user stored as Alice.Admin@Example.COM types ALICE.ADMIN@EXAMPLE.COM "
                                              "and logs in with sha by realm, then calls: accepted.",
             ["KAZOO-002", "KAZOO-003", "KAZOO-007", "KAZOO-010"], [
                 step("login-request", "user-auth-request",
                      {"username": "ALICE.ADMIN@EXAMPLE.COM", "password": ALICE_PASSWORD, "method": "sha",
                       "account": {"account_realm": REALM_A}},
                      {"result": user_auth_request("ALICE.ADMIN@EXAMPLE.COM", ALICE_PASSWORD, "sha",
                                                   {"account_realm": REALM_A})}, {"credentials": cred_ptr}),
                 step("login", "user-auth", {"server": srv, "request": http(
                     "/v2/user_auth", login_body("${credentials}", {"account_realm": REALM_A}, "sha"))},
                      {"result": {"response": {"status": 201, "body": {"data": {"account_id": ACCOUNT_A,
                                                                                "owner_id": OWNER_ALICE}}}}},
                      {"token": token_ptr}),
                 verify_step("call-with-token", "2025-06-02T12:00:00Z",
                             {"result": {"account_id": ACCOUNT_A, "owner_id": OWNER_ALICE,
                                         "method": "cb_user_auth"}})], flags=["username-case"])


# ---------------------------------------------------------------------------------------------------------------
# Self-checks before anything is written.

def spec_ids() -> set[str] | None:
    return defined_ids(SPEC_FILE, "KAZOO")


def lint() -> list[str]:
    problems = []
    documented = documented_flags() or set()
    defined = spec_ids()
    if defined is not None:
        for r in KAZOO_TESTABLE + KAZOO_NOT_TESTABLE:
            if r not in defined:
                problems.append(f"{r} is not defined in spec/kazoo-crossbar.md")
    ids, cited, codes = set(), set(), set()
    for gname, grp in GROUPS.items():
        for item in grp["vectors"] + (grp["scenarios"] or []):
            vid = item["id"]
            if vid in ids:
                problems.append(f"duplicate id {vid}")
            ids.add(vid)
            if not re.fullmatch(rf"{SCHEME}/{gname}/[a-z0-9]+(-[a-z0-9]+)*", vid):
                problems.append(f"bad id {vid}")
            for r in item["requirements"]:
                if r not in KAZOO_TESTABLE and r not in CORE_TESTABLE:
                    problems.append(f"{vid}: cites {r}, which is not a vector-testable id of this corpus")
                cited.add(r)
            for f in item.get("flags", []):
                if f not in documented:
                    problems.append(f"{vid}: flag {f!r} is not documented in vectors/flags.yaml")
            steps = item.get("steps") or [item]
            captured, names = set(), set()
            for st in steps:
                if "steps" in item:
                    if st["name"] in names:
                        problems.append(f"{vid}: duplicate step {st['name']}")
                    names.add(st["name"])
                    for s in strings([st["input"], st["expected"]]):
                        for var in VAR.findall(s):
                            if var not in captured:
                                problems.append(f"{vid}#{st['name']}: ${{{var}}} is not captured before")
                    captured |= set(st.get("capture", {}))
                elif any(VAR.search(s) for s in strings([item["input"], item["expected"]])):
                    problems.append(f"{vid}: a vector with a ${{...}} reference")
                if st["op"] not in CLIENT_OPS | SERVER_OPS:
                    problems.append(f"{vid}: unknown op {st['op']}")
                if "error" in st["expected"]:
                    code = st["expected"]["error"]["code"]
                    codes.add(code)
                    if st["op"] in SERVER_OPS:
                        resp = st["expected"]["error"].get("response", {})
                        want = 400 if code == "body-invalid" else 401
                        if resp.get("status") != want or resp.get("body", {}).get("auth_token") != "":
                            problems.append(f"{vid}: {code} without the {want} envelope")
    for r in KAZOO_TESTABLE + CORE_TESTABLE:
        if r not in cited:
            problems.append(f"{r} is cited by no vector or scenario")
    for code in CLIENT_CODES + SERVER_CODES:
        if code not in codes:
            problems.append(f"error code {code} has no vector")
    return problems


def audit_tokens() -> list[str]:
    problems = []
    for where, token, valid in TOKEN_AUDIT:
        parts = token.split(".")
        sig = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
        ok = openssl_verifies(f"{parts[0]}.{parts[1]}".encode(), sig)
        if ok != valid:
            problems.append(f"{where}: openssl says {ok}, the case says {valid}")
    return problems


def build() -> dict[str, str]:
    if not KEY_FILE.read_text(encoding="ascii").startswith("-----BEGIN PRIVATE KEY-----\n"):
        sys.exit(f"ABORT: {KEY_FILE} is not a PKCS#8 PEM")
    GROUPS.clear()
    TOKEN_AUDIT.clear()
    hashes()
    requests()
    server_vectors()
    scenarios()
    problems = lint() + audit_tokens()
    if problems:
        sys.exit("ABORT:\n  " + "\n  ".join(problems))
    return {f"{n}.yaml": render_file(GENERATOR_FILE, SCHEME, n, grp["description"], grp["vectors"],
                                     grp["scenarios"]) for n, grp in GROUPS.items()}


def main() -> int:
    return run(__doc__, build, GROUPS, OUT_DIR, GENERATOR_FILE, SCHEME, audit=lambda: (
        f"tokens checked by openssl dgst -sha256 -verify: {len(TOKEN_AUDIT)}; "
        f"scenarios: {sum(len(g['scenarios'] or []) for g in GROUPS.values())}"))


if __name__ == "__main__":
    sys.exit(main())
