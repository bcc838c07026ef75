#!/usr/bin/env node
/*
 * authspec testee shim for node-kraken-api (npm, pinned 2.2.2 in package.json), testee protocol v1.
 *
 * Scheme kraken-spot, op `sign` only (the library has no verifier). Each vector goes through the library's own
 * code, exactly as `Kraken.prototype.request(endpoint, options, "private")` runs it up to the network call:
 *
 *   1. `new Kraken({key, secret, gennonce})`: the public constructor; `gennonce` is its public option for the
 *      nonce source, here a function returning the vector's nonce as a JS number (its declared type). The
 *      constructor's SettingsErrors are the only refusals the library makes: "Secret provided without key"
 *      (and, with both empty, "Cannot make a private request without key and secret." from step 2) ->
 *      `api-key-invalid`; "Key provided without secret" -> `secret-empty` (the secret is the empty string).
 *   2. `_prepareRequest(endpoint, options, "private", gennonce, auth)` (exported by index.js; `request()` calls it
 *      through `_request`): it builds the path `/0/private/<endpoint>`, the body
 *      `new URLSearchParams({...options, nonce}).toString()` and the headers from
 *      `_Authenticator.signedHeaders(path, postdata, nonce)`:
 *      HMAC-SHA512(Buffer.from(secret, "base64"), path || SHA-256(nonce + postdata)).
 *      The shim rebuilds `options` from the vector's body (the body's own pairs, in order, `nonce` included so
 *      that it keeps its position) and checks that the library's body is byte for byte the vector's body.
 *
 * The result is the headers the library would send (`requestOptions.headers`: User-Agent, API-Key, API-Sign,
 * Content-Type). No stages: the library exposes no intermediate value.
 *
 * Skipped (the library's API cannot express the input):
 *   - a method other than `POST` (it always POSTs private calls);
 *   - a path not of the form `/0/private/<endpoint>` (it builds the path from the endpoint name);
 *   - a nonce whose text is not exactly `String(Number(text))` (gennonce returns a JS number, which the library
 *     turns into text with String(): no leading zeros, no `+`, no `-0`, no digits beyond a double's shortest
 *     form such as 18446744073709551615, no non-numeric text);
 *   - a JSON body (Content-Type application/json): it sends form bodies only;
 *   - a form body its URLSearchParams encoding cannot reproduce byte for byte (other percent-encodings, `%20`
 *     or raw UTF-8, a missing nonce, a nonce other than the one given, duplicate names, a trailing `&`, ...).
 *
 * No network access: `_sendRequest` is never called. Nothing but protocol lines is written to stdout; secrets
 * are never printed.
 */
"use strict";

const readline = require("readline");

const LIB = "node-kraken-api";
const NAME = "node-kraken-api";
const PROTOCOL = 1;

const kraken = require(LIB);
const VERSION = require(`${LIB}/package.json`).version;

class Refuse extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

class Skip extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

function headerValue(headers, name) {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers || {})) {
    if (k.toLowerCase() === want) return v;
  }
  return undefined;
}

function isJsonMediaType(contentType) {
  if (contentType === undefined || contentType === null) return false;
  const media = String(contentType).split(";", 1)[0].replace(/^[ \t]+|[ \t]+$/g, "");
  return media.toLowerCase() === "application/json";
}

/** Maps the library's constructor/request SettingsErrors to spec codes; anything else escapes. */
function mapSettingsError(e) {
  if (e instanceof kraken.Kraken.SettingsError) {
    if (e.message === "Secret provided without key" ||
        e.message === "Cannot make a private request without key and secret.") {
      return new Refuse("api-key-invalid", `node-kraken-api: ${e.message}`);
    }
    if (e.message === "Key provided without secret") {
      return new Refuse("secret-empty", `node-kraken-api: ${e.message}`);
    }
  }
  return e;
}

