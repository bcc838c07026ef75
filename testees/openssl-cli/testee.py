"""authspec testee: kraken-v5 (RSA-SHA256, PKCS#1 v1.5) with every cryptographic step done by the `openssl` CLI.

The library under test is the system `openssl` command line (Debian's package; `openssl version` is reported in
`hello`), used the way the vendor's instructions use it: `openssl dgst -sha256 -sign`. This program is written
from spec/kraken-v5.md and spec/testee-protocol.md, section 8; it speaks the protocol through
testees/pylib/authspec_shim.py and is standard-library Python only (runtime `python`).

What openssl does (one subprocess per step, files only in a per-request tempfile.TemporaryDirectory, removed
before the answer is sent; the private key never leaves that directory and is never printed):
- reading the private key (PEM parsing, base64, DER, decryption attempts): `openssl rsa -in key.pem -passin pass:
  -pubout`; its refusals ("Could not read private key", "Not an RSA key") answer `key-invalid`;
- the key's algorithm: `openssl asn1parse` of the public key openssl wrote (`rsassaPss` -> `key-invalid`, the spec
  refuses PSS-restricted keys) and its size: `openssl rsa -pubin -noout -text` ("Public-Key: (N bit)";
  N < 2048 -> `key-too-small`);
- signing: `openssl dgst -sha256 -sign key.pem -sigopt rsa_padding_mode:pkcs1`, then `openssl base64 -A`;
- the reported stages: `sha256_digest` from `openssl dgst -sha256 -r`; `digest_info` and `encoded_message`
  recovered from the signature by `openssl pkeyutl -verifyrecover` (padding `pkcs1` and `none`), i.e. what the
  signature carries; `sha256_input` is the body file openssl hashed; `signature` the base64 text;
- verifying: `openssl rsa -pubin -noout -text` for the registered key's size (k) and `openssl dgst -sha256
  -verify pub.pem -sigopt rsa_padding_mode:pkcs1 -signature sig.bin body.bin` ("Verified OK" / "Verification
  failure"); `openssl base64 -d -A` decodes the signature.

What this program does itself (the spec's non-cryptographic rules, written from the spec): the client-id check
(KV5-002), the RFC 3339 grammar and instants at full precision (KV5-005, the window), the JSON-text check on
the body (KV5-009, Python's json with NaN/Infinity refused), the verifier's header, registry, expiry, IP
allowlist (ipaddress), strict base64 form of X-Client-Signature and replay-cache checks, in the spec's order.

Nothing is skipped: every kraken-v5 input is answered.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pylib"))

from authspec_shim import Refuse, serve  # noqa: E402

NAME = "openssl-cli"
OPENSSL = "openssl"
MIN_BITS = 2048
WINDOW = 300
REPLAY_LIFETIME = 600


# ---------------------------------------------------------------------------------------------------- openssl


class OpensslFailed(Exception):
    """openssl exited non-zero where the program does not expect a refusal."""


def run_openssl(args: list[str], cwd: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([OPENSSL, *args], cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
    if check and proc.returncode != 0:
        raise OpensslFailed(f"openssl {args[0]} exited {proc.returncode}: {first_line(proc.stderr)}")
    return proc


def first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:200] if text else ""


def openssl_version() -> str:
    try:
        out = subprocess.run([OPENSSL, "version"], stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=30).stdout.decode("ascii", "replace").strip()
    except OSError:
        return "unknown"
    m = re.match(r"OpenSSL (\S+)", out)
    return m.group(1) if m else out


def modulus_bits(pub_pem: str, cwd: str) -> int:
    """The bit length of an RSA public key's modulus, as `openssl rsa -pubin -text` prints it."""
    out = run_openssl(["rsa", "-pubin", "-in", pub_pem, "-noout", "-text"], cwd).stdout.decode("ascii", "replace")
    m = re.match(r"\s*(?:RSA-PSS )?Public-Key: \((\d+) bit\)", out)
    if not m:
        raise OpensslFailed("openssl rsa -text printed no 'Public-Key: (N bit)' line")
    return int(m.group(1))


