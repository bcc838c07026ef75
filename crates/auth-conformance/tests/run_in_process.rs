//! End-to-end runs of a fixture corpus (written to a temporary directory) against in-process toy testees.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

mod common;

use auth_conformance::compare::{FailureKind, Outcome, StageDiff};
use auth_conformance::protocol::{Request, Response};
use auth_conformance::{ExpectedFailures, InProcess, RunError, RunOptions, run};
use common::{Bug, fixture_corpus, toy};
use serde_json::json;

fn toy_testee(bug: Bug) -> InProcess<impl FnMut(&Request) -> Response> {
    InProcess::new(move |request: &Request| toy(bug, request))
}

fn outcome<'r>(report: &'r auth_conformance::Report, id: &str) -> &'r Outcome {
    &report.vectors.iter().find(|v| v.id == id).unwrap().outcome
}

#[test]
fn a_conforming_testee_passes_and_foreign_schemes_are_skipped() {
    let corpus = fixture_corpus("conforming");
    let report = run(&corpus, &mut toy_testee(Bug::None), &RunOptions::default()).unwrap();
    assert!(report.is_success(), "{}", report.to_text());
    assert_eq!(
        (
            report.totals.passed,
            report.totals.failed,
            report.totals.skipped
        ),
        (5, 0, 1)
    );
    assert_eq!(report.testee.name, "toy");
    // Corpus order: folders sorted, then files, then the file's order.
    let ids: Vec<&str> = report.vectors.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "other-scheme/basic/one",
            "toy-mac/basic/lower",
            "toy-mac/basic/mixed",
            "toy-mac/basic/empty-key",
            "toy-mac/verify/good",
            "toy-mac/verify/bad-sig",
        ]
    );
    assert_eq!(
        outcome(&report, "other-scheme/basic/one"),
        &Outcome::Skipped {
            reason: "testee does not implement scheme `other-scheme`".into()
        }
    );
    assert_eq!(
        report.to_text().lines().last().unwrap(),
        "5 passed, 0 failed, 1 skipped"
    );
}

#[test]
fn requests_carry_consecutive_seqs_and_the_vectors_input_verbatim() {
    let corpus = fixture_corpus("requests");
    let mut seen = Vec::new();
    let mut testee = InProcess::new(|request: &Request| {
        seen.push(request.clone());
        toy(Bug::None, request)
    });
    run(&corpus, &mut testee, &RunOptions::default()).unwrap();
    let seqs: Vec<u64> = seen.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [0, 1, 2, 3, 4, 5]);
    assert_eq!(seen[0], Request::hello());
    assert_eq!(seen[0].protocol, Some(1));
    assert_eq!(
        seen[2],
        Request::op(
            2,
            "toy-mac/basic/mixed",
            "toy-mac",
            "sign",
            json!({"key": "key", "message": "Hello, World"})
        )
    );
}

#[test]
fn a_buggy_testee_fails_at_the_first_differing_stage() {
    let corpus = fixture_corpus("buggy");
    let report = run(
        &corpus,
        &mut toy_testee(Bug::NoReverse),
        &RunOptions::default(),
    )
    .unwrap();
    assert!(!report.is_success());
    assert_eq!(
        (
            report.totals.passed,
            report.totals.failed,
            report.totals.skipped
        ),
        (1, 4, 1)
    );
    let Outcome::Fail(failure) = outcome(&report, "toy-mac/basic/lower") else {
        panic!("should fail")
    };
    assert_eq!(
        failure.first_differing_stage,
        Some(StageDiff {
            name: "reversed".into(),
            expected: "CBA".into(),
            actual: json!("ABC")
        })
    );
    assert_eq!(failure.result_diffs.len(), 1);
    assert_eq!(failure.result_diffs[0].path, "result.headers.X-Toy-Sig");
    assert_eq!(failure.result_diffs[0].expected, json!("k:CBA"));
    assert_eq!(failure.result_diffs[0].actual, Some(json!("k:ABC")));
    // The verifier shares the bug, so it rejects the good signature and accepts the "bad" one (which now matches).
    let Outcome::Fail(failure) = outcome(&report, "toy-mac/verify/good") else {
        panic!("should fail")
    };
    assert!(
        failure
            .reason
            .starts_with("rejected what must be accepted: answered error `sig-mismatch`")
    );
    insta::assert_snapshot!("buggy_text_report", report.to_text());
    insta::assert_snapshot!("buggy_junit_report", report.to_junit());
}

