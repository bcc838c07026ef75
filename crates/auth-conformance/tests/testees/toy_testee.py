#!/usr/bin/env python3
"""A tiny testee of the toy scheme `toy-mac` (see tests/common/mod.rs), for driver and xtask tests.

Usage: toy_testee.py [MODE]. MODE `ok` (default) implements the scheme; the others misbehave on purpose after the
hello: hang, die, garbage, wrong-seq, bad-exit (exit 4 at end of input), extra-output (one more line at end of
input), ignore-eof (never exits by itself), leak-stderr (logs an input's `secret` member to stderr), leak-answer
(echoes it in the result).
"""

import json
import sys
import time

mode = sys.argv[1] if len(sys.argv) > 1 else "ok"


def answer(req):
    seq = req["seq"]
    if req["op"] == "hello":
        return {"seq": seq, "result": {"name": "toy-py", "version": "0.1.0", "schemes": ["toy-mac"]}}
    if mode == "hang":
        time.sleep(60)
    if mode == "die":
        for n in range(30):
            print(f"line {n}", file=sys.stderr)
        sys.stderr.flush()
        sys.exit(3)
    if mode == "garbage":
        return "this is not json"
    if mode == "wrong-seq":
        seq += 100
    i = req["input"]
    if mode == "leak-stderr" and "secret" in i:
        print(f"debug: signing with {i['secret']}", file=sys.stderr, flush=True)
    if req["op"] == "sign":
        if not i["key"]:
            return {"seq": seq, "error": {"code": "key-empty", "message": "the key is empty"}}
        upper = i["message"].upper()
        rev = upper[::-1]
        joined = i["key"] + ":" + rev
        result = {"headers": {"X-Toy-Sig": joined}, "stages": {"upper": upper, "reversed": rev, "joined": joined}}
        if mode == "leak-answer" and "secret" in i:
            result["debug"] = {"used": i["secret"]}
        return {"seq": seq, "result": result}
    if req["op"] == "verify":
        joined = i["key"] + ":" + i["message"].upper()[::-1]
        if joined == i["sig"]:
            return {"seq": seq, "result": {"ok": True}}
        return {"seq": seq, "error": {"code": "sig-mismatch", "message": "signature differs", "response": {
            "status": 200, "body": {"error": ["EToy:Invalid signature"], "result": {}}}}}
    return {"seq": seq, "skipped": {"reason": "op not implemented"}}


for line in sys.stdin:
    out = answer(json.loads(line))
    print(out if isinstance(out, str) else json.dumps(out), flush=True)

if mode == "bad-exit":
    sys.exit(4)
if mode == "extra-output":
    print('{"seq": 99, "result": {}}', flush=True)
if mode == "ignore-eof":
    time.sleep(60)