def spki_algorithm(pub_pem: str, cwd: str) -> str:
    """The algorithm OBJECT of a SubjectPublicKeyInfo, as `openssl asn1parse` names it."""
    out = run_openssl(["asn1parse", "-in", pub_pem], cwd).stdout.decode("ascii", "replace")
    for line in out.splitlines():
        if "prim: OBJECT" in line:
            return line.rsplit(":", 1)[1].strip()
    raise OpensslFailed("openssl asn1parse found no algorithm OBJECT")


# ---------------------------------------------------------------------------------------------------- RFC 3339

TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))",
    re.ASCII,
)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (any year, 0 included)."""
    y = year - (1 if month <= 2 else 0)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_instant(text) -> Fraction | None:
    """The instant of an RFC 3339 date-time (spec grammar), in seconds since the epoch, or None if invalid."""
    if not isinstance(text, str):
        return None
    m = TIMESTAMP.fullmatch(text)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.group(1, 2, 3, 4, 5, 6))
    if not 1 <= month <= 12 or not 1 <= day <= days_in_month(year, month):
        return None
    if hour > 23 or minute > 59 or second > 60:
        return None
    offset = 0
    if m.group(8):
        oh, om = int(m.group(9)), int(m.group(10))
        if oh > 23 or om > 59:
            return None
        offset = (oh * 3600 + om * 60) * (1 if m.group(8) == "+" else -1)
    if second == 60:
        second = 59  # a leap second is the instant of second 59 with the same fraction
    whole = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    frac = m.group(7)
    return whole + (Fraction(int(frac), 10 ** len(frac)) if frac else Fraction(0))


# ---------------------------------------------------------------------------------------------------- other rules


def client_id_valid(client_id) -> bool:
    return isinstance(client_id, str) and client_id != "" and all(0x21 <= ord(c) <= 0x7E for c in client_id)


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def body_valid(body: str) -> bool:
    """Empty, or a JSON text (RFC 8259): Python's strict json, with NaN and Infinity refused."""
    if body == "":
        return True
    try:
        json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return False
    return True


STD_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", re.ASCII)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def standard_base64(text: str) -> bool:
    """Standard base64 per the spec: alphabet, length, padding and zero unused bits (canonical)."""
    if not STD_BASE64.fullmatch(text):
        return False
    if text.endswith("=="):
        return B64.index(text[-3]) & 0x0F == 0
    if text.endswith("="):
        return B64.index(text[-2]) & 0x03 == 0
    return True


def header(headers: dict, name: str):
    want = name.lower()
    for key, value in (headers or {}).items():
        if key.lower() == want:
            return value
    return None


# ---------------------------------------------------------------------------------------------------- sign


def write(path: Path, data: bytes) -> str:
    path.touch(mode=0o600)
    path.write_bytes(data)
    return path.name


