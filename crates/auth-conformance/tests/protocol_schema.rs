//! `spec/testee-protocol.schema.json` against hand-written protocol lines, against what this crate's protocol types
//! serialize, and against every request the real corpus produces: the schema, the types and the corpus agree.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

mod common;

use auth_conformance::protocol::{ErrorBody, Outcome, Request, Response, Skipped};
use auth_vectors::{Corpus, Expected, workspace_vectors_dir};
use boon::{Compiler, SchemaIndex, Schemas};
use serde_json::{Value, json};

const ID: &str = "https://authspec.invalid/testee-protocol.schema.json";

struct Schema {
    schemas: Schemas,
    line: SchemaIndex,
    compiler: Compiler,
}

impl Schema {
    fn load() -> Self {
        let path = common::repo_root().join("spec/testee-protocol.schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(schema["$id"], ID);
        let mut compiler = Compiler::new();
        compiler.add_resource(ID, schema).unwrap();
        let mut schemas = Schemas::new();
        let line = compiler.compile(ID, &mut schemas).unwrap();
        Schema {
            schemas,
            line,
            compiler,
        }
    }

    fn def(&mut self, name: &str) -> SchemaIndex {
        self.compiler
            .compile(&format!("{ID}#/$defs/{name}"), &mut self.schemas)
            .unwrap()
    }

    /// The names under `$defs`.
    fn defs(&self) -> Vec<String> {
        let path = common::repo_root().join("spec/testee-protocol.schema.json");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        schema["$defs"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    }

    fn check(&self, index: SchemaIndex, value: &Value) -> Result<(), String> {
        self.schemas
            .validate(value, index)
            .map_err(|e| format!("{e}"))
    }

    fn line_ok(&self, line: &str) {
        let value: Value = serde_json::from_str(line).unwrap();
        if let Err(e) = self.check(self.line, &value) {
            panic!("{line} should be valid: {e}");
        }
    }

    fn line_bad(&self, line: &str) {
        let value: Value = serde_json::from_str(line).unwrap();
        assert!(
            self.check(self.line, &value).is_err(),
            "{line} should be invalid"
        );
    }
}

const SIGN_INPUT: &str = r#"{"credentials":{"api_key":"K","secret":"c2VjcmV0"},"request":{"method":"POST","path":"/0/private/AddOrder","headers":{"Content-Type":"application/x-www-form-urlencoded"},"body":"nonce=1&pair=XBTUSD"},"nonce":"1"}"#;

#[test]
fn hand_written_valid_lines() {
    let schema = Schema::load();
    for line in [
        r#"{"seq":0,"op":"hello","protocol":1}"#,
        r#"{"seq":0,"result":{"name":"python-spec","version":"0.1.0","schemes":["kraken-spot"]}}"#,
        &format!(
            r#"{{"seq":1,"op":"sign","id":"kraken-spot/official/a","scheme":"kraken-spot","input":{SIGN_INPUT}}}"#
        ),
        r#"{"seq":1,"result":{"headers":{"API-Key":"K","API-Sign":"x"},"stages":{"hmac_key":"00ff"}}}"#,
        r#"{"seq":2,"error":{"code":"secret-invalid","message":"not base64"}}"#,
        r#"{"seq":3,"error":{"code":"nonce-stale","response":{"status":200,"body":{"error":["EAPI:Invalid nonce"],"result":{}}}}}"#,
        r#"{"seq":4,"skipped":{"reason":"verify not implemented"}}"#,
        r#"{"seq":5,"op":"verify","id":"kraken-spot/verify/a","scheme":"kraken-spot","input":{"keys":[{"api_key":"K","secret":"c2VjcmV0","permissions":["Balance"]}],"nonce_window":0,"accepted_nonces":[{"api_key":"K","nonce":"1"}],"request":{"method":"POST","path":"/0/private/Balance","headers":{"API-Key":"K"},"body":"nonce=2"}}}"#,
        r#"{"seq":6,"op":"sign","id":"not-yet-specified/a/b","scheme":"not-yet-specified","input":{"anything":true}}"#,
    ] {
        schema.line_ok(line);
    }
}

#[test]
fn hand_written_invalid_lines() {
    let schema = Schema::load();
    for line in [
        r#"{"op":"hello","protocol":1}"#,
        r#"{"seq":0,"op":"hello"}"#,
        r#"{"seq":0,"op":"hello","protocol":1,"id":"a/b/c"}"#,
        r#"{"seq":1,"op":"hello","id":"a/b/c","scheme":"kraken-spot","input":{}}"#,
        r#"{"seq":-1,"result":{}}"#,
        r#"{"seq":1}"#,
        r#"{"seq":1,"result":{},"error":{"code":"x"}}"#,
        r#"{"seq":1,"result":"signed"}"#,
        r#"{"seq":1,"result":{},"elapsed_ms":3}"#,
        r#"{"seq":1,"error":{"message":"no code"}}"#,
        r#"{"seq":1,"error":{"code":"Not A Code"}}"#,
        r#"{"seq":1,"skipped":{}}"#,
        r#"{"seq":1,"op":"sign","id":"kraken-spot/a/b","scheme":"kraken-spot","input":{"credentials":{"api_key":"K","secret":"s"},"request":{"method":"POST","path":"/p"},"nonce":1}}"#,
        r#"{"seq":1,"op":"sign","id":"kraken-spot/a/b","scheme":"kraken-spot","input":{"credentials":{"api_key":"K"},"request":{"method":"POST","path":"/p"},"nonce":"1"}}"#,
        r#"{"seq":1,"op":"verify","id":"kraken-spot/a/b","scheme":"kraken-spot","input":{"keys":[],"nonce_window":-1,"request":{"method":"POST","path":"/p"}}}"#,
    ] {
        schema.line_bad(line);
    }
}

#[test]
fn op_specific_results_have_their_shapes() {
    let mut schema = Schema::load();
    let hello = schema.def("hello-result");
    assert!(
        schema
            .check(hello, &json!({"name": "n", "version": "v", "schemes": []}))
            .is_ok()
    );
    assert!(
        schema
            .check(hello, &json!({"name": "n", "schemes": []}))
            .is_err()
    );
    let sign = schema.def("kraken-spot-sign-result");
    let api_sign = format!("{}==", "A".repeat(86));
    assert!(schema.check(sign, &json!({"headers": {"API-Key": "K", "API-Sign": api_sign}, "stages": {"api_sign": api_sign}})).is_ok());
    assert!(
        schema
            .check(
                sign,
                &json!({"headers": {"API-Key": "K"}, "stages": {"sha256_digest": "ABCD"}})
            )
            .is_err()
    );
    let verify = schema.def("kraken-spot-verify-result");
    assert!(
        schema
            .check(verify, &json!({"api_key": "K", "nonce": "1"}))
            .is_ok()
    );
    assert!(
        schema
            .check(verify, &json!({"api_key": "K", "nonce": 1}))
            .is_err()
    );
    let rejection = schema.def("kraken-spot-verify-error");
    let response = json!({"status": 200, "body": {"error": ["EAPI:Invalid key"], "result": {}}});
    assert!(
        schema
            .check(
                rejection,
                &json!({"code": "key-unknown", "message": "m", "response": response})
            )
            .is_ok()
    );
    assert!(
        schema
            .check(rejection, &json!({"code": "key-unknown"}))
            .is_err()
    );
}

#[test]
fn this_crates_protocol_types_serialize_to_valid_lines() {
    let schema = Schema::load();
    let sign_input: Value = serde_json::from_str(SIGN_INPUT).unwrap();
    let requests = [
        Request::hello(),
        Request::op(
            1,
            "kraken-spot/official/a",
            "kraken-spot",
            "sign",
            sign_input,
        ),
    ];
    let responses = [
        Response {
            seq: 0,
            outcome: Outcome::Result(
                json!({"name": "n", "version": "v", "schemes": ["kraken-spot"]}),
            ),
        },
        Response {
            seq: 1,
            outcome: Outcome::Error(ErrorBody {
                code: "nonce-invalid".into(),
                message: String::new(),
                rest: Default::default(),
            }),
        },
        Response {
            seq: 2,
            outcome: Outcome::Skipped(Skipped { reason: "r".into() }),
        },
    ];
    for line in requests.iter().map(|r| serde_json::to_string(r).unwrap()) {
        schema.line_ok(&line);
    }
    for line in responses.iter().map(|r| serde_json::to_string(r).unwrap()) {
        schema.line_ok(&line);
    }
}

#[test]
fn every_request_of_the_real_corpus_is_a_valid_line() {
    let mut schema = Schema::load();
    let error = schema.def("error");
    // The op-specific answer shapes the spec defines: `<scheme>-<op>-result` and `<scheme>-<op>-error`.
    let defined: Vec<String> = schema.defs();
    let corpus = Corpus::load(&workspace_vectors_dir()).unwrap();
    let mut checked = 0;
    for (seq, (file, vector)) in (1..).zip(corpus.vectors()) {
        let request = Request::op(
            seq,
            &vector.id,
            &file.scheme,
            &vector.op,
            vector.input.clone(),
        );
        let line = serde_json::to_value(&request).unwrap();
        if let Err(e) = schema.check(schema.line, &line) {
            panic!(
                "{}: the request is not a valid protocol line: {e}",
                vector.id
            );
        }
        // Expected results and errors are subsets of answers, so they must not contradict the answer's shape.
        let shape = |kind: &str| format!("{}-{}-{kind}", file.scheme, vector.op);
        let (index, value) = match &vector.expected {
            Expected::Result(result) if defined.contains(&shape("result")) => {
                (schema.def(&shape("result")), result.clone())
            }
            Expected::Error(expected) => {
                let mut value = serde_json::to_value(expected).unwrap();
                value["message"] = json!("m");
                let index = if defined.contains(&shape("error")) {
                    schema.def(&shape("error"))
                } else {
                    error
                };
                (index, value)
            }
            Expected::Result(_) => continue,
        };
        if let Err(e) = schema.check(index, &value) {
            panic!(
                "{}: the expected outcome does not fit the protocol: {e}",
                vector.id
            );
        }
        checked += 1;
    }
    assert!(checked >= 60, "only {checked} vectors checked");
}
