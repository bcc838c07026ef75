//! Scenarios end to end: a fixture corpus of a toy token scheme (temporary directory) run against in-process
//! testees that keep no state: every step's input carries what it needs, and `${token}` comes from a capture.
//!
//! Toy scheme `toy-token`: `issue {user, secret}` -> `{token: "tok.<user>.<secret>"}` (an empty secret is refused
//! with `secret-empty`); `call {user, secret, token}` -> `{ok: true, who: user}` when the token is the one `issue`
//! gives, else error `token-invalid` with `response: {status: 401}`.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

mod common;

use auth_conformance::compare::{FailureKind, Outcome};
use auth_conformance::protocol::{self, ErrorBody, Request, Response, Skipped};
use auth_conformance::{ExpectedFailures, InProcess, RunOptions, run};
use auth_vectors::Corpus;
use auth_vectors::schema::{CorpusSchema, Document};
use common::{BASIC, write_corpus};
use serde_json::{Map, Value, json};

const SCENARIOS: &str = r#"
format: 1
scheme: toy-token
group: flow
description: Issue a token, then use it.
vectors: []
scenarios:
  - id: toy-token/flow/issue-then-call
    description: A token issued for a user authenticates that user's call; a tampered one is rejected.
    requirements: [CORE-001, CORE-002]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    steps:
      - name: issue
        op: issue
        input: {user: alice, secret: s3}
        expected:
          result: {token: tok.alice.s3}
        capture: {token: /result/token}
      - name: call-with-token
        op: call
        input: {user: alice, secret: s3, token: "${token}"}
        expected:
          result: {ok: true, who: alice, echo: "${token}"}
      - name: call-tampered
        op: call
        input: {user: alice, secret: s3, token: "${token}x"}
        expected:
          error: {code: token-invalid, response: {status: 401}}
  - id: toy-token/flow/bad-capture
    description: The capture pointer finds nothing.
    requirements: [CORE-003]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    steps:
      - name: issue
        op: issue
        input: {user: bob, secret: s}
        expected:
          result: {token: tok.bob.s}
        capture: {token: /result/missing}
      - name: call
        op: call
        input: {user: bob, secret: s, token: "${token}"}
        expected:
          result: {ok: true}
  - id: toy-token/flow/not-a-string
    description: The capture pointer finds an object.
    requirements: [CORE-003]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    steps:
      - name: issue
        op: issue
        input: {user: bob, secret: s}
        expected:
          result: {token: tok.bob.s}
        capture: {whole: /result}
"#;

/// Deliberate bugs of the toy token implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bug {
    None,
    /// `call` rejects every token.
    RejectsAll,
    /// `call` is not implemented (skipped).
    NoCall,
}

fn toy_token(bug: Bug, request: &Request) -> Response {
    let input = request.input.clone().unwrap_or(Value::Null);
    let text = |key: &str| input.get(key).and_then(Value::as_str).unwrap_or_default();
    let token = format!("tok.{}.{}", text("user"), text("secret"));
    let outcome = match request.op.as_str() {
        "hello" => protocol::Outcome::Result(
            json!({"name": "toy-token", "version": "1", "schemes": ["toy-token"]}),
        ),
        "issue" if text("secret").is_empty() => error("secret-empty"),
        "issue" => protocol::Outcome::Result(json!({"token": token})),
        "call" if bug == Bug::NoCall => protocol::Outcome::Skipped(Skipped {
            reason: "call not implemented".into(),
        }),
        "call" if bug != Bug::RejectsAll && text("token") == token => {
            protocol::Outcome::Result(json!({"ok": true, "who": text("user"), "echo": token}))
        }
        "call" => error("token-invalid"),
        other => protocol::Outcome::Skipped(Skipped {
            reason: format!("op {other} not implemented"),
        }),
    };
    Response {
        seq: request.seq,
        outcome,
    }
}

