//! The real corpus against the independent Python implementation (`testees/python-spec/testee.py`), through the
//! subprocess driver.
//!
//! (a) The unmodified testee must pass every vector: this is how each computed vector gets confirmed by an
//! implementation that shares no code with the generator or the Rust crates. (b) Each planted bug (`--mutant`) must
//! fail the run, and the report must name the stage where that bug first shows. Requires python3: without it
//! these tests fail, they do not skip.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

mod common;

use std::time::Duration;

use auth_conformance::compare::Outcome;
use auth_conformance::{Report, RunOptions, Subprocess, run};
use auth_vectors::{Corpus, workspace_vectors_dir};

fn run_python_spec(extra_args: &str) -> Report {
    let corpus = Corpus::load(&workspace_vectors_dir()).unwrap();
    let script = common::repo_root().join("testees/python-spec/testee.py");
    let command_line = format!("python3 '{}' {extra_args}", script.display());
    let mut testee = Subprocess::spawn(&command_line, Duration::from_secs(30)).unwrap();
    run(&corpus, &mut testee, &RunOptions::default()).unwrap()
}

#[test]
fn python_spec_passes_the_whole_corpus() {
    let report = run_python_spec("");
    assert_eq!(report.testee.name, "python-spec");
    assert!(report.is_success(), "{}", report.to_text());
    assert_eq!(report.totals.failed, 0, "{}", report.to_text());
    assert!(
        report.totals.passed >= 60,
        "only {} vectors passed",
        report.totals.passed
    );
}

fn assert_mutant_caught_at(mutant: &str, stage: &str) {
    let report = run_python_spec(&format!("--mutant {mutant}"));
    assert!(
        !report.is_success(),
        "mutant {mutant} passed:\n{}",
        report.to_text()
    );
    assert!(
        report.protocol_error.is_none(),
        "{:?}",
        report.protocol_error
    );
    let stages: Vec<(&str, &str)> = report
        .vectors
        .iter()
        .filter(|v| v.scheme == "kraken-spot" && v.op == "sign")
        .filter_map(|v| match &v.outcome {
            Outcome::Fail(failure) => failure
                .first_differing_stage
                .as_ref()
                .map(|s| (v.id.as_str(), s.name.as_str())),
            _ => None,
        })
        .collect();
    assert!(
        !stages.is_empty(),
        "mutant {mutant}: no sign vector named a differing stage:\n{}",
        report.to_text()
    );
    for (id, name) in &stages {
        assert_eq!(
            *name, stage,
            "mutant {mutant}: {id} first differs at `{name}`, not `{stage}`"
        );
    }
}

#[test]
fn undecoded_secret_is_caught_at_hmac_key() {
    assert_mutant_caught_at("undecoded-secret", "hmac_key");
}

#[test]
fn hex_digest_is_caught_at_hmac_message() {
    assert_mutant_caught_at("hex-digest", "hmac_message");
}

#[test]
fn missing_nonce_prefix_is_caught_at_sha256_input() {
    assert_mutant_caught_at("no-nonce-prefix", "sha256_input");
}