#[test]
fn header_names_compare_case_insensitively_and_unreported_stages_are_fine() {
    let corpus = fixture_corpus("quiet");
    let report = run(&corpus, &mut toy_testee(Bug::Quiet), &RunOptions::default()).unwrap();
    assert!(report.is_success(), "{}", report.to_text());
}

#[test]
fn signing_what_must_be_refused_fails() {
    let corpus = fixture_corpus("accepts-empty-key");
    let report = run(
        &corpus,
        &mut toy_testee(Bug::AcceptsEmptyKey),
        &RunOptions::default(),
    )
    .unwrap();
    let Outcome::Fail(failure) = outcome(&report, "toy-mac/basic/empty-key") else {
        panic!("should fail")
    };
    assert_eq!(failure.kind, FailureKind::Mismatch);
    assert_eq!(
        failure.reason,
        "signed what must be refused: expected error `key-empty`, answered a result"
    );
    assert_eq!(report.totals.failed, 1);
}

#[test]
fn skipped_answers_are_skipped_and_a_run_that_executes_nothing_fails() {
    let corpus = fixture_corpus("skips");
    let report = run(
        &corpus,
        &mut toy_testee(Bug::NoVerify),
        &RunOptions::default(),
    )
    .unwrap();
    assert!(report.is_success());
    assert_eq!((report.totals.passed, report.totals.skipped), (3, 3));
    assert_eq!(
        outcome(&report, "toy-mac/verify/good"),
        &Outcome::Skipped {
            reason: "testee skipped it: verify not implemented".into()
        }
    );

    let options = RunOptions {
        id_glob: Some("toy-mac/verify/*".into()),
        ..RunOptions::default()
    };
    let report = run(&corpus, &mut toy_testee(Bug::NoVerify), &options).unwrap();
    assert_eq!(
        (
            report.totals.passed,
            report.totals.failed,
            report.totals.skipped
        ),
        (0, 0, 2)
    );
    assert!(!report.is_success());
    let text = report.to_text();
    assert!(
        text.contains("result: FAILED (no vector was executed)"),
        "{text}"
    );
    assert!(text.ends_with("\n0 passed, 0 failed, 2 skipped"), "{text}");
}

#[test]
fn selection_by_scheme_and_id_glob() {
    let corpus = fixture_corpus("selection");
    let options = RunOptions {
        id_glob: Some("toy-mac/*/*e*".into()),
        ..RunOptions::default()
    };
    let report = run(&corpus, &mut toy_testee(Bug::None), &options).unwrap();
    let ids: Vec<&str> = report.vectors.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "toy-mac/basic/lower",
            "toy-mac/basic/mixed",
            "toy-mac/basic/empty-key"
        ]
    );

    let options = RunOptions {
        scheme: Some("toy-mac".into()),
        ..RunOptions::default()
    };
    let report = run(&corpus, &mut toy_testee(Bug::None), &options).unwrap();
    assert_eq!(report.vectors.len(), 5);

    let options = RunOptions {
        id_glob: Some("toy-mac/basic".into()),
        ..RunOptions::default()
    };
    let err = run(&corpus, &mut toy_testee(Bug::None), &options).unwrap_err();
    assert!(matches!(err, RunError::EmptySelection { .. }), "{err}");
    assert_eq!(err.to_string(), "no vector matches --id 'toy-mac/basic'");

    let options = RunOptions {
        scheme: Some("kraken-v5".into()),
        ..RunOptions::default()
    };
    let err = run(&corpus, &mut toy_testee(Bug::None), &options).unwrap_err();
    assert_eq!(err.to_string(), "no vector matches --scheme kraken-v5");
}

const LIST: &str = r#"
- id: toy-mac/basic/lower
  stage: reversed
  reason: reverse not implemented yet
- id: toy-mac/basic/mixed
  stage: reversed
  reason: reverse not implemented yet