fn error(code: &str) -> protocol::Outcome {
    let mut rest = Map::new();
    rest.insert("response".into(), json!({"status": 401}));
    protocol::Outcome::Error(ErrorBody {
        code: code.into(),
        message: "no".into(),
        rest,
    })
}

fn corpus(name: &str) -> Corpus {
    let root = write_corpus(
        name,
        &[
            ("toy-token/flow.yaml", SCENARIOS),
            ("toy-mac/basic.yaml", BASIC),
        ],
    );
    Corpus::load(&root).unwrap()
}

fn only(glob: &str) -> RunOptions {
    RunOptions {
        id_glob: Some(glob.into()),
        ..RunOptions::default()
    }
}

fn outcome<'r>(report: &'r auth_conformance::Report, id: &str) -> &'r Outcome {
    &report.vectors.iter().find(|v| v.id == id).unwrap().outcome
}

#[test]
fn the_fixture_loads_and_validates() {
    let corpus = corpus("scenarios-load");
    assert_eq!(corpus.len_scenarios(), 3);
    let (file, scenario) = corpus.scenarios().next().unwrap();
    assert!(file.vectors.is_empty());
    assert_eq!(scenario.steps.len(), 3);
    assert!(scenario.is_negative());
    assert!(
        !corpus
            .get_scenario("toy-token/flow/not-a-string")
            .unwrap()
            .is_negative()
    );
    assert!(corpus.get("toy-token/flow/issue-then-call").is_none());

    let yaml: serde_yaml::Value = serde_yaml::from_str(SCENARIOS).unwrap();
    let value: Value = serde_json::to_value(yaml).unwrap();
    CorpusSchema::new()
        .unwrap()
        .validate(Document::VectorFile, &value)
        .unwrap();
}

#[test]
fn a_conforming_testee_passes_with_captured_values_substituted() {
    let corpus = corpus("scenarios-pass");
    let mut seen = Vec::new();
    let mut testee = InProcess::new(|request: &Request| {
        seen.push(request.clone());
        toy_token(Bug::None, request)
    });
    let report = run(&corpus, &mut testee, &only("toy-token/flow/issue-*")).unwrap();
    assert!(report.is_success(), "{}", report.to_text());
    assert_eq!(report.vectors.len(), 1);
    let entry = &report.vectors[0];
    assert_eq!(
        (entry.op.as_str(), entry.steps, &entry.outcome),
        ("scenario", Some(3), &Outcome::Pass)
    );
    assert_eq!(
        report.to_text().lines().last().unwrap(),
        "1 passed, 0 failed, 0 skipped"
    );
    // One ordinary request per step, consecutive seqs, ids with the step suffix, ${token} substituted.
    assert_eq!(seen.len(), 4);
    assert_eq!(
        seen[2],
        Request::op(
            2,
            "toy-token/flow/issue-then-call#call-with-token",
            "toy-token",
            "call",
            json!({"user": "alice", "secret": "s3", "token": "tok.alice.s3"})
        )
    );
    assert_eq!(seen[3].input.as_ref().unwrap()["token"], "tok.alice.s3x");
    assert_eq!(
        seen[3].id.as_deref(),
        Some("toy-token/flow/issue-then-call#call-tampered")
    );
    // JSON and JUnit carry the scenario as one entry / one testcase.
    let json: Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
    assert_eq!(json["vectors"][0]["id"], "toy-token/flow/issue-then-call");
    assert_eq!(json["vectors"][0]["steps"], 3);
    assert!(
        report
            .to_junit()
            .contains("name=\"toy-token/flow/issue-then-call\"")
    );
}

