//! The subprocess driver against a tiny Python testee (`tests/testees/toy_testee.py`) that can misbehave on
//! purpose. Requires python3: without it these tests fail, they do not skip.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use auth_conformance::compare::Outcome;
use auth_conformance::protocol::Request;
use auth_conformance::{DriverError, RunOptions, Subprocess, Testee, run};
use common::fixture_corpus;

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/testees/toy_testee.py")
}

fn toy(mode: &str, timeout: Duration) -> Subprocess {
    let mut command = Command::new("python3");
    command.arg(script()).arg(mode);
    Subprocess::from_command(command, timeout).unwrap()
}

const TIMEOUT: Duration = Duration::from_secs(20);

#[test]
fn a_conforming_program_passes_the_fixture_corpus() {
    let corpus = fixture_corpus("subprocess-ok");
    // Through the command-line splitter, with a quoted argument.
    let command_line = format!("python3 '{}' \"ok\"", script().display());
    let mut testee = Subprocess::spawn(&command_line, TIMEOUT).unwrap();
    let report = run(&corpus, &mut testee, &RunOptions::default()).unwrap();
    assert!(report.is_success(), "{}", report.to_text());
    assert_eq!(report.testee.name, "toy-py");
    assert_eq!(
        (
            report.totals.passed,
            report.totals.failed,
            report.totals.skipped
        ),
        (5, 0, 1)
    );
}

#[test]
fn a_program_that_does_not_answer_times_out_and_is_killed() {
    let corpus = fixture_corpus("subprocess-hang");
    // Long enough for python3 to start and answer the hello on a loaded machine.
    let mut testee = toy("hang", Duration::from_secs(3));
    let started = Instant::now();
    let report = run(&corpus, &mut testee, &RunOptions::default()).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    assert!(!report.is_success());
    let error = report.protocol_error.as_deref().unwrap();
    assert!(
        error.starts_with("testee did not answer seq 1 within 3s; it was killed"),
        "{error}"
    );
    let Outcome::Fail(first) = &report.vectors[1].outcome else {
        panic!("should fail")
    };
    assert!(
        first
            .reason
            .starts_with("protocol error: testee did not answer seq 1"),
        "{}",
        first.reason
    );
    assert_eq!(report.totals.failed, 5);
    assert!(report.to_text().ends_with("0 passed, 5 failed, 1 skipped"));
}

#[test]
fn a_program_that_exits_early_is_reported_with_its_status_and_stderr_tail() {
    let corpus = fixture_corpus("subprocess-die");
    let mut testee = toy("die", TIMEOUT);
    let report = run(&corpus, &mut testee, &RunOptions::default()).unwrap();
    assert!(!report.is_success());
    let error = report.protocol_error.as_deref().unwrap();
    assert!(
        error.starts_with(
            "testee exited before answering seq 1 (exit status: 3); last lines of its stderr:"
        ),
        "{error}"
    );
    // The last 20 of 30 lines.
    assert!(
        error.contains("\n    | line 10\n") && error.ends_with("\n    | line 29"),
        "{error}"
    );
    assert!(!error.contains("line 9\n"), "{error}");
    assert!(
        report
            .to_text()
            .contains("PROTOCOL ERROR: testee exited before answering seq 1 (exit status: 3)")
    );
}

#[test]
fn a_line_that_is_not_json_is_a_protocol_violation() {
    let mut testee = toy("garbage", TIMEOUT);
    testee.exchange(&Request::hello()).unwrap();
    let err = testee
        .exchange(&Request::op(
            1,
            "a/b/c",
            "toy-mac",
            "sign",
            serde_json::json!({}),
        ))
        .unwrap_err();
    let DriverError::BadResponse { seq, problem, line } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*seq, 1);
    assert!(problem.starts_with("not JSON"), "{problem}");
    assert_eq!(line, "this is not json");
    // The testee is unusable afterwards.
    let again = testee
        .exchange(&Request::op(
            2,
            "a/b/c",
            "toy-mac",
            "sign",
            serde_json::json!({}),
        ))
        .unwrap_err();
    assert!(matches!(again, DriverError::Unusable), "{again:?}");
}

#[test]
fn a_wrong_seq_is_a_protocol_violation() {
    let mut testee = toy("wrong-seq", TIMEOUT);
    testee.exchange(&Request::hello()).unwrap();
    let input = serde_json::json!({"key": "k", "message": "m"});
    let err = testee
        .exchange(&Request::op(1, "a/b/c", "toy-mac", "sign", input))
        .unwrap_err();
    assert!(
        matches!(
            err,
            DriverError::WrongSeq {
                expected: 1,
                actual: 101
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_non_zero_exit_at_end_of_input_fails_the_run() {
    let corpus = fixture_corpus("subprocess-bad-exit");
    let mut testee = toy("bad-exit", TIMEOUT);
    let report = run(&corpus, &mut testee, &RunOptions::default()).unwrap();
    assert_eq!(report.totals.passed, 5);
    assert!(!report.is_success());
    assert_eq!(
        report.protocol_error.as_deref(),
        Some("testee did not finish cleanly at end of input: exit status: 4")
    );
    assert!(report.to_text().contains("result: FAILED (protocol error)"));
}

#[test]
fn output_after_the_last_response_fails_the_run() {
    let corpus = fixture_corpus("subprocess-extra-output");
    let mut testee = toy("extra-output", TIMEOUT);
    let report = run(&corpus, &mut testee, &RunOptions::default()).unwrap();
    let error = report.protocol_error.as_deref().unwrap();
    assert!(
        error.contains("output after the last response: {\"seq\": 99"),
        "{error}"
    );
}

#[test]
fn a_program_that_ignores_end_of_input_is_killed_after_the_grace_period() {
    let mut testee = toy("ignore-eof", TIMEOUT).with_grace(Duration::from_millis(300));
    testee.exchange(&Request::hello()).unwrap();
    let started = Instant::now();
    let err = testee.close().unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let DriverError::BadExit { problem, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(problem, "still running 300ms after end of input; killed");
}

#[test]
fn drop_closes_stdin_and_kills_a_program_that_stays() {
    let testee = toy("ignore-eof", TIMEOUT).with_grace(Duration::from_millis(300));
    let pid = testee.id();
    assert!(PathBuf::from(format!("/proc/{pid}")).exists());
    let started = Instant::now();
    drop(testee);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    // Killed and reaped: the process is gone.
    assert!(!PathBuf::from(format!("/proc/{pid}")).exists());

    // A well-behaved program exits by itself on end of input.
    let mut testee = toy("ok", TIMEOUT);
    testee.exchange(&Request::hello()).unwrap();
    testee.close().unwrap();
}

#[test]
fn a_missing_program_cannot_be_spawned() {
    let err = Subprocess::spawn("./no-such-testee --flag", TIMEOUT).unwrap_err();
    assert!(
        matches!(err, DriverError::Spawn { ref program, .. } if program == "./no-such-testee"),
        "{err:?}"
    );
    let err = Subprocess::spawn("python3 'unterminated", TIMEOUT).unwrap_err();
    assert!(matches!(err, DriverError::CommandLine { .. }), "{err:?}");
}