- id: toy-mac/verify/*
  reason: the verifier shares the bug
"#;

fn with_list(list: &str) -> RunOptions {
    RunOptions {
        expected_failures: ExpectedFailures::parse(list).unwrap(),
        ..RunOptions::default()
    }
}

#[test]
fn failures_as_listed_are_expected_and_keep_the_run_green() {
    let corpus = fixture_corpus("expected");
    let report = run(&corpus, &mut toy_testee(Bug::NoReverse), &with_list(LIST)).unwrap();
    assert!(report.is_success(), "{}", report.to_text());
    let t = report.totals;
    assert_eq!(
        (
            t.passed,
            t.failed,
            t.skipped,
            t.expected_failures,
            t.unexpected_passes
        ),
        (1, 0, 1, 4, 0)
    );
    assert!(matches!(
        outcome(&report, "toy-mac/basic/lower"),
        Outcome::ExpectedFailure { .. }
    ));
    assert!(matches!(
        outcome(&report, "toy-mac/verify/bad-sig"),
        Outcome::ExpectedFailure { .. }
    ));
    let text = report.to_text();
    let last_two: Vec<&str> = text.lines().rev().take(2).collect();
    assert_eq!(
        last_two,
        ["1 passed, 0 failed, 1 skipped", "4 expected failures"]
    );
    insta::assert_snapshot!("expected_failures_text_report", text);
}

#[test]
fn a_listed_vector_that_passes_is_an_unexpected_pass() {
    let corpus = fixture_corpus("unexpected-pass");
    let report = run(&corpus, &mut toy_testee(Bug::None), &with_list(LIST)).unwrap();
    assert!(!report.is_success());
    let t = report.totals;
    assert_eq!(
        (
            t.passed,
            t.failed,
            t.skipped,
            t.expected_failures,
            t.unexpected_passes
        ),
        (1, 4, 1, 0, 4)
    );
    assert_eq!(
        outcome(&report, "toy-mac/basic/lower"),
        &Outcome::UnexpectedPass {
            listed_reason: "reverse not implemented yet".into()
        }
    );
    let text = report.to_text();
    assert!(
        text.contains("UNEXPECTED PASS toy-mac/basic/lower\n"),
        "{text}"
    );
    assert!(
        text.contains("remove its entry from the expected-failures list"),
        "{text}"
    );
    assert!(
        text.contains("result: FAILED (4 unexpected passes)"),
        "{text}"
    );
}

#[test]
fn a_listed_vector_that_fails_otherwise_is_an_unexpected_failure() {
    let corpus = fixture_corpus("fails-otherwise");
    let list = r#"
- {id: toy-mac/basic/lower, stage: upper, reason: wrong stage}
- {id: toy-mac/basic/mixed, stage: reversed, reason: right stage}
- {id: toy-mac/verify/good, code: key-empty, reason: wrong code}
- {id: toy-mac/verify/bad-sig, code: sig-mismatch, reason: answers a result instead}
"#;
    let report = run(&corpus, &mut toy_testee(Bug::NoReverse), &with_list(list)).unwrap();
    assert!(!report.is_success());
    let t = report.totals;
    assert_eq!((t.passed, t.failed, t.expected_failures), (1, 3, 1));
    let Outcome::Fail(failure) = outcome(&report, "toy-mac/basic/lower") else {
        panic!("should fail")
    };
    assert_eq!(
        failure.reason,
        "stage `reversed` differs; result.headers.X-Toy-Sig differs \
         (listed as expected to fail first at stage `upper`, but it failed otherwise)"
    );
    let Outcome::Fail(failure) = outcome(&report, "toy-mac/verify/good") else {
        panic!("should fail")
    };
    assert!(failure.reason.ends_with(
        "(listed as expected to fail with error code `key-empty`, but it failed otherwise)"
    ));
    assert!(matches!(
        outcome(&report, "toy-mac/verify/bad-sig"),
        Outcome::Fail(_)
    ));
}

#[test]
fn an_entry_matching_no_vector_is_an_error() {
    let corpus = fixture_corpus("unmatched");
    let list = "- {id: toy-mac/basic/nope, reason: r}\n- {id: toy-mac/gone/*, reason: r}\n- {id: toy-mac/basic/lower, reason: r}\n";
    let err = run(&corpus, &mut toy_testee(Bug::None), &with_list(list)).unwrap_err();
    let RunError::UnmatchedExpectedFailures { ids } = &err else {
        panic!("{err}")
    };
    assert_eq!(ids, &["toy-mac/basic/nope", "toy-mac/gone/*"]);
    // An entry outside the selection is fine: it matches a vector of the corpus.
    let mut options = with_list("- {id: toy-mac/verify/good, reason: r}\n");
    options.id_glob = Some("toy-mac/basic/*".into());
    assert!(
        run(&corpus, &mut toy_testee(Bug::None), &options)
            .unwrap()
            .is_success()
    );
}

#[test]
fn a_protocol_violation_fails_the_vector_and_everything_after_it() {
    let corpus = fixture_corpus("protocol-violation");
    let mut testee = InProcess::new(|request: &Request| {
        let mut response = toy(Bug::None, request);
        if request.seq == 2 {
            response.seq = 9;
        }
        response
    });
    let report = run(&corpus, &mut testee, &RunOptions::default()).unwrap();
    assert!(!report.is_success());
    assert_eq!(
        report.protocol_error.as_deref(),
        Some("testee answered seq 2 with seq 9")
    );
    assert!(matches!(
        outcome(&report, "toy-mac/basic/lower"),
        Outcome::Pass
    ));
    let Outcome::Fail(failure) = outcome(&report, "toy-mac/basic/mixed") else {
        panic!("should fail")
    };
    assert_eq!(
        (failure.kind, failure.reason.as_str()),
        (
            FailureKind::Protocol,
            "protocol error: testee answered seq 2 with seq 9"
        )
    );
    for id in [
        "toy-mac/basic/empty-key",
        "toy-mac/verify/good",
        "toy-mac/verify/bad-sig",
    ] {
        let Outcome::Fail(failure) = outcome(&report, id) else {
            panic!("{id} should fail")
        };
        assert_eq!(failure.kind, FailureKind::Protocol);
        assert!(
            failure
                .reason
                .starts_with("not run: the testee is unusable after an earlier error"),
            "{}",
            failure.reason
        );
    }
    assert!(matches!(
        outcome(&report, "other-scheme/basic/one"),
        Outcome::Skipped { .. }
    ));
    assert_eq!(
        (
            report.totals.passed,
            report.totals.failed,
            report.totals.skipped
        ),
        (1, 4, 1)
    );
    assert!(
        report
            .to_text()
            .contains("\nPROTOCOL ERROR: testee answered seq 2 with seq 9\n")
    );
}

#[test]
fn handshake_must_answer_a_hello_result() {
    let corpus = fixture_corpus("handshake");
    let mut testee = InProcess::new(|request: &Request| Response {
        seq: request.seq,
        outcome: auth_conformance::protocol::Outcome::Result(json!({"name": "x"})),
    });
    let err = run(&corpus, &mut testee, &RunOptions::default()).unwrap_err();
    assert!(matches!(err, RunError::HelloRefused(_)), "{err}");
    let mut testee = InProcess::new(|request: &Request| Response {
        seq: request.seq,
        outcome: auth_conformance::protocol::Outcome::Error(
            auth_conformance::protocol::ErrorBody {
                code: "protocol-unsupported".into(),
                message: "v2 only".into(),
                rest: Default::default(),
            },
        ),
    });
    let err = run(&corpus, &mut testee, &RunOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "handshake refused: the testee answered error `protocol-unsupported` to protocol version 1: v2 only"
    );
}

#[test]
fn the_json_report_has_the_documented_shape_and_round_trips() {
    let corpus = fixture_corpus("json");
    let report = run(
        &corpus,
        &mut toy_testee(Bug::NoReverse),
        &with_list("- {id: toy-mac/basic/mixed, stage: reversed, reason: known}\n"),
    )
    .unwrap();
    let json = report.to_json().unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], 1);
    assert_eq!(value["protocol"], 1);
    assert_eq!(
        value["testee"],
        json!({"name": "toy", "version": "1.0.0", "schemes": ["toy-mac"]})
    );
    assert_eq!(value["success"], false);
    assert_eq!(
        value["totals"],
        json!({"passed": 1, "failed": 3, "skipped": 1, "expected_failures": 1, "unexpected_passes": 0})
    );
    let vectors = value["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 6);
    assert_eq!(
        vectors[0]["outcome"],
        json!({"status": "skipped", "reason": "testee does not implement scheme `other-scheme`"})
    );
    let lower = &vectors[1];
    assert_eq!(lower["id"], "toy-mac/basic/lower");
    assert_eq!(lower["scheme"], "toy-mac");
    assert_eq!(lower["op"], "sign");
    assert_eq!(lower["requirements"], json!(["CORE-001"]));
    assert_eq!(lower["outcome"]["status"], "fail");
    assert_eq!(lower["outcome"]["kind"], "mismatch");
    assert_eq!(
        lower["outcome"]["first_differing_stage"],
        json!({"name": "reversed", "expected": "CBA", "actual": "ABC"})
    );
    assert_eq!(
        lower["outcome"]["result_diffs"],
        json!([{"path": "result.headers.X-Toy-Sig", "expected": "k:CBA", "actual": "k:ABC"}])
    );
    assert_eq!(
        lower["outcome"]["answer"]["result"]["headers"],
        json!({"X-Toy-Sig": "k:ABC"})
    );
    assert_eq!(vectors[2]["outcome"]["status"], "expected_failure");
    assert_eq!(vectors[2]["outcome"]["listed_reason"], "known");
    assert_eq!(
        vectors[2]["outcome"]["failure"]["first_differing_stage"]["name"],
        "reversed"
    );
    assert_eq!(vectors[3]["outcome"], json!({"status": "pass"}));
    let back: auth_conformance::Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}
