"""authspec testee shim for kazoo-sdk (PyPI `kazoo-sdk`, pinned 0.2.4; import name `kazoo`), a third-party
Python SDK for the 2600Hz Kazoo Crossbar API.

Calls the SDK's own code; only the HTTP transport is stubbed (no network):

- `credentials`: `kazoo.request_objects.UsernamePasswordAuthRequest(username, password, None)
  ._get_hashed_credentials()`: `md5("{username}:{password}")`, the username NOT lowercased.
- `user-auth-request`: `kazoo.Client(username=, password=, account_name=, base_url=BASE).authenticate()`; the request
  it PUTs is recorded by a stand-in for the `requests` module that `kazoo.request_objects` calls
  (`getattr(requests, method)(url, headers=..., data=...)`), answered with a canned login response. The result is
  that request: method, the URL's path, the headers and the body parsed as JSON.
- `api-auth-request`: the same with `kazoo.Client(api_key=, base_url=BASE).authenticate()`.
- `token-header`: `kazoo.Client(api_key=<placeholder>, base_url=BASE)`, whose login is answered with the vector's
  token as `auth_token`; then `client.get_account(<id>)`, and the result is the headers the SDK sends on that call.

`BASE` is `http://crossbar.invalid:8000/v2`: the SDK appends `/user_auth`, `/api_auth`, `/accounts/...` to the
base URL the user gives (its default ends in `/v1`; Kazoo 4.3 is `/v2`).

Skipped (the SDK's API cannot express the input): a hash method other than `md5` (the SDK has no method argument
and always hashes MD5, so `sha`, and the invalid methods the spec refuses, cannot be passed), an account selector
other than exactly one `account_name` (the SDK takes `account_name` only), and the op `basic-header` and every
server op (the SDK has neither Basic authentication nor a server side). Refusals mapped: the SDK's
`RuntimeError` from `Client.__init__` when the api_key is empty -> `api-key-invalid`, and when the account name is
missing (username and password given) -> `account-invalid`; nothing else. The SDK exposes no stages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pylib"))

from authspec_shim import Refuse, Skip, serve  # noqa: E402

import kazoo  # noqa: E402
import kazoo.request_objects  # noqa: E402
from kazoo.request_objects import UsernamePasswordAuthRequest  # noqa: E402

BASE = "http://crossbar.invalid:8000/v2"
PLACEHOLDER_API_KEY = "0" * 64
PLACEHOLDER_TOKEN = "authspec-placeholder-token"
ACCOUNT_ID = "cbe6942eafde5b542f21218e4371e009"


class Transport:
    """Stands in for the `requests` module inside kazoo.request_objects: records calls, answers canned JSON."""

    def __init__(self, login_token: str = PLACEHOLDER_TOKEN):
        self.calls: list[dict] = []
        self.login_token = login_token

    def _call(self, method: str, url: str, headers=None, data=None, files=None, **_):
        self.calls.append({"method": method, "url": url, "headers": dict(headers or {}), "data": data})
        return _Response({"auth_token": self.login_token, "status": "success", "data": {}})

    def get(self, url, **kw):
        return self._call("GET", url, **kw)

    def put(self, url, **kw):
        return self._call("PUT", url, **kw)

    def post(self, url, **kw):
        return self._call("POST", url, **kw)

    def delete(self, url, **kw):
        return self._call("DELETE", url, **kw)


class _Response:
    status_code = 201

    def __init__(self, body: dict):
        self._body = body

    def json(self):
        return self._body


def with_transport(transport: Transport):
    kazoo.request_objects.requests = transport
    return transport


def request_of(call: dict) -> dict:
    body = call["data"]
    return {"method": call["method"], "path": urlsplit(call["url"]).path, "headers": call["headers"],
            "json": json.loads(body) if body is not None else None}


def md5_only(method) -> None:
    if method != "md5":
        raise Skip(f"kazoo-sdk has no hash-method argument and always hashes MD5 "
                   f"(UsernamePasswordAuthRequest._get_hashed_credentials); cannot express method {method!r}")


# ---------------------------------------------------------------------------------------------------------------

def credentials(inp: dict) -> dict:
    md5_only(inp.get("method"))
    request = UsernamePasswordAuthRequest(inp["username"], inp["password"], None)
    return {"credentials": request._get_hashed_credentials()}


def user_auth_request(inp: dict) -> dict:
    md5_only(inp.get("method"))
    account = inp.get("account")
    if not isinstance(account, dict):
        raise Skip("kazoo-sdk takes the account as one account_name argument; the input has no account object")
    others = sorted(k for k in account if k != "account_name")
    if others:
        raise Skip("kazoo-sdk's user login (UsernamePasswordAuthRequest) takes only account_name; "
                   f"cannot express the selector(s) {', '.join(others)}")
    account_name = account.get("account_name")
    transport = with_transport(Transport())
    try:
        client = kazoo.Client(username=inp["username"], password=inp["password"], account_name=account_name,
                              base_url=BASE)
    except RuntimeError as exc:
        if inp["username"] and inp["password"] and not account_name:
            raise Refuse("account-invalid", f"kazoo.Client: {exc}") from None
        raise
    client.authenticate()
    return {"request": request_of(transport.calls[0])}


def api_auth_request(inp: dict) -> dict:
    transport = with_transport(Transport())
    api_key = inp["api_key"]
    try:
        client = kazoo.Client(api_key=api_key, base_url=BASE)
    except RuntimeError as exc:
        if not api_key:
            raise Refuse("api-key-invalid", f"kazoo.Client: {exc}") from None
        raise
    client.authenticate()
    return {"request": request_of(transport.calls[0])}


def token_header(inp: dict) -> dict:
    transport = with_transport(Transport(login_token=inp["auth_token"]))
    client = kazoo.Client(api_key=PLACEHOLDER_API_KEY, base_url=BASE)
    client.authenticate()
    client.get_account(ACCOUNT_ID)
    call = transport.calls[-1]
    assert call["method"] == "GET" and urlsplit(call["url"]).path.endswith("/accounts/" + ACCOUNT_ID)
    return {"headers": call["headers"]}


if __name__ == "__main__":
    sys.exit(serve("kazoo-sdk", kazoo.VERSION, {
        ("kazoo-crossbar", "credentials"): credentials,
        ("kazoo-crossbar", "user-auth-request"): user_auth_request,
        ("kazoo-crossbar", "api-auth-request"): api_auth_request,
        ("kazoo-crossbar", "token-header"): token_header,
    }))