def sign(inp: dict) -> dict:
    creds = inp.get("credentials") or {}
    req = inp.get("request") or {}
    client_id = creds.get("client_id")
    key_pem = creds.get("private_key_pem")
    timestamp = inp.get("timestamp")
    body = req.get("body")
    body = "" if body is None else body

    # 1. client id (KV5-002)
    if not client_id_valid(client_id):
        raise Refuse("api-key-invalid", "client id is empty or not visible ASCII")

    with tempfile.TemporaryDirectory(prefix="authspec-openssl-") as tmp:
        d = Path(tmp)
        key = write(d / "key.pem", (key_pem or "").encode("utf-8"))

        # 2. the key, read by openssl (KV5-003)
        proc = run_openssl(["rsa", "-in", key, "-passin", "pass:", "-pubout", "-out", "pub.pem"], tmp, check=False)
        if proc.returncode != 0:
            raise Refuse("key-invalid", f"openssl rsa: {first_line(proc.stderr)}")
        algorithm = spki_algorithm("pub.pem", tmp)
        if algorithm != "rsaEncryption":
            raise Refuse("key-invalid", f"openssl reads a key of algorithm {algorithm}, not rsaEncryption")

        # 3. its size (KV5-004)
        bits = modulus_bits("pub.pem", tmp)
        if bits < MIN_BITS:
            raise Refuse("key-too-small", f"openssl reads a {bits}-bit modulus")

        # 4. timestamp (KV5-005), 5. body (KV5-009)
        if parse_instant(timestamp) is None:
            raise Refuse("timestamp-invalid", "timestamp is not an RFC 3339 date-time")
        if not body_valid(body):
            raise Refuse("body-invalid", "body is neither empty nor a JSON text")

        # Signing (KV5-006..008)
        write(d / "body.bin", body.encode("utf-8"))
        run_openssl(["dgst", "-sha256", "-sign", key, "-passin", "pass:", "-sigopt", "rsa_padding_mode:pkcs1",
                     "-out", "sig.bin", "body.bin"], tmp)
        signature = run_openssl(["base64", "-A", "-in", "sig.bin"], tmp).stdout.decode("ascii").strip()

        # Stages, as openssl computes or recovers them.
        digest = run_openssl(["dgst", "-sha256", "-r", "body.bin"], tmp).stdout.decode("ascii").split()[0]
        digest_info = run_openssl(["pkeyutl", "-verifyrecover", "-pubin", "-inkey", "pub.pem", "-in", "sig.bin",
                                   "-pkeyopt", "rsa_padding_mode:pkcs1"], tmp).stdout.hex()
        encoded = run_openssl(["pkeyutl", "-verifyrecover", "-pubin", "-inkey", "pub.pem", "-in", "sig.bin",
                               "-pkeyopt", "rsa_padding_mode:none"], tmp).stdout.hex()
        signed_input = (d / "body.bin").read_bytes().decode("utf-8")

    return {
        "headers": {"X-Client-ID": client_id, "X-Client-Signature": signature, "X-Client-Timestamp": timestamp},
        "stages": {"sha256_input": signed_input, "sha256_digest": digest, "digest_info": digest_info,
                   "encoded_message": encoded, "signature": signature},
    }


# ---------------------------------------------------------------------------------------------------- verify

ANSWERS = {
    "header-missing": 400,
    "timestamp-invalid": 400,
    "timestamp-stale": 401,
    "timestamp-future": 401,
    "key-unknown": 401,
    "key-expired": 401,
    "ip-not-allowed": 401,
    "body-invalid": 401,
    "signature-malformed": 401,
    "signature-mismatch": 401,
    "request-replayed": 401,
}


def reject(code: str, text: str):
    raise Refuse(code, text, response={"status": ANSWERS[code], "content_type": "text/plain", "body": text})


DECIMAL = re.compile(r"0|[1-9][0-9]*", re.ASCII)


def parse_address(text):
    """An IP address per the spec's text forms, IPv4-mapped IPv6 normalized to IPv4; None if invalid."""
    import ipaddress

    if not isinstance(text, str) or "%" in text or text.strip() != text:
        return None
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if addr.version == 6 and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def parse_entry(text):
    """An allowlist entry as an ip_network, normalized like addresses; None if invalid."""
    import ipaddress

    if not isinstance(text, str):
        return None
    if "/" not in text:
        addr = parse_address(text)
        if addr is None:
            return None
        return (ipaddress.IPv4Network if addr.version == 4 else ipaddress.IPv6Network)((addr, addr.max_prefixlen))
    addr_text, length_text = text.split("/", 1)
    if not DECIMAL.fullmatch(length_text) or "%" in addr_text:
        return None
    try:
        addr = ipaddress.ip_address(addr_text)
    except ValueError:
        return None
    length = int(length_text)
    if length > addr.max_prefixlen:
        return None
    if addr.version == 6 and addr.ipv4_mapped is not None and length >= 96:
        return ipaddress.IPv4Network((addr.ipv4_mapped, length - 96), strict=False)
    network = ipaddress.IPv4Network if addr.version == 4 else ipaddress.IPv6Network
    return network((addr, length), strict=False)