function krakenSpotSign(input) {
  const creds = input.credentials || {};
  const req = input.request || {};
  const body = req.body === undefined || req.body === null ? "" : req.body;
  const nonceText = input.nonce;

  const nonceNumber = Number(nonceText);
  const nonceExpressible = typeof nonceText === "string" && nonceText !== "" &&
    Number.isFinite(nonceNumber) && String(nonceNumber) === nonceText;

  // 1. The client, with the vector's nonce as its nonce source.
  let client;
  try {
    client = new kraken.Kraken({
      key: creds.api_key,
      secret: creds.secret,
      gennonce: () => nonceNumber,
    });
  } catch (e) {
    throw mapSettingsError(e);
  }

  // What the library's request() cannot express.
  if (req.method !== "POST") {
    throw new Skip(`node-kraken-api always sends private calls as POST; cannot send method ${JSON.stringify(req.method)}`);
  }
  const prefix = `/${kraken._REST_VERSION}/private/`;
  const path = req.path === undefined ? "" : String(req.path);
  if (!path.startsWith(prefix)) {
    throw new Skip(`node-kraken-api builds the path as ${prefix}<endpoint>; cannot send path ${JSON.stringify(path)}`);
  }
  const endpoint = path.slice(prefix.length);
  if (!nonceExpressible) {
    throw new Skip(`node-kraken-api's gennonce returns a JS number; the nonce ${JSON.stringify(nonceText)} has no exact number form`);
  }
  if (isJsonMediaType(headerValue(req.headers, "Content-Type"))) {
    throw new Skip("node-kraken-api sends form bodies only (URLSearchParams, Content-Type application/x-www-form-urlencoded); it has no JSON body");
  }

  // 2. The request options whose URLSearchParams encoding should give the vector's body.
  let options = null;
  if (body !== "") {
    options = {};
    for (const [k, v] of new URLSearchParams(body)) {
      options[k] = v;
    }
  }
  let prepared;
  try {
    prepared = kraken._prepareRequest(endpoint, options, "private", client._gennonce, client._auth);
  } catch (e) {
    throw mapSettingsError(e);
  }
  if (prepared.postdata !== body) {
    throw new Skip("node-kraken-api's body encoding (new URLSearchParams({...options, nonce}).toString()) " +
      "cannot reproduce this body byte for byte");
  }
  const ro = prepared.requestOptions;
  if (ro.method !== "POST" || ro.path !== path) {
    throw new Error(`library built ${ro.method} ${ro.path}, not POST ${path}`);
  }
  return { headers: Object.assign({}, ro.headers) };
}

const HANDLERS = {
  "kraken-spot/sign": krakenSpotSign,
};

function main() {
  const schemes = [...new Set(Object.keys(HANDLERS).map((k) => k.split("/")[0]))].sort();
  const send = (obj) => {
    process.stdout.write(JSON.stringify(obj) + "\n");
  };
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    const msg = JSON.parse(line);
    const seq = msg.seq;
    const op = msg.op;
    if (op === "hello") {
      if (msg.protocol !== PROTOCOL) {
        send({ seq, error: { code: "protocol-unsupported", message: `${NAME} speaks protocol version ${PROTOCOL}` } });
        return;
      }
      send({ seq, result: { name: NAME, version: VERSION, schemes } });
      return;
    }
    const scheme = msg.scheme;
    const handler = HANDLERS[`${scheme}/${op}`];
    if (!handler) {
      send({ seq, skipped: { reason: `${NAME} does not offer ${scheme}/${op}` } });
      return;
    }
    try {
      send({ seq, result: handler(msg.input || {}) });
    } catch (e) {
      if (e instanceof Refuse) {
        send({ seq, error: { code: e.code, message: e.message } });
      } else if (e instanceof Skip) {
        send({ seq, skipped: { reason: e.reason } });
      } else {
        const name = e && e.name ? e.name : "Error";
        const message = e && e.message !== undefined ? e.message : String(e);
        process.stderr.write(`${NAME}: ${msg.id}: ${name}\n${e && e.stack ? e.stack.split("\n").slice(0, 4).join("\n") : ""}\n`);
        send({ seq, error: { code: "implementation-error", message: `${name}: ${message}`.slice(0, 500) } });
      }
    }
  });
  rl.on("close", () => {
    process.exitCode = 0;
  });
}

main();
