#!/usr/bin/env python3
"""Generate the haivision-session test-vector corpus: `vectors/haivision-session/<group>.yaml` (vectors, scenarios).

Why a generator: every password hash is computed here (PBKDF2-HMAC-SHA256 with hashlib, fixed salts, written as
PHC strings), every expected cookie jar is derived here from the RFC 6265 rules, every timestamp is computed from
one clock, and the YAML is written one way only (vectors/gen/common.py).

Contract:
- Each case is declared once with its inputs and its outcome: positive cases get their results computed here
  (the jar after parsing, the Cookie header, the login answer without the random session id, the touched
  session); negative cases declare the code the authspec haivision-session rules demand
  (spec/haivision-session.md) and the answer that code maps to (status and, where the spec fixes it, the body).
- Session ids are random, so no vector pins the id of a session the testee issues: login results are expected
  without `session.id` and without `set_cookie`, and scenarios capture the id (`/result/session/id`) and the two
  Set-Cookie strings to build the later steps' cookie jars, `Cookie` headers and `server.sessions`.
- Before anything is written: every PHC hash is recomputed with `openssl kdf ... PBKDF2` (a non-Python witness);
  ids, requirements, flags and the scenario variables are linted.
- `--check` regenerates in memory and exits 1, naming the stale files, when the committed files differ (CI).

Dependencies: Python 3 standard library, PyYAML, and the `openssl` command line (OpenSSL 3, `openssl kdf`).
"""

from __future__ import annotations

import base64
import calendar
import copy
import datetime
import hashlib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402  (vectors/gen/common.py, next to this script)
    ROOT, run, defined_ids, VAR, strings, Flow, documented_flags, openssl, render as render_file, write_or_check,
)

SCHEME = "haivision-session"
GENERATOR_FILE = "haivision_session.py"
OUT_DIR = ROOT / "vectors" / SCHEME
SPEC_FILE = ROOT / "spec" / "haivision-session.md"

GENERATOR = "vectors/gen/haivision_session.py (Python hashlib.pbkdf2_hmac, RFC 6265 rules)"
TESTEE = "testees/python-spec/testee.py (independent Python implementation of the spec)"
OPENSSL_KDF = "openssl kdf PBKDF2 (OpenSSL 3), every password hash: vectors/gen/haivision_session.py"
SPEC_SOURCE = "computed by vectors/gen/haivision_session.py from the rules of spec/haivision-session.md"
VENDOR_DOCS = ("Haivision, \"Session-Based Authentication\" (doc.haivision.com, Kraken 3.10/4.0): POST "
               "/apis/v2/login and its 204 answer with the Cache-Control, Pragma, Expires and "
               "Strict-Transport-Security headers and the DisplayUnsavedWarning and id cookies")

HAIV_TESTABLE = [f"HAIV-{n:03d}" for n in list(range(1, 9)) + list(range(10, 19))]
HAIV_NOT_TESTABLE = ["HAIV-019", "HAIV-020"]
# As in the other generators: CORE-004 on every negative client-side vector (none here: the client ops never
# refuse), CORE-006 on every negative server-side vector and step, CORE-005 where a lenient client would repair
# the input (unquoting a cookie value, trimming a password).
CITE_CORE = True
CORE_TESTABLE = ["CORE-004", "CORE-005", "CORE-006"]
CLIENT_OPS = {"login-request", "parse-set-cookie", "cookie-header"}
SERVER_OPS = {"login", "authorize", "logout"}
SERVER_CODES = ["transport-insecure", "body-invalid", "credentials-invalid", "session-missing", "session-invalid",
                "session-expired", "permission-denied"]

HOST = "kraken.example.com"
ORIGIN = f"https://{HOST}"
HTTP_ORIGIN = f"http://{HOST}"
CALL_PATH = "/apis/v2/system/status"
LOGIN_PATH = "/apis/v2/login"
LOGOUT_PATH = "/apis/v2/logout"
IDLE, ABSOLUTE = 900, 43200
KDF_ITERATIONS = 1000  # TEST-ONLY: far too low for production (flag test-only-kdf)