#[test]
fn a_failing_step_fails_the_scenario_and_is_named() {
    let corpus = corpus("scenarios-fail");
    let mut sent = 0;
    let mut testee = InProcess::new(|request: &Request| {
        sent += 1;
        toy_token(Bug::RejectsAll, request)
    });
    let report = run(&corpus, &mut testee, &only("toy-token/flow/issue-*")).unwrap();
    assert!(!report.is_success());
    // hello, issue, call-with-token; call-tampered is not sent.
    assert_eq!(sent, 3);
    let Outcome::Fail(failure) = outcome(&report, "toy-token/flow/issue-then-call") else {
        panic!("{}", report.to_text())
    };
    assert_eq!(failure.kind, FailureKind::Mismatch);
    assert_eq!(failure.step.as_deref(), Some("call-with-token"));
    assert!(
        failure.reason.starts_with(
            "step 2 'call-with-token': refused what must be signed: answered error `token-invalid`"
        ),
        "{}",
        failure.reason
    );
    let text = report.to_text();
    assert!(
        text.contains("FAIL toy-token/flow/issue-then-call"),
        "{text}"
    );
    assert!(text.contains("failing step: call-with-token"), "{text}");
    assert_eq!(text.lines().last(), Some("0 passed, 1 failed, 0 skipped"));
}

#[test]
fn an_expected_failure_can_name_a_scenario() {
    let corpus = corpus("scenarios-xfail");
    let options = RunOptions {
        expected_failures: ExpectedFailures::parse(
            "- {id: toy-token/flow/issue-then-call, code: token-invalid, reason: known}\n",
        )
        .unwrap(),
        ..only("toy-token/flow/issue-*")
    };
    let report = run(
        &corpus,
        &mut InProcess::new(|r: &Request| toy_token(Bug::RejectsAll, r)),
        &options,
    )
    .unwrap();
    assert!(report.is_success(), "{}", report.to_text());
    assert_eq!(report.totals.expected_failures, 1);
}

#[test]
fn capture_failures_fail_the_scenario_at_that_step() {
    let corpus = corpus("scenarios-capture");
    let report = run(
        &corpus,
        &mut InProcess::new(|r: &Request| toy_token(Bug::None, r)),
        &RunOptions {
            scheme: Some("toy-token".into()),
            ..RunOptions::default()
        },
    )
    .unwrap();
    assert_eq!(report.vectors.len(), 3);
    let Outcome::Fail(missing) = outcome(&report, "toy-token/flow/bad-capture") else {
        panic!("{}", report.to_text())
    };
    assert_eq!(missing.step.as_deref(), Some("issue"));
    assert_eq!(
        missing.reason,
        "step 1 'issue': cannot capture `token`: the answer has nothing at /result/missing"
    );
    assert!(missing.answer.is_some());
    let Outcome::Fail(object) = outcome(&report, "toy-token/flow/not-a-string") else {
        panic!("{}", report.to_text())
    };
    assert_eq!(
        object.reason,
        "step 1 'issue': cannot capture `whole`: the answer's value at /result is an object, not a string"
    );
    assert_eq!(
        outcome(&report, "toy-token/flow/issue-then-call"),
        &Outcome::Pass
    );
    assert_eq!(
        report.to_text().lines().last().unwrap(),
        "1 passed, 2 failed, 0 skipped"
    );
}

#[test]
fn a_skipped_step_skips_the_scenario_and_foreign_schemes_are_skipped() {
    let corpus = corpus("scenarios-skip");
    let report = run(
        &corpus,
        &mut InProcess::new(|r: &Request| toy_token(Bug::NoCall, r)),
        &only("toy-*/*/*"),
    )
    .unwrap();
    assert_eq!(
        outcome(&report, "toy-token/flow/issue-then-call"),
        &Outcome::Skipped {
            reason: "step 2 'call-with-token': testee skipped it: call not implemented".into()
        }
    );
    // toy-mac vectors are of a scheme this testee does not implement.
    assert_eq!(
        outcome(&report, "toy-mac/basic/lower"),
        &Outcome::Skipped {
            reason: "testee does not implement scheme `toy-mac`".into()
        }
    );
    assert_eq!(
        (
            report.totals.passed,
            report.totals.failed,
            report.totals.skipped
        ),
        (0, 2, 4)
    );
}
