//! Shared fixtures: a small corpus of a toy scheme written to a temporary directory, and a toy implementation.
//!
//! The toy scheme `toy-mac` exists only here, so these tests show that the runner knows no scheme's internals.
//! `sign` takes `{key, message}`; its stages are `upper` (the message upper-cased), `reversed` (`upper` reversed)
//! and `joined` (`key:reversed`); its result is the header `X-Toy-Sig: joined`. An empty key is refused with
//! `key-empty`. `verify` takes `{key, message, sig}` and accepts (`{"ok": true}`) or rejects with
//! `sig-mismatch` and a wire response. The expected values in the YAML below were worked out by hand.

#![allow(dead_code, unreachable_pub)]
#![allow(
    clippy::unwrap_used,
    reason = "test fixtures: a failure is a test failure"
)]

use std::path::{Path, PathBuf};

use auth_conformance::protocol::{ErrorBody, Outcome, Request, Response, Skipped};
use serde_json::{Map, Value, json};

pub const BASIC: &str = r#"
format: 1
scheme: toy-mac
group: basic
description: Toy signatures.
vectors:
  - id: toy-mac/basic/lower
    description: A lower-case message is upper-cased and reversed.
    requirements: [CORE-001]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: sign
    input: {key: k, message: abc}
    expected:
      result: {headers: {X-Toy-Sig: "k:CBA"}}
    stages:
      - {name: upper, value: ABC}
      - {name: reversed, value: CBA}
      - {name: joined, value: "k:CBA"}
  - id: toy-mac/basic/mixed
    description: Punctuation and spaces are kept.
    requirements: [CORE-001, CORE-002]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: sign
    input: {key: key, message: "Hello, World"}
    expected:
      result: {headers: {X-Toy-Sig: "key:DLROW ,OLLEH"}}
    stages:
      - {name: upper, value: "HELLO, WORLD"}
      - {name: reversed, value: "DLROW ,OLLEH"}
      - {name: joined, value: "key:DLROW ,OLLEH"}
  - id: toy-mac/basic/empty-key
    description: An empty key is refused.
    requirements: [CORE-003]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: sign
    input: {key: "", message: abc}
    expected:
      error: {code: key-empty}
"#;

pub const VERIFY: &str = r#"
format: 1
scheme: toy-mac
group: verify
description: Toy verification.
vectors:
  - id: toy-mac/verify/good
    description: The right signature is accepted.
    requirements: [CORE-004]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: verify
    input: {key: k, message: abc, sig: "k:CBA"}
    expected:
      result: {ok: true}
  - id: toy-mac/verify/bad-sig
    description: A wrong signature is rejected with the wire answer.
    requirements: [CORE-005]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: verify
    input: {key: k, message: abc, sig: "k:ABC"}
    expected:
      error: {code: sig-mismatch, response: {status: 200, body: {error: ["EToy:Invalid signature"]}}}
"#;

pub const OTHER: &str = r#"
format: 1
scheme: other-scheme
group: basic
description: A scheme the toy testee does not implement.
vectors:
  - id: other-scheme/basic/one
    description: Never sent to the toy testee.
    requirements: [CORE-006]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: sign
    input: {}
    expected:
      result: {}
"#;

/// Writes a corpus with `files` ((relative path, contents)) to a fresh directory named `name` and returns it.
pub fn write_corpus(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("auth-conformance-fixtures")
        .join(name);
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("flags.yaml"), "format: 1\nflags: {}\n").unwrap();
    std::fs::write(root.join("retired.yaml"), "format: 1\nretired: []\n").unwrap();
    for (path, contents) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    root
}

/// The standard fixture corpus: `toy-mac/basic.yaml`, `toy-mac/verify.yaml`, `other-scheme/basic.yaml`.
pub fn fixture_corpus(name: &str) -> auth_vectors::Corpus {
    let root = write_corpus(
        name,
        &[
            ("toy-mac/basic.yaml", BASIC),
            ("toy-mac/verify.yaml", VERIFY),
            ("other-scheme/basic.yaml", OTHER),
        ],
    );
    auth_vectors::Corpus::load(&root).unwrap()
}

/// Deliberate bugs of the toy implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    /// None: a conforming implementation.
    None,
    /// Forgets to reverse: `reversed` (and so `joined` and the header) differ.
    NoReverse,
    /// Refuses nothing: signs with an empty key.
    AcceptsEmptyKey,
    /// Reports no stages, sends the header name in lower case.
    Quiet,
    /// Does not implement `verify` (answers skipped).
    NoVerify,
}

/// The toy implementation, answering one request.
pub fn toy(bug: Bug, request: &Request) -> Response {
    let input = request.input.clone().unwrap_or(Value::Null);
    let text = |key: &str| {
        input
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let outcome = match request.op.as_str() {
        "hello" => {
            Outcome::Result(json!({"name": "toy", "version": "1.0.0", "schemes": ["toy-mac"]}))
        }
        "sign" => {
            let key = text("key");
            if key.is_empty() && bug != Bug::AcceptsEmptyKey {
                error("key-empty", "the key is empty", Map::new())
            } else {
                let (upper, reversed, joined) = toy_sign(bug, &key, &text("message"));
                if bug == Bug::Quiet {
                    Outcome::Result(json!({"headers": {"x-toy-sig": joined}}))
                } else {
                    Outcome::Result(json!({
                        "headers": {"X-Toy-Sig": joined},
                        "stages": {"upper": upper, "reversed": reversed, "joined": joined}
                    }))
                }
            }
        }
        "verify" if bug == Bug::NoVerify => Outcome::Skipped(Skipped {
            reason: "verify not implemented".into(),
        }),
        "verify" => {
            let (_, _, joined) = toy_sign(bug, &text("key"), &text("message"));
            if joined == text("sig") {
                Outcome::Result(json!({"ok": true}))
            } else {
                let mut rest = Map::new();
                rest.insert(
                    "response".into(),
                    json!({"status": 200, "body": {"error": ["EToy:Invalid signature"], "result": {}}}),
                );
                error("sig-mismatch", "signature differs", rest)
            }
        }
        other => Outcome::Skipped(Skipped {
            reason: format!("op {other} not implemented"),
        }),
    };
    Response {
        seq: request.seq,
        outcome,
    }
}

fn toy_sign(bug: Bug, key: &str, message: &str) -> (String, String, String) {
    let upper = message.to_uppercase();
    let reversed = if bug == Bug::NoReverse {
        upper.clone()
    } else {
        upper.chars().rev().collect()
    };
    let joined = format!("{key}:{reversed}");
    (upper, reversed, joined)
}

fn error(code: &str, message: &str, rest: Map<String, Value>) -> Outcome {
    Outcome::Error(ErrorBody {
        code: code.into(),
        message: message.into(),
        rest,
    })
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}