SECURITY_HEADERS = {
    "Cache-Control": "no-cache, no-store, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}
WARNING_COOKIE = "DisplayUnsavedWarning=; Max-Age=100000; Path=/; Secure; SameSite=Strict"
CLEAR_COOKIE = "id=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"
BODY_CREDENTIALS = {"error": "invalid credentials"}
BODY_UNAUTHORIZED = {"error": "unauthorized"}
STATUS = {"transport-insecure": 403, "body-invalid": 400, "credentials-invalid": 401, "session-missing": 401,
          "session-invalid": 401, "session-expired": 401, "permission-denied": 403}
BODY = {"credentials-invalid": BODY_CREDENTIALS, "session-missing": BODY_UNAUTHORIZED,
        "session-invalid": BODY_UNAUTHORIZED, "session-expired": BODY_UNAUTHORIZED,
        "transport-insecure": {"error": "https required"}, "body-invalid": {"error": "invalid request"},
        "permission-denied": {"error": "forbidden"}}
RANK = {"user": 0, "operator": 1, "haiadmin": 2}


def id_cookie(sid: str) -> str:
    return f"id={sid}; Path=/; HttpOnly; Secure; SameSite=Strict"


# ---------------------------------------------------------------------------------------------------------------
# Time.

T0 = "2025-06-01T08:30:00Z"  # the spec's worked example


def unix(ts: str) -> int:
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z", ts)
    assert m, ts
    return calendar.timegm(tuple(int(g) for g in m.groups()) + (0, 0, 0))


def rfc3339(seconds: int) -> str:
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def at(offset: int, base: str = T0) -> str:
    return rfc3339(unix(base) + offset)


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
# The four Expires forms of the spec, for strptime (C locale; '%y': 00-68 are 20xx, which covers this corpus).
DATE_FORMATS = ["%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y",
                "%a, %d-%b-%Y %H:%M:%S GMT"]


def http_date(ts: str, form: str = "imf") -> str:
    """An HTTP date (RFC 9110 section 5.6.7) in one of the spec's four forms: IMF-fixdate (the default), rfc850,
    asctime, or dashes (`Sun, 06-Nov-1994 08:49:37 GMT`)."""
    d = datetime.datetime.fromtimestamp(unix(ts), datetime.timezone.utc)
    day, mon, hms = DAYS[d.weekday()], MONTHS[d.month - 1], f"{d:%H:%M:%S}"
    return {"imf": f"{day[:3]}, {d.day:02d} {mon} {d.year} {hms} GMT",
            "rfc850": f"{day}, {d.day:02d}-{mon}-{d.year % 100:02d} {hms} GMT",
            "asctime": f"{day[:3]} {mon} {d.day:2d} {hms} {d.year}",
            "dashes": f"{day[:3]}, {d.day:02d}-{mon}-{d.year} {hms} GMT"}[form]


# ---------------------------------------------------------------------------------------------------------------
# Password hashes (PHC strings) and the server state (test-only names, passwords and session ids).

def b64_nopad(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii").rstrip("=")


def phc(password: str, salt: bytes, iterations: int = KDF_ITERATIONS) -> str:
    dk = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations, 32)
    HASH_AUDIT.append((password, salt, iterations, dk))
    return f"$pbkdf2-sha256$i={iterations}${b64_nopad(salt)}${b64_nopad(dk)}"


HASH_AUDIT: list[tuple[str, bytes, int, bytes]] = []


def sid(label: str) -> str:
    """A fixed 32-hex session id for vectors (the testee's own ids are random; these are test-only)."""
    return hashlib.sha256(f"authspec-haiv-test-session:{label}".encode()).hexdigest()[:32]


# The spec's worked-example users (spec/haivision-session.md, "Worked examples": the vendor's default usernames,
# the vendor's example password krakenapi, test-only salts authspec-haiv-01..03), and two more of this corpus.
ADMIN, ADMIN_PASSWORD = "haiadmin", "krakenapi"
VIEWER, VIEWER_PASSWORD = "user", "viewer-pass"
OPERATOR, OPERATOR_PASSWORD = "operator", "operator-pass"
SLOW, SLOW_PASSWORD = "operator2", "authspec-test-password-2000"  # i=2000: the count is read from the string
UNICODE_USER, UNICODE_PASSWORD = "viewer2", "  pässwörd €  "
ROLE_OF = {ADMIN: "haiadmin", OPERATOR: "operator", VIEWER: "user", SLOW: "operator", UNICODE_USER: "user"}
SPEC_HASHES = {  # printed in the spec's "Users" table; asserted before anything is written
    ADMIN: "$pbkdf2-sha256$i=1000$YXV0aHNwZWMtaGFpdi0wMQ$Lhuy6IZZ6gg9Yx5RCgCQQzff4iuQkJldTRMGCcah5Hk",
    VIEWER: "$pbkdf2-sha256$i=1000$YXV0aHNwZWMtaGFpdi0wMg$o11t0eM/XMHThLBAyOt/MM853wrl0D/DPdC9iSWo0UE",
    OPERATOR: "$pbkdf2-sha256$i=1000$YXV0aHNwZWMtaGFpdi0wMw$ttO+IZdeMlXSVnPSeoTn4N5PTs9G2Py4sajh0xYkItk",
}
SPEC_ADMIN_DK = "2e1bb2e88659ea083d631e510a00904337dfe22b9090995d4d130609c6a1e479"
VENDOR_ID = "1NwNImOGcDe4a2yHFUaaPHIicw3ngiCRHPHScQAs"  # the vendor's example session id


def users() -> list:
    return [
        {"username": ADMIN, "password_hash": phc(ADMIN_PASSWORD, b"authspec-haiv-01"), "role": "haiadmin"},
        {"username": VIEWER, "password_hash": phc(VIEWER_PASSWORD, b"authspec-haiv-02"), "role": "user"},
        {"username": OPERATOR, "password_hash": phc(OPERATOR_PASSWORD, b"authspec-haiv-03"), "role": "operator"},
        {"username": SLOW, "password_hash": phc(SLOW_PASSWORD, b"authspec-haiv-04", 2000), "role": "operator"},
        {"username": UNICODE_USER, "password_hash": phc(UNICODE_PASSWORD, b"authspec-haiv-05"), "role": "user"},
    ]


def session(id_: str, username: str, created_at: str = T0, last_seen: str | None = None) -> dict:
    return {"id": id_, "username": username, "role": ROLE_OF.get(username, "user"), "created_at": created_at,
            "last_seen": last_seen or created_at}


def server(now: str = T0, sessions: list | None = None) -> dict:
    return {"users": users(), "sessions": copy.deepcopy(sessions or []), "now": now, "idle_timeout": IDLE,
            "absolute_timeout": ABSOLUTE}


def request(method: str, path: str, headers: dict | None = None, body: str = "", scheme: str = "https") -> dict:
    return {"method": method, "path": path, "scheme": scheme, "headers": dict(headers or {}), "body": body}


def login_http(username, password, scheme="https", body=None, headers=None) -> dict:
    if body is None:
        body = json.dumps({"username": username, "password": password}, separators=(",", ":"), ensure_ascii=False)
    return request("POST", LOGIN_PATH, {"Content-Type": "application/json", **(headers or {})}, body, scheme)


def call_http(cookie: str | None, scheme="https", path=CALL_PATH, method="GET", name="Cookie") -> dict:
    return request(method, path, {} if cookie is None else {name: cookie}, "", scheme)


def rejection(code: str) -> dict:
    """The whole error answer: status, Content-Type, no cookie, the JSON body (spec: "Answers")."""
    return {"error": {"code": code, "response": {"status": STATUS[code],
                                                 "headers": {"Content-Type": "application/json"},
                                                 "set_cookie": [], "body": BODY[code]}}}


def login_ok(username: str, now: str = T0) -> dict:
    """The login answer without the random parts (session.id and the id cookie)."""
    return {"result": {"response": {"status": 204, "headers": dict(SECURITY_HEADERS), "body": None},
                       "session": {"username": username, "role": ROLE_OF[username], "created_at": now,
                                   "last_seen": now}}}


def authorized(sess: dict, now: str) -> dict:
    touched = dict(sess, last_seen=now)
    return {"result": {"username": sess["username"], "role": sess["role"], "session": touched}}


def logout_ok(id_: str) -> dict:
    return {"result": {"response": {"status": 204, "headers": dict(SECURITY_HEADERS), "set_cookie": [CLEAR_COOKIE],
                                    "body": None}, "session_dropped": id_}}


# ---------------------------------------------------------------------------------------------------------------
# The client side: this generator's reading of RFC 6265 section 5 for the inputs this corpus uses.

def cookie(name, value, path="/", secure=False, http_only=False, same_site=None, expires_at=None) -> dict:
    return {"name": name, "value": value, "path": path, "secure": secure, "http_only": http_only,
            "same_site": same_site, "expires_at": expires_at}


def default_path(origin: str) -> str:
    path = re.fullmatch(r"https?://[^/?#]+([^?#]*).*", origin).group(1)
    return "/" if not path.startswith("/") or path.count("/") == 1 else path[:path.rindex("/")]


def parse_one(text: str, now: str, origin: str):
    """(cookie, delete?) for one Set-Cookie string, or None when it is ignored. The corpus inputs are simple:
    IMF-fixdate Expires, plain decimal Max-Age, no Domain."""
    first, *attrs = text.split(";")
    if "=" not in first:
        return None
    name, value = (s.strip(" \t") for s in first.split("=", 1))
    if not name:
        return None
    c = cookie(name, value, default_path(origin))
    max_age = expires = None
    for a in attrs:
        k, _, v = a.partition("=")
        k, v = k.strip(" \t").lower(), v.strip(" \t")
        if k == "max-age" and re.fullmatch(r"-?[0-9]+", v):
            max_age = int(v)
        elif k == "expires":
            for fmt in DATE_FORMATS:
                try:
                    expires = rfc3339(calendar.timegm(datetime.datetime.strptime(v, fmt).timetuple()))
                    break
                except ValueError:
                    pass
        elif k == "path":
            c["path"] = v if v.startswith("/") else default_path(origin)
        elif k == "secure":
            c["secure"] = True
        elif k == "httponly":
            c["http_only"] = True
        elif k == "samesite":
            c["same_site"] = {"strict": "Strict", "lax": "Lax", "none": "None"}.get(v.lower(), c["same_site"])
    if c["secure"] and origin.startswith("http://"):
        return None
    if max_age is not None:
        if max_age <= 0:
            return c, True
        c["expires_at"] = at(max_age, now)
    elif expires is not None:
        c["expires_at"] = expires
        if unix(expires) <= unix(now):
            return c, True
    return c, False


def expired(c: dict, now: str) -> bool:
    return c["expires_at"] is not None and unix(c["expires_at"]) <= unix(now)


def parse_set_cookie(origin, set_cookie, jar, now) -> dict:
    jar = [dict(c) for c in jar if not expired(c, now)]  # RFC 6265 section 5.3: expired cookies are evicted
    for text in set_cookie:
        parsed = parse_one(text, now, origin)
        if parsed is None:
            continue
        c, delete = parsed
        jar = [o for o in jar if (o["name"], o["path"]) != (c["name"], c["path"])]
        if not delete:
            jar.append(c)
    jar.sort(key=lambda c: (c["name"].encode(), c["path"].encode()))  # jar order: byte order
    return {"result": {"jar": jar}}


def path_match(req_path: str, cookie_path: str) -> bool:
    return req_path == cookie_path or (req_path.startswith(cookie_path) and (
        cookie_path.endswith("/") or req_path[len(cookie_path)] == "/"))


def cookie_header(url, jar, now) -> dict:
    m = re.fullmatch(r"(https?)://[^/?#]+([^?#]*)(\?[^#]*)?", url)
    assert m, url
    path = m.group(2) or "/"
    sent = [c for c in jar if path_match(path, c["path"]) and (m.group(1) == "https" or not c["secure"])
            and not expired(c, now)]
    sent.sort(key=lambda c: (-len(c["path"].encode()), c["name"].encode(), c["path"].encode()))  # then jar order
    if not sent:
        return {"result": {"headers": {}}}
    return {"result": {"headers": {"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in sent)}}}


def login_request(username, password) -> dict:
    return {"result": {"request": {"method": "POST", "path": LOGIN_PATH,
                                   "headers": {"Content-Type": "application/json"},
                                   "json": {"username": username, "password": password}}}}


# ---------------------------------------------------------------------------------------------------------------
# Case declarations.

GROUPS: dict[str, dict] = {}


def group(name: str, description: str, scenarios: bool = False) -> None:
    GROUPS[name] = {"description": description, "vectors": [], "scenarios": [] if scenarios else None}


def computed(source: str = SPEC_SOURCE, kdf_witness: bool = False) -> dict:
    return {"kind": "computed", "source": source,
            "confirmed_by": [GENERATOR, TESTEE] + ([OPENSSL_KDF] if kdf_witness else [])}


def vendor() -> dict:
    return {"kind": "vendor-doc", "source": VENDOR_DOCS, "confirmed_by": [GENERATOR, TESTEE]}


def core_ids(op: str, expected: dict, core005: bool) -> set:
    ids = set()
    if CITE_CORE:
        if "error" in expected:
            ids.add("CORE-004" if op in CLIENT_OPS else "CORE-006")
        if core005:
            ids.add("CORE-005")
    return ids


def resolution_flags(description: str, flags) -> list:
    """A description that names a spec resolution ("(spec resolution Rn)") carries the flag spec-resolution."""
    flags = list(flags)
    if re.search(r"spec resolution R[0-9]+", description) and "spec-resolution" not in flags:
        flags.append("spec-resolution")
    return flags


def vector(g, name, description, requirements, op, inp, expected, flags=(), provenance=None, core005=False):
    flags = resolution_flags(description, flags)
    if provenance is None:
        provenance = computed(kdf_witness=op == "login")
    inp, expected = copy.deepcopy((inp, expected))
    v = {"id": f"{SCHEME}/{g}/{name}", "description": description,
         "requirements": Flow(sorted(set(requirements) | core_ids(op, expected, core005))),
         "provenance": copy.deepcopy(provenance)}
    if flags:
        v["flags"] = Flow(dict.fromkeys(flags))
    v["op"] = op
    v["input"] = inp
    v["expected"] = expected
    GROUPS[g]["vectors"].append(v)
    return v


def step(name, op, inp, expected, capture=None) -> dict:
    s = {"name": name, "op": op, "input": copy.deepcopy(inp), "expected": copy.deepcopy(expected)}
    if capture:
        s["capture"] = dict(capture)
    return s


def scenario(g, name, description, requirements, steps, flags=()):
    flags = resolution_flags(description, flags)
    reqs = set(requirements)
    for s in steps:
        reqs |= core_ids(s["op"], s["expected"], False)
    sc = {"id": f"{SCHEME}/{g}/{name}", "description": description, "requirements": Flow(sorted(reqs)),
          "provenance": computed(kdf_witness=True)}
    if flags:
        sc["flags"] = Flow(dict.fromkeys(flags))
    sc["steps"] = steps
    GROUPS[g]["scenarios"].append(sc)


# cookies.yaml ---------------------------------------------------------------------------------------------------

SID_A, SID_B, SID_OLD = sid("a"), sid("b"), sid("old")
WARN = cookie("DisplayUnsavedWarning", "", "/", True, False, "Strict", at(100000))
ID_A = cookie("id", SID_A, "/", True, True, "Strict")
LATER = at(200 * 86400)  # an Expires 200 days after now (the spec keeps vectors within 400 days)
LOGIN_URL = f"{ORIGIN}{LOGIN_PATH}"


def cookies():
    g = "cookies"
    group(g, "The client's cookie handling: Set-Cookie parsing into a jar (RFC 6265 section 5.2, Secure from "
             "plain http ignored, replacement by name and path, Max-Age over Expires, eviction) and the Cookie "
             "header for a URL (path-match, Secure, expiry, order).")

    def parse(name, desc, reqs, set_cookie, jar=(), origin=ORIGIN, now=T0, flags=(), provenance=None,
              core005=False):
        inp = {"origin": origin, "set_cookie": list(set_cookie), "jar": list(jar), "now": now}
        vector(g, name, desc, reqs, "parse-set-cookie", inp, parse_set_cookie(origin, set_cookie, jar, now), flags,
               provenance, core005)

    parse("vendor-login-cookies", "The vendor's two cookies, with the vendor's example id, from an https origin: "
                                  "DisplayUnsavedWarning (empty value, Max-Age=100000 from now, Secure, SameSite "
                                  "Strict, not HttpOnly) and the session id (HttpOnly, Secure, SameSite Strict, no "
                                  "expiry: a session cookie); jar order puts D before i.",
          ["HAIV-003", "HAIV-004"], [WARNING_COOKIE, id_cookie(VENDOR_ID)],
          flags=["vendor-example", "cookie-attributes"], provenance=vendor())
    parse("attribute-case-and-order", "The session cookie with its attributes in another order and case "
                                      "(samesite=strict; SECURE; httponly; pAtH=/): the same cookie.", ["HAIV-003"],
          [f"id={SID_A}; samesite=strict; SECURE; httponly; pAtH=/"], flags=["cookie-attributes"])
    parse("name-case-kept", "Cookie names are case-sensitive: ID and id are two cookies (ID sorts first, 0x49 < "
                            "0x69).", ["HAIV-003", "HAIV-004"],
          [f"id={SID_A}; Path=/; HttpOnly; Secure; SameSite=Strict", "ID=x; path=/; SECURE; httponly; samesite=strict"],
          flags=["cookie-attributes"], core005=True)
    parse("unknown-attributes-ignored", "Unknown attributes (Priority=High, X-Custom=1, Comment, Domain) are "
                                        "ignored and Secure=yes is Secure; the cookie is kept.", ["HAIV-003"],
          [f"id={SID_A}; Priority=High; Path=/; X-Custom=1; HttpOnly; Comment; Secure=yes; Domain=example.com; "
           "SameSite=Strict"], flags=["cookie-attributes"])
    parse("attribute-whitespace", "Spaces and tabs around names, values and the '=' of attributes are trimmed "
                                  "(RFC 6265 section 5.2).", ["HAIV-003"],
          [f" id = {SID_A} ;Path = / ;\tHttpOnly ; Secure;SameSite = Strict "], flags=["cookie-attributes"])
    parse("same-site-values", "SameSite Lax, none (any case) and an unknown value (ignored: null); a cookie "
                              "without attributes: path /, not Secure, not HttpOnly, no expiry.",
          ["HAIV-003", "HAIV-004"], ["a=1; SameSite=Lax", "b=2; SameSite=none; Secure", "c=3; SameSite=Bogus", "d=4"],
          flags=["cookie-attributes"])
    parse("quoted-value-kept", "A quoted value is kept with its quotes and inner space: \"quoted value\" (14 "
                               "characters; RFC 6265 stores the value as given).", ["HAIV-004"],
          ['id="quoted value"; Path=/'], flags=["cookie-attributes"], core005=True)
    parse("value-with-equals-kept", "The value runs from the first '=' to the first ';': token=b=c== keeps b=c==.",
          ["HAIV-004"], ["token=b=c==; Path=/"], core005=True)
    parse("several-cookies", "Three Set-Cookie fields give three cookies, the jar sorted by name then path.",
          ["HAIV-004"], ["zeta=3; Path=/apis", "alpha=1", "mid=2; Path=/apis/v2; HttpOnly"])
    parse("malformed-fields-ignored", "A field without '=' and one with an empty name are ignored entirely "
                                      "(RFC 6265 section 5.2 steps 2 and 5); the valid field is kept.",
          ["HAIV-003"], ["noequals; Path=/", "=x; Path=/", "ok=1; Path=/"], flags=["cookie-attributes"])
    parse("default-path", "No Path, an empty Path and a Path not starting with '/' all give the default path, / "
                          "for an origin without a path.", ["HAIV-003"], ["a=1", "b=2; Path=", "c=3; Path=apis/v2"],
          flags=["cookie-path"])
    parse("default-path-from-login-url", "From https://kraken.example.com/apis/v2/login the default path is "
                                         "/apis/v2 (up to the last '/'), for no Path and for Path=apis; Path=/ "
                                         "stays /.", ["HAIV-003"],
          ["a=x", "b=x; Path=apis", "id=x; Path=/"], origin=LOGIN_URL, flags=["cookie-path"])
    parse("last-path-wins", "Two Path attributes: the last one counts.", ["HAIV-003"],
          ["a=1; Path=/first; Path=/apis"], flags=["cookie-path"])
    parse("max-age-wins-over-expires", "Max-Age=60 with an Expires 200 days later, in either order: expires_at is "
                                       "now + 60 s.", ["HAIV-005"],
          [f"a=1; Expires={http_date(LATER)}; Max-Age=60", f"b=2; Max-Age=60; Expires={http_date(LATER)}"],
          flags=["cookie-expiry"])
    parse("expires-only", "Expires alone (IMF-fixdate) gives expires_at in UTC.", ["HAIV-003", "HAIV-005"],
          [f"a=1; Path=/; Expires={http_date(at(3 * 3600 + 7))}"], flags=["cookie-expiry"])
    parse("expires-date-forms", "The other HTTP date forms: RFC 850 (two-digit year), asctime (day padded with a "
                                "space) and dd-Mon-yyyy.", ["HAIV-003"],
          [f"a=1; Expires={http_date(LATER, 'rfc850')}", f"b=2; Expires={http_date(at(86400 * 3 + 5), 'asctime')}",
           f"c=3; Expires={http_date(at(3600), 'dashes')}"], flags=["cookie-expiry"])
    parse("expires-invalid-ignored", "An Expires that is no HTTP date (tomorrow, an ISO date, 31 February) is "
                                     "ignored: session cookies.", ["HAIV-003"],
          ["a=1; Expires=tomorrow", "b=2; Expires=2026-01-01T00:00:00Z", "c=3; Expires=Tue, 31 Feb 2026 08:30:00 GMT"],
          flags=["cookie-expiry"])
    parse("expires-past-removes", "An Expires at or before now removes the stored cookie of the same name and "
                                  "path and stores nothing.", ["HAIV-005"],
          [f"DisplayUnsavedWarning=; Expires={http_date(T0)}; Path=/; Secure", f"x=1; Expires={http_date(at(-60))}"],
          jar=[WARN, ID_A], flags=["cookie-expiry"])
    parse("max-age-zero-deletes", "The logout cookie (id=; Max-Age=0) removes the stored session cookie; the "
                                  "other cookie stays.", ["HAIV-005", "HAIV-018"], [CLEAR_COOKIE], jar=[WARN, ID_A],
          flags=["cookie-expiry"])
    parse("max-age-negative-deletes", "Max-Age=-1 removes the cookie of the same name and path.", ["HAIV-005"],
          ["DisplayUnsavedWarning=; Max-Age=-1; Path=/; Secure"], jar=[WARN, ID_A], flags=["cookie-expiry"])
    parse("max-age-zero-not-stored", "A new cookie with Max-Age=0 is not stored (an Expires later is ignored).",
          ["HAIV-005"], [f"a=1; Max-Age=0; Expires={http_date(LATER)}", "b=2"], flags=["cookie-expiry"])
    parse("max-age-not-a-number-ignored", "Max-Age=+5, Max-Age=1e3, Max-Age=- and an empty Max-Age are not "
                                          "delta-seconds and are ignored: session cookies.", ["HAIV-003", "HAIV-005"],
          ["a=1; Max-Age=+5", "b=2; Max-Age=1e3", "c=3; Max-Age=-", "d=4; Max-Age="], flags=["cookie-expiry"])
    parse("expired-entries-evicted", "Entries of the input jar expired at now are evicted (RFC 6265 section 5.3), "
                                     "also when no field concerns them.", ["HAIV-005"], ["n=1"],
          jar=[cookie("gone", "1", expires_at=T0), cookie("kept", "2", expires_at=at(1)), ID_A],
          flags=["cookie-expiry"])
    parse("secure-from-http-ignored", "The vendor's cookies (both Secure) from an http origin are not stored; a "
                                      "Secure cookie from http does not replace or remove the stored one either.",
          ["HAIV-007"], [WARNING_COOKIE, id_cookie(SID_B), CLEAR_COOKIE], jar=[ID_A], origin=HTTP_ORIGIN,
          flags=["cookie-secure"])
    parse("non-secure-from-http-stored", "A cookie without Secure from an http origin is stored.", ["HAIV-007"],
          ["theme=dark; Path=/"], origin=HTTP_ORIGIN, flags=["cookie-secure"])
    parse("relogin-replaces-session", "A second login's cookies replace the first ones of the same name and path: "
                                      "the jar holds the new id and a refreshed DisplayUnsavedWarning.",
          ["HAIV-006"], [WARNING_COOKIE, id_cookie(SID_B)],
          jar=[cookie("DisplayUnsavedWarning", "", "/", True, False, "Strict", at(100000 - 600)),
               cookie("id", SID_OLD, "/", True, True, "Strict")], flags=["cookie-replacement"])
    parse("replacement-takes-new-attributes", "A replacing cookie brings its own attributes: the old one was "
                                              "HttpOnly with an expiry, the new one is neither.", ["HAIV-006"],
          ["pref=new; Path=/"], jar=[cookie("pref", "old", "/", True, True, "Lax", at(3600))],
          flags=["cookie-replacement"])
    parse("same-name-other-path-kept", "A cookie of the same name but another path does not replace the stored "
                                       "one; the jar holds both, / first.", ["HAIV-006"],
          [f"id={SID_B}; Path=/apis; HttpOnly; Secure"], jar=[ID_A], flags=["cookie-replacement", "cookie-path"])

    def header(name, desc, reqs, url, jar, now=T0, flags=()):
        vector(g, name, desc, reqs, "cookie-header", {"url": url, "jar": jar, "now": now},
               cookie_header(url, jar, now), flags)

    header("vendor-session-cookies", "Both login cookies go to an API call over https, the empty "
                                     "DisplayUnsavedWarning included: Cookie: DisplayUnsavedWarning=; id=<id>.",
           ["HAIV-008"], f"{ORIGIN}/apis/v2/streams", [WARN, cookie("id", VENDOR_ID, "/", True, True, "Strict")],
           flags=["vendor-example"])
    header("path-match", "Path-match (RFC 6265 section 5.1.4) for /apis/v2/system/status: /apis, /apis/ and "
                         "/apis/v2/system/status match; /ap, /apis/v2/sys and /other do not; longest path first.",
           ["HAIV-008"], f"{ORIGIN}{CALL_PATH}",
           [cookie("a", "1", "/apis"), cookie("b", "2", "/ap"), cookie("c", "3", "/apis/v2/system/status"),
            cookie("d", "4", "/other"), cookie("e", "5", "/apis/"), cookie("f", "6", "/apis/v2/sys")],
           flags=["cookie-path"])
    header("root-url", "The URL https://kraken.example.com (empty path, taken as /) gets the / cookies only.",
           ["HAIV-008"], ORIGIN, [cookie("a", "1", "/apis"), cookie("b", "2")], flags=["cookie-path"])
    header("query-not-part-of-path", "The query string is not part of the path that is matched.", ["HAIV-008"],
           f"{ORIGIN}/apis?x=/apis/v2", [cookie("a", "1", "/apis/v2"), cookie("b", "2", "/apis")],
           flags=["cookie-path"])
    header("order-longest-path-first", "Longer paths first; among equal lengths the jar order (name, then path, "
                                       "in byte order), whatever the order of the input jar.",
           ["HAIV-008"], f"{ORIGIN}{CALL_PATH}",
           [cookie("z", "1"), cookie("a", "2"), cookie("m", "3", "/apis"), cookie("b", "4", "/apis/v2")])
    header("secure-not-sent-over-http", "Over http the Secure cookies stay back; the others are sent.",
           ["HAIV-007", "HAIV-008"], f"{HTTP_ORIGIN}{CALL_PATH}",
           [WARN, ID_A, cookie("theme", "dark")], flags=["cookie-secure"])
    header("expired-not-sent", "A cookie expired at now (its expires_at is now, or earlier) is not sent; one "
                               "expiring a second later and a session cookie are.", ["HAIV-008"],
           f"{ORIGIN}{CALL_PATH}",
           [cookie("old", "1", expires_at=at(-1)), cookie("edge", "0", expires_at=T0),
            cookie("new", "2", expires_at=at(1)), cookie("s", "3")], flags=["cookie-expiry"])
    header("quoted-value-sent-as-stored", "A quoted value goes back with its quotes: id=\"abc\".", ["HAIV-004",
                                                                                                  "HAIV-008"],
           f"{ORIGIN}{CALL_PATH}", [cookie("id", '"abc"', "/", True, True, "Strict")], flags=["cookie-attributes"])
    header("empty-value-sent", "An empty-valued cookie is still sent as name=.", ["HAIV-008"],
           f"{ORIGIN}/apis/v2/channels", [WARN])


# login.yaml -----------------------------------------------------------------------------------------------------

def login():
    g = "login"
    group(g, "Login: the client's request, and the server's answer (204 with the vendor's headers and cookies, "
             "one identical 401 for every failed login, https only, malformed bodies).")
    for name, desc, username, password, reqs, flags, core005 in [
        ("request", "The vendor's example (haiadmin, krakenapi): POST /apis/v2/login with Content-Type "
                    "application/json and {username, password}.", ADMIN, ADMIN_PASSWORD, [], ["vendor-example"],
         False),
        ("request-password-as-given", "The password is sent exactly as given: spaces, non-ASCII and € kept.",
         UNICODE_USER, UNICODE_PASSWORD, [], ["whitespace", "unicode"], True),
        ("request-json-escapes", "Quotes and backslashes are ordinary characters of the JSON strings.",
         'we"ird\\user', 'pa"ss\\word', [], [], False),
        ("request-empty-credentials", "Empty username and password: the client never refuses, it builds the "
                                      "request.", "", "", [], [], False),
    ]:
        vector(g, name, desc, ["HAIV-001", *reqs], "login-request", {"username": username, "password": password},
               login_request(username, password), flags, vendor() if "vendor-example" in flags else None,
               core005=core005)

    def srv_login(name, desc, reqs, req, expected, flags=()):
        vector(g, name, desc, reqs, "login", {"server": server(), "request": req}, expected, flags)

    srv_login("success", "The vendor's example login (haiadmin, krakenapi): 204, Cache-Control, Pragma, Expires "
                         "and Strict-Transport-Security as the vendor shows, no body, and the session created now "
                         "(its random id is not pinned; scenarios check the cookies).", ["HAIV-002"],
              login_http(ADMIN, ADMIN_PASSWORD), login_ok(ADMIN), ["test-only-kdf"])
    srv_login("success-operator", "An operator logs in: the session carries the operator role.", ["HAIV-002"],
              login_http(OPERATOR, OPERATOR_PASSWORD), login_ok(OPERATOR), ["test-only-kdf"])
    srv_login("success-viewer", "A viewer (role user) logs in.", ["HAIV-002"], login_http(VIEWER, VIEWER_PASSWORD),
              login_ok(VIEWER), ["test-only-kdf"])
    srv_login("success-iterations-from-hash", "A hash with i=2000: the iteration count is read from the PHC "
                                              "string.", ["HAIV-002"], login_http(SLOW, SLOW_PASSWORD),
              login_ok(SLOW), ["test-only-kdf"])
    srv_login("success-password-as-given", "A password with spaces and non-ASCII characters matches as its UTF-8 "
                                           "bytes, untrimmed.", ["HAIV-002"],
              login_http(UNICODE_USER, UNICODE_PASSWORD), login_ok(UNICODE_USER), ["test-only-kdf", "unicode"])
    srv_login("success-extra-members", "Extra members of the login object are ignored.", ["HAIV-002", "HAIV-011"],
              login_http(None, None, body=json.dumps({"username": VIEWER, "password": VIEWER_PASSWORD,
                                                      "remember": True}, separators=(",", ":"))),
              login_ok(VIEWER), ["test-only-kdf", "body-shape"])
    srv_login("success-old-session-cookie", "A login request that carries an old id cookie still logs in (a new "
                                            "session is issued; see the scenario no-session-fixation).",
              ["HAIV-002", "HAIV-013"],
              login_http(ADMIN, ADMIN_PASSWORD, headers={"Cookie": f"id={SID_OLD}"}), login_ok(ADMIN),
              ["test-only-kdf"])
    same = ("the same credentials-invalid 401 {\"error\":\"invalid credentials\"}, no cookie, as every failed "
            "login (spec resolution R3)")
    srv_login("wrong-password", f"A known user with a wrong password (krakenapj): {same}.", ["HAIV-012"],
              login_http(ADMIN, "krakenapj"), rejection("credentials-invalid"), ["rejection", "spec-resolution"])
    srv_login("unknown-user", f"An unknown user (haiadmim) with the right password of another: {same}; no user "
                              "enumeration.", ["HAIV-012"],
              login_http("haiadmim", ADMIN_PASSWORD), rejection("credentials-invalid"),
              ["rejection", "spec-resolution"])
    srv_login("password-case-differs", f"The password in another case: {same}.", ["HAIV-012"],
              login_http(ADMIN, ADMIN_PASSWORD.upper()), rejection("credentials-invalid"), ["rejection"])
    srv_login("username-case-differs", f"The username in another case (Haiadmin; usernames compare exactly): "
                                       f"{same}.", ["HAIV-012"], login_http("Haiadmin", ADMIN_PASSWORD),
              rejection("credentials-invalid"), ["rejection"])
    srv_login("password-trimmed", f"The untrimmed password trimmed by a client: {same}.", ["HAIV-012"],
              login_http(UNICODE_USER, UNICODE_PASSWORD.strip()), rejection("credentials-invalid"),
              ["rejection", "whitespace"])
    srv_login("other-users-password", f"A valid password of another user: {same}.", ["HAIV-012"],
              login_http(VIEWER, ADMIN_PASSWORD), rejection("credentials-invalid"), ["rejection"])
    srv_login("empty-credentials", f"Empty username and password (strings, so not malformed): {same}.",
              ["HAIV-011", "HAIV-012"], login_http("", ""), rejection("credentials-invalid"), ["rejection"])
    srv_login("plain-http", "Correct credentials over plain http: transport-insecure 403 {\"error\":\"https "
                            "required\"}, no session (spec resolution R5).",
              ["HAIV-010"], login_http(ADMIN, ADMIN_PASSWORD, scheme="http"), rejection("transport-insecure"),
              ["plain-http", "rejection", "spec-resolution"])
    srv_login("plain-http-before-body", "Plain http with a malformed body: transport-insecure, the first check.",
              ["HAIV-010", "HAIV-011"], login_http(None, None, scheme="http", body="not json"),
              rejection("transport-insecure"), ["plain-http", "check-order", "rejection"])
    for name, desc, body in [
        ("body-not-json", "a body that is not JSON", "username=admin&password=x"),
        ("body-empty", "an empty body", ""),
        ("body-array", "a JSON array", json.dumps([ADMIN, ADMIN_PASSWORD])),
        ("body-string", "a JSON string", json.dumps(ADMIN)),
        ("body-missing-password", "an object without password (the spec's example)", json.dumps({"username": ADMIN})),
        ("body-missing-username", "an object without username", json.dumps({"password": ADMIN_PASSWORD})),
        ("body-password-number", "a password that is a number", '{"username":"admin","password":12345}'),
        ("body-username-null", "a null username", '{"username":null,"password":"x"}'),
        ("body-truncated", "truncated JSON", '{"username":"admin","password":"'),
    ]:
        srv_login(name, f"A login body of {desc}: body-invalid 400 {{\"error\":\"invalid request\"}}.", ["HAIV-011"],
                  login_http(None, None, body=body),
                  rejection("body-invalid"), ["body-shape", "rejection"])


# authorize.yaml -------------------------------------------------------------------------------------------------

def authorize():
    g = "authorize"
    group(g, "Session checks on API calls (authorize) and logout: the id cookie, unknown ids, idle and absolute "
             "expiry, roles, and the touch that refreshes last_seen.")
    s_admin = session(SID_A, ADMIN, at(-300), at(-60))
    s_op = session(sid("op"), OPERATOR, at(-300), at(-60))
    s_view = session(sid("view"), VIEWER, at(-300), at(-60))
    store = [s_admin, s_op, s_view]

    def auth(name, desc, reqs, cookie_text, required, expected, sessions=None, now=T0, flags=(), req=None):
        inp = {"server": server(now, store if sessions is None else sessions),
               "request": req or call_http(cookie_text), "required_role": required}
        vector(g, name, desc, reqs, "authorize", inp, expected, flags)

    auth("accepted", "A valid session cookie for a haiadmin call: accepted; the session is touched (last_seen = "
                     "now, created_at unchanged).", ["HAIV-014", "HAIV-016", "HAIV-017"], f"id={SID_A}", "haiadmin",
         authorized(s_admin, T0))
    auth("accepted-among-other-cookies", "The id cookie after DisplayUnsavedWarning= in the Cookie header: "
                                         "accepted.", ["HAIV-014", "HAIV-016"],
         f"DisplayUnsavedWarning=; id={SID_A}", "user", authorized(s_admin, T0))
    auth("cookie-header-name-case", "The request header written cookie (lowercase): accepted.", ["HAIV-014"],
         None, "user", authorized(s_admin, T0), req=call_http(f"id={SID_A}", name="cookie"), flags=["header-case"])
    auth("avispl-cookie-form", "AVISPL's adapter form id=<id>; Path=/; Secure; HttpOnly; (attributes in a Cookie "
                               "header): the id piece is found, the rest ignored; accepted (spec resolution R7).",
         ["HAIV-014", "HAIV-016"], f"id={SID_A}; Path=/; Secure; HttpOnly;", "user", authorized(s_admin, T0),
         flags=["spec-resolution"])
    auth("first-id-counts", "Two id pieces: the first counts (a valid id, then an unknown one): accepted.",
         ["HAIV-014"], f"id={SID_A}; id={SID_OLD}", "user", authorized(s_admin, T0))
    auth("first-id-counts-unknown", "Two id pieces: the first counts (an unknown id, then a valid one): "
                                    "session-invalid 401.", ["HAIV-014"], f"id={SID_OLD}; id={SID_A}", "user",
         rejection("session-invalid"), flags=["rejection"])
    auth("clock-went-back", "now before last_seen and created_at (a clock that went back) expires nothing: "
                            "accepted, last_seen = now.", ["HAIV-015", "HAIV-016"], f"id={SID_B}", "user",
         authorized(session(SID_B, VIEWER, at(60), at(120)), T0), sessions=[session(SID_B, VIEWER, at(60), at(120))],
         flags=["session-expiry"])
    auth("missing-cookie", "No Cookie header: session-missing 401 {\"error\":\"unauthorized\"}.", ["HAIV-014"],
         None, "user", rejection("session-missing"), flags=["rejection"])
    auth("empty-id", "An id piece with an empty value (id=, as the logout leaves it): no session cookie, "
                     "session-missing.", ["HAIV-014"], f"DisplayUnsavedWarning=; id=", "user",
         rejection("session-missing"), flags=["rejection"])
    auth("cookie-without-id", "A Cookie header without an id cookie: session-missing 401.", ["HAIV-014"],
         "DisplayUnsavedWarning=", "user", rejection("session-missing"), flags=["rejection"])
    auth("id-name-case", "A cookie named ID is not the id cookie (cookie names are case-sensitive): "
                         "session-missing.", ["HAIV-014"], f"ID={SID_A}", "user", rejection("session-missing"),
         flags=["rejection"])
    auth("unknown-id", "An id no session has: session-invalid 401.", ["HAIV-014"], f"id={sid('never-issued')}",
         "user", rejection("session-invalid"), flags=["rejection"])
    auth("id-case-differs", "The id in uppercase is another id: session-invalid.", ["HAIV-014"],
         f"id={SID_A.upper()}", "user", rejection("session-invalid"), flags=["rejection"])
    auth("empty-store", "A valid-looking id with no sessions at all: session-invalid.", ["HAIV-014"], f"id={SID_A}",
         "user", rejection("session-invalid"), sessions=[], flags=["rejection"])
    for delta, ok in [(IDLE - 1, True), (IDLE, False), (IDLE + 1, False)]:
        s = session(SID_B, OPERATOR, at(-delta - 100), at(-delta))
        auth(f"idle-{delta}-seconds", f"last_seen {delta} s before now (idle_timeout {IDLE}): " +
             ("accepted and touched." if ok else "session-expired 401 (now - last_seen >= idle_timeout)."),
             ["HAIV-015"] + (["HAIV-016"] if ok else []), f"id={SID_B}", "operator",
             authorized(s, T0) if ok else rejection("session-expired"), sessions=[s],
             flags=["session-expiry"] + ([] if ok else ["rejection"]))
    s_def = session(SID_B, VIEWER, at(-1000), at(-IDLE))
    srv_def = server(T0, [s_def])
    del srv_def["idle_timeout"], srv_def["absolute_timeout"]
    vector(g, "default-timeouts", "A server state without idle_timeout and absolute_timeout uses the defaults: "
                                  "900 s idle is session-expired.", ["HAIV-015"], "authorize",
           {"server": srv_def, "request": call_http(f"id={SID_B}"), "required_role": "user"},
           rejection("session-expired"), ["session-expiry", "rejection"])
    s_frac = session(SID_B, OPERATOR, at(-1000), at(-IDLE))
    now_frac = at(-1)[:-1] + ".999Z"
    auth("idle-fraction-before-boundary", f"now has a fraction: last_seen 899.999 s before now: accepted (differences "
                                          f"at full precision), last_seen = now exactly as given.",
         ["HAIV-015", "HAIV-016"], f"id={SID_B}", "operator", authorized(s_frac, now_frac), sessions=[s_frac],
         now=now_frac, flags=["session-expiry"])
    for delta, ok in [(ABSOLUTE - 1, True), (ABSOLUTE, False)]:
        s = session(SID_B, OPERATOR, at(-delta), at(-10))
        auth(f"absolute-{delta}-seconds", f"created {delta} s before now, used 10 s ago (absolute_timeout "
                                          f"{ABSOLUTE}): " + ("accepted." if ok else "session-expired 401 although "
                                                              "recently used."), ["HAIV-015"],
             f"id={SID_B}", "operator", authorized(s, T0) if ok else rejection("session-expired"), sessions=[s],
             flags=["session-expiry"] + ([] if ok else ["rejection"]))
    for who, sess in [("user", s_view), ("operator", s_op), ("haiadmin", s_admin)]:
        for required in RANK:
            ok = RANK[sess["role"]] >= RANK[required]
            auth(f"role-{who}-calls-{required}", f"A {who} session on a call requiring {required}: " +
                 ("accepted." if ok else "permission-denied 403."), ["HAIV-017"], f"id={sess['id']}", required,
                 authorized(sess, T0) if ok else rejection("permission-denied"),
                 flags=["session-role"] + ([] if ok else ["rejection"]))
    s_old = session(SID_B, VIEWER, at(-2000), at(-IDLE))
    auth("expired-before-role", "An idle-expired viewer session on a haiadmin call: session-expired, not "
                                "permission-denied (expiry is checked first).", ["HAIV-015", "HAIV-017"],
         f"id={SID_B}", "haiadmin", rejection("session-expired"), sessions=[s_old],
         flags=["check-order", "session-expiry", "rejection"])
    auth("plain-http", "A valid cookie over plain http: transport-insecure 403.", ["HAIV-010"], None, "user",
         rejection("transport-insecure"), req=call_http(f"id={SID_A}", scheme="http"), flags=["plain-http",
                                                                                              "rejection"])

    def out(name, desc, reqs, req, expected, sessions=None, now=T0, flags=()):
        vector(g, name, desc, reqs, "logout",
               {"server": server(now, store if sessions is None else sessions), "request": req}, expected, flags)

    out("logout", "GET /apis/v2/logout with a valid cookie: 204, the id cookie cleared (Max-Age=0), the session "
                  "dropped.", ["HAIV-018"], call_http(f"id={SID_A}", path=LOGOUT_PATH), logout_ok(SID_A))
    out("logout-viewer", "Logout needs no role: a viewer logs out.", ["HAIV-018"],
        call_http(f"DisplayUnsavedWarning=; id={s_view['id']}", path=LOGOUT_PATH), logout_ok(s_view["id"]))
    out("logout-missing-cookie", "Logout without a cookie: session-missing 401.", ["HAIV-014", "HAIV-018"],
        call_http(None, path=LOGOUT_PATH), rejection("session-missing"), flags=["rejection"])
    out("logout-unknown-id", "Logout with an id no session has (already logged out): session-invalid 401.",
        ["HAIV-014", "HAIV-018"], call_http(f"id={SID_OLD}", path=LOGOUT_PATH), rejection("session-invalid"),
        flags=["rejection"])
    s_idle = session(SID_B, ADMIN, at(-3000), at(-IDLE))
    out("logout-expired", "Logout with an idle-expired session: session-expired 401.", ["HAIV-015", "HAIV-018"],
        call_http(f"id={SID_B}", path=LOGOUT_PATH), rejection("session-expired"), sessions=[s_idle],
        flags=["session-expiry", "rejection"])
    out("logout-plain-http", "Logout over plain http: transport-insecure 403.", ["HAIV-010", "HAIV-018"],
        call_http(f"id={SID_A}", scheme="http", path=LOGOUT_PATH), rejection("transport-insecure"),
        flags=["plain-http", "rejection"])


# scenarios.yaml -------------------------------------------------------------------------------------------------

def scenarios():
    g = "scenarios"
    group(g, "Multi-step flows: log in, parse the cookies into a jar, send the Cookie header, call; logout, idle and "
             "absolute expiry, re-login, fixation, wrong password, a missing cookie, another session's cookie, a "
             "role too low, plain http.", scenarios=True)
    url = f"{ORIGIN}/apis/v2/streams"

    def var(name):
        return "${" + name + "}"

    def sess(v, username, created=T0, seen=None):
        return {"id": var(v), "username": username, "role": ROLE_OF[username], "created_at": created,
                "last_seen": seen or created}

    def do_login(name, username, password, now=T0, sessions=(), v="sid", headers=None):
        """A successful login; captures the id as ${v} and the two Set-Cookie values as ${v_c0}, ${v_c1}."""
        return step(name, "login", {"server": server(now, list(sessions)),
                                    "request": login_http(username, password, headers=headers)},
                    login_ok(username, now), {v: "/result/session/id", f"{v}_c0": "/result/response/set_cookie/0",
                                              f"{v}_c1": "/result/response/set_cookie/1"})

    def jar_of(v, now=T0):
        return [dict(WARN, expires_at=at(100000, now)), cookie("id", var(v), "/", True, True, "Strict")]

    def to_jar(name, v, jar=(), now=T0):
        return step(name, "parse-set-cookie",
                    {"origin": ORIGIN, "set_cookie": [var(v + "_c0"), var(v + "_c1")], "jar": list(jar), "now": now},
                    {"result": {"jar": jar_of(v, now)}})

    def call(name, sessions, now, expected, cookie_text="${cookie}", required="user", op="authorize", scheme="https",
             capture=None):
        inp = {"server": server(now, sessions),
               "request": call_http(cookie_text, scheme, LOGOUT_PATH if op == "logout" else url[len(ORIGIN):])}
        if op == "authorize":
            inp["required_role"] = required
        return step(name, op, inp, expected, capture)

    def ok(username, created, now, v="sid"):
        return {"result": {"username": username, "role": ROLE_OF[username],
                           "session": {"id": var(v), "username": username, "role": ROLE_OF[username],
                                       "created_at": created, "last_seen": now}}}

    seen = {"seen": "/result/session/last_seen"}

    scenario(g, "login-then-call", "Build the vendor's login request, log in (204, the vendor's headers), parse both "
                                   "Set-Cookie fields into an empty jar, check the two cookie texts exactly (echoed "
                                   "through a login-request step: the id cookie is id=<id>; Path=/; HttpOnly; "
                                   "Secure; SameSite=Strict), build the Cookie header and call: accepted.",
             ["HAIV-001", "HAIV-002", "HAIV-003", "HAIV-004", "HAIV-008", "HAIV-013", "HAIV-014", "HAIV-016"], [
                 step("login-request", "login-request", {"username": ADMIN, "password": ADMIN_PASSWORD},
                      login_request(ADMIN, ADMIN_PASSWORD)),
                 do_login("login", ADMIN, ADMIN_PASSWORD),
                 step("echo-cookie-texts", "login-request", {"username": "${sid_c1}", "password": "${sid_c0}"},
                      login_request(id_cookie("${sid}"), WARNING_COOKIE)),
                 to_jar("store-cookies", "sid"),
                 step("cookie-header", "cookie-header", {"url": url, "jar": jar_of("sid"), "now": at(600)},
                      {"result": {"headers": {"Cookie": "DisplayUnsavedWarning=; id=${sid}"}}},
                      {"cookie": "/result/headers/Cookie"}),
                 call("call", [sess("sid", ADMIN)], at(600), ok(ADMIN, T0, at(600)), required="operator"),
             ], flags=["vendor-example", "test-only-kdf"])
    scenario(g, "logout-then-call", "Log in, log out (204, the id cookie cleared, the session named in "
                                    "session_dropped), apply the clearing cookie to the jar (only "
                                    "DisplayUnsavedWarning is left), then call and log out again with the old id "
                                    "against a store without it: session-invalid 401 both times.",
             ["HAIV-005", "HAIV-014", "HAIV-018"], [
                 do_login("login", OPERATOR, OPERATOR_PASSWORD),
                 call("logout", [sess("sid", OPERATOR)], at(30), logout_ok("${sid}"),
                      "DisplayUnsavedWarning=; id=${sid}", op="logout",
                      capture={"clear": "/result/response/set_cookie/0"}),
                 step("clear-cookie", "parse-set-cookie",
                      {"origin": ORIGIN, "set_cookie": ["${clear}"], "jar": jar_of("sid"), "now": at(30)},
                      {"result": {"jar": [WARN]}}),
                 call("call-after-logout", [], at(40), rejection("session-invalid"), "id=${sid}"),
                 call("logout-again", [], at(41), rejection("session-invalid"), "id=${sid}", op="logout"),
             ], flags=["test-only-kdf", "rejection"])
    scenario(g, "idle-expiry", "Log in at T; a call at T+600 touches the session (capture last_seen); at T+1499 "
                               "with that last_seen: accepted (899 s idle, 1499 s after login); at T+1500 with the "
                               "same stale last_seen: session-expired 401; at T+1500 with the refreshed last_seen "
                               "of T+1499: accepted.", ["HAIV-015", "HAIV-016"], [
                 do_login("login", VIEWER, VIEWER_PASSWORD),
                 call("call-after-600-seconds", [sess("sid", VIEWER)], at(600), ok(VIEWER, T0, at(600)), "id=${sid}",
                      capture=seen),
                 call("call-899-seconds-idle", [sess("sid", VIEWER, T0, "${seen}")], at(1499),
                      ok(VIEWER, T0, at(1499)), "id=${sid}", capture={"seen2": "/result/session/last_seen"}),
                 call("call-900-seconds-idle", [sess("sid", VIEWER, T0, "${seen}")], at(1500),
                      rejection("session-expired"), "id=${sid}"),
                 call("call-with-refreshed-session", [sess("sid", VIEWER, T0, "${seen2}")], at(1500),
                      ok(VIEWER, T0, at(1500)), "id=${sid}"),
             ], flags=["session-expiry", "test-only-kdf", "rejection"])
    scenario(g, "absolute-expiry", "Log in at T; the session, last seen at T+43190, is accepted at T+43199 and "
                                   "session-expired at T+43200 although used 10 s before.", ["HAIV-015"], [
                 do_login("login", OPERATOR, OPERATOR_PASSWORD),
                 call("call-at-43199-seconds", [sess("sid", OPERATOR, T0, at(ABSOLUTE - 10))], at(ABSOLUTE - 1),
                      ok(OPERATOR, T0, at(ABSOLUTE - 1)), "id=${sid}"),
                 call("call-at-43200-seconds", [sess("sid", OPERATOR, T0, at(ABSOLUTE - 10))], at(ABSOLUTE),
                      rejection("session-expired"), "id=${sid}"),
             ], flags=["session-expiry", "test-only-kdf", "rejection"])
    scenario(g, "relogin-replaces-session", "Log in and store the cookies; log in again 10 minutes later (the "
                                            "first session stays in the store); parsing the second answer with the "
                                            "old jar replaces both cookies; the Cookie header carries only the new "
                                            "id. The old id is still accepted while its session is stored (a login "
                                            "ends no session) and is session-invalid against a store holding only "
                                            "the new session (so the two ids differ).",
             ["HAIV-006", "HAIV-008", "HAIV-013", "HAIV-014"], [
                 do_login("first-login", OPERATOR, OPERATOR_PASSWORD, v="sid"),
                 to_jar("store-first-cookies", "sid"),
                 do_login("second-login", OPERATOR, OPERATOR_PASSWORD, now=at(600), sessions=[sess("sid", OPERATOR)],
                          v="sid2"),
                 step("replace-cookies", "parse-set-cookie",
                      {"origin": ORIGIN, "set_cookie": ["${sid2_c0}", "${sid2_c1}"], "jar": jar_of("sid"),
                       "now": at(600)}, {"result": {"jar": jar_of("sid2", at(600))}}),
                 step("cookie-header", "cookie-header", {"url": url, "jar": jar_of("sid2", at(600)), "now": at(601)},
                      {"result": {"headers": {"Cookie": "DisplayUnsavedWarning=; id=${sid2}"}}},
                      {"cookie": "/result/headers/Cookie"}),
                 call("call-with-new-id", [sess("sid", OPERATOR), sess("sid2", OPERATOR, at(600))], at(601),
                      ok(OPERATOR, at(600), at(601), "sid2")),
                 call("old-id-both-sessions", [sess("sid", OPERATOR), sess("sid2", OPERATOR, at(600))], at(602),
                      ok(OPERATOR, T0, at(602)), "id=${sid}"),
                 call("old-id-new-session-only", [sess("sid2", OPERATOR, at(600))], at(603),
                      rejection("session-invalid"), "id=${sid}"),
             ], flags=["cookie-replacement", "test-only-kdf", "rejection"])
    fixed = sid("attacker-chosen")
    scenario(g, "no-session-fixation", "A login request carrying an attacker-planted id cookie (a session of that "
                                       "id exists) gets a new id: the planted id against a store holding only the "
                                       "new session is session-invalid, the new id is accepted.",
             ["HAIV-013", "HAIV-014"], [
                 do_login("login-with-planted-cookie", ADMIN, ADMIN_PASSWORD, sessions=[session(fixed, ADMIN)],
                          headers={"Cookie": f"id={fixed}"}),
                 call("planted-id", [sess("sid", ADMIN)], at(1), rejection("session-invalid"), f"id={fixed}"),
                 call("new-id", [sess("sid", ADMIN)], at(1), ok(ADMIN, T0, at(1)), "id=${sid}"),
             ], flags=["rejection", "test-only-kdf"])
    scenario(g, "wrong-password", "Build the login request with a wrong password and send it: credentials-invalid "
                                  "401 {\"error\":\"invalid credentials\"}; an unknown user gets the same answer "
                                  "(spec resolution R3).", ["HAIV-001", "HAIV-012"], [
                 step("login-request", "login-request", {"username": ADMIN, "password": "krakenapj"},
                      login_request(ADMIN, "krakenapj")),
                 step("login", "login", {"server": server(), "request": login_http(ADMIN, "krakenapj")},
                      rejection("credentials-invalid")),
                 step("login-unknown-user", "login", {"server": server(), "request": login_http("haiadmim",
                                                                                             ADMIN_PASSWORD)},
                      rejection("credentials-invalid")),
             ], flags=["rejection", "spec-resolution", "test-only-kdf"])
    scenario(g, "missing-cookie", "Log in, then call without sending the cookie: session-missing 401; the same "
                                  "call with it: accepted.", ["HAIV-014"], [
                 do_login("login", ADMIN, ADMIN_PASSWORD),
                 call("call-without-cookie", [sess("sid", ADMIN)], at(5), rejection("session-missing"), None),
                 call("call-with-cookie", [sess("sid", ADMIN)], at(6), ok(ADMIN, T0, at(6)), "id=${sid}",
                      "haiadmin"),
             ], flags=["rejection", "test-only-kdf"])
    scenario(g, "cookie-from-another-session", "An admin and a viewer log in; the viewer's cookie on a haiadmin call "
                                               "is permission-denied 403; the admin's cookie against a store that "
                                               "only holds the viewer's session is session-invalid (the two logins "
                                               "issued different ids).", ["HAIV-013", "HAIV-014", "HAIV-017"], [
                 do_login("admin-login", ADMIN, ADMIN_PASSWORD, v="admin"),
                 do_login("viewer-login", VIEWER, VIEWER_PASSWORD, sessions=[sess("admin", ADMIN)], v="viewer"),
                 call("viewer-cookie-on-admin-call", [sess("admin", ADMIN), sess("viewer", VIEWER)], at(10),
                      rejection("permission-denied"), "id=${viewer}", "haiadmin"),
                 call("admin-cookie-other-store", [sess("viewer", VIEWER)], at(10), rejection("session-invalid"),
                      "id=${admin}"),
             ], flags=["session-role", "rejection", "test-only-kdf"])
    scenario(g, "role-too-low", "A viewer (role user) logs in: an operator call is permission-denied 403 "
                                "{\"error\":\"forbidden\"}, a user call accepted; the haiadmin logs in and makes "
                                "the operator call: accepted.", ["HAIV-017"], [
                 do_login("viewer-login", VIEWER, VIEWER_PASSWORD, v="viewer"),
                 call("viewer-operator-call", [sess("viewer", VIEWER)], at(1), rejection("permission-denied"),
                      "id=${viewer}", "operator"),
                 call("viewer-user-call", [sess("viewer", VIEWER)], at(2), ok(VIEWER, T0, at(2), "viewer"),
                      "id=${viewer}", "user"),
                 do_login("admin-login", ADMIN, ADMIN_PASSWORD, now=at(3), sessions=[sess("viewer", VIEWER)],
                          v="admin"),
                 call("admin-operator-call", [sess("viewer", VIEWER), sess("admin", ADMIN, at(3))], at(4),
                      ok(ADMIN, at(3), at(4), "admin"), "id=${admin}", "operator"),
             ], flags=["session-role", "rejection", "test-only-kdf"])
    scenario(g, "plain-http", "Over plain http the login is transport-insecure 403 (the correct password is not "
                              "checked); an https login's cookies, given to the jar as if from http://, are not "
                              "stored while a non-Secure one is; the Cookie header for an http URL carries only the "
                              "non-Secure cookie; a call over http with the valid id is transport-insecure "
                              "(spec resolution R5).",
             ["HAIV-007", "HAIV-008", "HAIV-010"], [
                 step("login-over-http", "login", {"server": server(), "request": login_http(
                     ADMIN, ADMIN_PASSWORD, scheme="http")}, rejection("transport-insecure")),
                 do_login("login-over-https", ADMIN, ADMIN_PASSWORD),
                 step("cookies-from-http", "parse-set-cookie",
                      {"origin": HTTP_ORIGIN, "set_cookie": ["${sid_c0}", "${sid_c1}", "theme=dark; Path=/"],
                       "jar": [], "now": T0}, {"result": {"jar": [cookie("theme", "dark")]}}),
                 step("cookie-header-over-http", "cookie-header",
                      {"url": HTTP_ORIGIN + "/apis/v2/streams", "jar": jar_of("sid") + [cookie("theme", "dark")],
                       "now": at(1)}, {"result": {"headers": {"Cookie": "theme=dark"}}}),
                 call("call-over-http", [sess("sid", ADMIN)], at(2), rejection("transport-insecure"), "id=${sid}",
                      scheme="http"),
             ], flags=["plain-http", "cookie-secure", "rejection", "test-only-kdf", "spec-resolution"])


# ---------------------------------------------------------------------------------------------------------------
# Self-checks before anything is written.

def spec_ids() -> set[str] | None:
    return defined_ids(SPEC_FILE, "HAIV")


def lint() -> list[str]:
    problems = []
    documented = documented_flags() or set()
    defined = spec_ids()
    if defined is not None:
        for r in HAIV_TESTABLE + HAIV_NOT_TESTABLE:
            if r not in defined:
                problems.append(f"{r} is not defined in spec/haivision-session.md")
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
                if r not in HAIV_TESTABLE and r not in CORE_TESTABLE:
                    problems.append(f"{vid}: cites {r}, which is not a vector-testable id of this corpus")
                cited.add(r)
            if ("spec-resolution" in item.get("flags", [])) != bool(re.search(r"spec resolution R[0-9]+",
                                                                              item["description"])):
                problems.append(f"{vid}: the spec-resolution flag and a named resolution go together")
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
                exp = st["expected"]
                if "error" in exp:
                    code = exp["error"]["code"]
                    codes.add(code)
                    if st["op"] not in SERVER_OPS or exp["error"].get("response", {}).get("status") != STATUS[code]:
                        problems.append(f"{vid}: {code} without its {STATUS.get(code)} response")
                if st["op"] == "login" and "result" in exp and ("id" in exp["result"]["session"] or
                                                                "set_cookie" in exp["result"]["response"]):
                    problems.append(f"{vid}: a login result pins a random value")
                if st["op"] in SERVER_OPS and "test-only-kdf" not in item.get("flags", []) and \
                        st["op"] == "login" and "result" in exp:
                    problems.append(f"{vid}: a successful login without the test-only-kdf flag")
    for r in HAIV_TESTABLE + ["CORE-005", "CORE-006"]:
        if r not in cited:
            problems.append(f"{r} is cited by no vector or scenario")
    for code in SERVER_CODES:
        if code not in codes:
            problems.append(f"error code {code} has no vector")
    return problems


def audit_hashes() -> list[str]:
    """Every PHC hash recomputed by `openssl kdf` (a second PBKDF2 implementation)."""
    problems, seen = [], set()
    for password, salt, iterations, dk in HASH_AUDIT:
        if (password, salt, iterations) in seen:
            continue
        seen.add((password, salt, iterations))
        out = openssl(["kdf", "-keylen", "32", "-kdfopt", "digest:SHA256",
                       "-kdfopt", f"hexpass:{password.encode().hex()}", "-kdfopt", f"hexsalt:{salt.hex()}",
                       "-kdfopt", f"iter:{iterations}", "PBKDF2"], b"")
        if bytes.fromhex(out.decode().strip().replace(":", "")) != dk:
            problems.append(f"openssl kdf disagrees about the hash of {password!r}")
    return problems


def build() -> dict[str, str]:
    GROUPS.clear()
    HASH_AUDIT.clear()
    spec_users = {u["username"]: u["password_hash"] for u in users()}
    for name, text in SPEC_HASHES.items():
        if spec_users[name] != text:
            sys.exit(f"ABORT: the hash of {name} is not the one spec/haivision-session.md prints")
    if hashlib.pbkdf2_hmac("sha256", ADMIN_PASSWORD.encode(), b"authspec-haiv-01", 1000).hex() != SPEC_ADMIN_DK:
        sys.exit("ABORT: the spec's DK for haiadmin does not reproduce")
    cookies()
    login()
    authorize()
    scenarios()
    problems = lint() + audit_hashes()
    if problems:
        sys.exit("ABORT:\n  " + "\n  ".join(problems))
    return {f"{n}.yaml": render_file(GENERATOR_FILE, SCHEME, n, grp["description"], grp["vectors"],
                                     grp["scenarios"]) for n, grp in GROUPS.items()}


def main() -> int:
    return run(__doc__, build, GROUPS, OUT_DIR, GENERATOR_FILE, SCHEME, audit=lambda: (
        f"password hashes checked by openssl kdf: {len({(p, s, i) for p, s, i, _ in HASH_AUDIT})}; "
        f"scenarios: {sum(len(g['scenarios'] or []) for g in GROUPS.values())}"))


if __name__ == "__main__":
    sys.exit(main())