def ip_allowed(remote, entries) -> bool:
    addr = parse_address(remote)
    if addr is None:
        return False
    for entry in entries or []:
        net = parse_entry(entry)
        if net is not None and net.version == addr.version and addr in net:
            return True
    return False


def verify(inp: dict) -> dict:
    req = inp.get("request") or {}
    headers = req.get("headers") or {}
    body = req.get("body")
    body = "" if body is None else body

    client_id = header(headers, "X-Client-ID")
    signature = header(headers, "X-Client-Signature")
    timestamp = header(headers, "X-Client-Timestamp")
    if not client_id:
        reject("header-missing", "Missing X-Client-ID header")
    if not signature:
        reject("header-missing", "Missing X-Client-Signature header")
    if not timestamp:
        reject("header-missing", "Missing X-Client-Timestamp header")

    t = parse_instant(timestamp)
    if t is None:
        reject("timestamp-invalid", "Invalid timestamp format (use RFC3339)")
    s = parse_instant(inp.get("server_time"))
    if s is None:
        raise ValueError("server_time is not RFC 3339")
    if s - t > WINDOW:
        reject("timestamp-stale", "Request too old (more than 5 minutes)")
    if t - s > WINDOW:
        reject("timestamp-future", "Request timestamp in the future (more than 5 minutes)")

    client = next((c for c in inp.get("clients") or [] if c.get("client_id") == client_id), None)
    if client is None:
        reject("key-unknown", "Invalid partner credential key")
    if client.get("expires_at") is not None:
        expires = parse_instant(client["expires_at"])
        if expires is None:
            raise ValueError("expires_at is not RFC 3339")
        if s >= expires:
            reject("key-expired", "Partner credential key expired")
    if not ip_allowed(inp.get("remote_addr"), client.get("allowed_ips")):
        reject("ip-not-allowed", "Invalid IP address")
    if not body_valid(body):
        reject("body-invalid", "Invalid request body")

    with tempfile.TemporaryDirectory(prefix="authspec-openssl-") as tmp:
        d = Path(tmp)
        write(d / "pub.pem", (client.get("public_key_pem") or "").encode("utf-8"))
        k = (modulus_bits("pub.pem", tmp) + 7) // 8
        if not standard_base64(signature):
            reject("signature-malformed", "Signature verification failed")
        write(d / "sig.b64", signature.encode("ascii"))
        raw = run_openssl(["base64", "-d", "-A", "-in", "sig.b64"], tmp).stdout
        if len(raw) != k:
            reject("signature-malformed", "Signature verification failed")
        write(d / "sig.bin", raw)
        write(d / "body.bin", body.encode("utf-8"))
        proc = run_openssl(["dgst", "-sha256", "-verify", "pub.pem", "-sigopt", "rsa_padding_mode:pkcs1",
                            "-signature", "sig.bin", "body.bin"], tmp, check=False)
        out = proc.stdout.decode("ascii", "replace")
        if proc.returncode == 1 and "Verification failure" in out:
            reject("signature-mismatch", "Signature verification failed")
        if proc.returncode != 0 or "Verified OK" not in out:
            raise OpensslFailed(f"openssl dgst -verify exited {proc.returncode}: {first_line(proc.stderr)}")

    if (inp.get("options") or {}).get("replay_cache") is True:
        for entry in inp.get("accepted_signatures") or []:
            if entry.get("client_id") != client_id or not standard_base64(entry.get("signature") or "x"):
                continue
            at = parse_instant(entry.get("at"))
            # Both texts are canonical standard base64, so equal texts are equal signatures.
            if entry["signature"] == signature and at is not None and s <= at + REPLAY_LIFETIME:
                reject("request-replayed", "Request replayed")

    return {"client_id": client_id}


if __name__ == "__main__":
    sys.exit(serve(NAME, openssl_version(), {("kraken-v5", "sign"): sign, ("kraken-v5", "verify"): verify}))
