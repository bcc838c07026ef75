//! The conformance matrix built from real runs of the fixture corpus: its JSON validates against
//! `spec/conformance-matrix.schema.json`, its divergences are the listed entries with the vectors that failed as
//! they say, a testee that did not run fails it, and the HTML and JUnit renderings carry every row and column.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

mod common;

use auth_conformance::leak::{LeakWatch, SecretSet};
use auth_conformance::manifest::Manifest;
use auth_conformance::matrix::{Column, Matrix};
use auth_conformance::protocol::{Request, Response};
use auth_conformance::{ExpectedFailures, InProcess, Report, RunOptions, run};
use boon::{Compiler, Schemas};
use common::{Bug, fixture_corpus, toy};
use serde_json::Value;

const SCHEMA_ID: &str = "https://authspec.invalid/conformance-matrix.schema.json";

const MANIFEST: &str = r#"
name: toy-lib
summary: A toy library that refuses nothing.
library: {name: toy-lib, version: "1.0.0", registry: pypi, source: "https://example.invalid/toy-lib"}
third_party: true
runtime: python-venv
program: testee.py
"#;

const LIST: &str = r#"
- id: toy-mac/basic/empty-key
  code: ~
  reason: signs with an empty key
  kind: divergence
  evidence: toy_lib/sign.py sign() at 1.0.0 never checks the key
"#;

fn run_toy(corpus: &auth_vectors::Corpus, bug: Bug, list: &ExpectedFailures) -> Report {
    let mut testee = InProcess::new(move |request: &Request| -> Response { toy(bug, request) });
    let options = RunOptions {
        expected_failures: list.clone(),
        ..RunOptions::default()
    };
    run(corpus, &mut testee, &options).unwrap()
}

fn matrix(corpus: &auth_vectors::Corpus) -> (Matrix, Vec<Report>) {
    let none = ExpectedFailures::none();
    let list = ExpectedFailures::parse(LIST).unwrap();
    let reference = run_toy(corpus, Bug::None, &none);
    let lenient = run_toy(corpus, Bug::AcceptsEmptyKey, &list);
    assert!(lenient.is_success(), "{}", lenient.to_text());
    let manifest = Manifest::parse(MANIFEST).unwrap();
    let runs = vec![
        (
            Column::ran("reference", None, None, &none, &reference, Vec::new()),
            Some(reference.clone()),
        ),
        (
            Column::ran(
                "toy-lib",
                Some(manifest.clone()),
                Some("testees/toy-lib/expected-failures.yaml".into()),
                &list,
                &lenient,
                Vec::new(),
            ),
            Some(lenient.clone()),
        ),
    ];
    (Matrix::new(corpus, runs), vec![reference, lenient])
}

fn validate(json: &str) {
    let path = common::repo_root().join("spec/conformance-matrix.schema.json");
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(schema["$id"], SCHEMA_ID);
    let mut compiler = Compiler::new();
    compiler.add_resource(SCHEMA_ID, schema).unwrap();
    let mut schemas = Schemas::new();
    let index = compiler.compile(SCHEMA_ID, &mut schemas).unwrap();
    let value: Value = serde_json::from_str(json).unwrap();
    if let Err(error) = schemas.validate(&value, index) {
        panic!("matrix JSON does not match the schema: {error:#}");
    }
}

#[test]
fn the_matrix_json_has_the_schemas_shape_and_records_divergences() {
    let (matrix, _) = matrix(&fixture_corpus("matrix-json"));
    assert!(matrix.is_success());
    let json = matrix.to_json().unwrap();
    validate(&json);
    let toy_lib = &matrix.testees[1];
    assert_eq!(toy_lib.divergences.len(), 1);
    assert_eq!(toy_lib.divergences[0].vectors, ["toy-mac/basic/empty-key"]);
    let row = matrix
        .vectors
        .iter()
        .find(|r| r.id == "toy-mac/basic/empty-key")
        .unwrap();
    assert_eq!(row.expect, "error key-empty");
    assert_eq!(row.results["reference"]["status"], "pass");
    assert_eq!(row.results["toy-lib"]["status"], "expected_failure");
    // Vectors of a scheme nobody implements are skipped in every column, never passed.
    let foreign = matrix
        .vectors
        .iter()
        .find(|r| r.scheme == "other-scheme")
        .unwrap();
    assert!(foreign.results.values().all(|o| o["status"] == "skipped"));
    let text = matrix.to_text();
    assert!(
        text.contains("toy-lib: toy-mac/basic/empty-key (1 vectors): signs with an empty key"),
        "{text}"
    );
    assert!(text.contains("matrix: ok (2 testees, "), "{text}");
}

#[test]
fn a_testee_that_did_not_run_or_leaked_fails_the_matrix() {
    let corpus = fixture_corpus("matrix-not-run");
    let (matrix, reports) = matrix(&corpus);
    let mut runs: Vec<(Column, Option<Report>)> = matrix
        .testees
        .into_iter()
        .zip(reports.iter().cloned().map(Some))
        .collect();
    runs.push((
        Column::not_run(
            "absent",
            Some(Manifest::parse(&MANIFEST.replace("toy-lib", "absent")).unwrap()),
            None,
            "testee `absent` is not installed (run `cargo xtask testees install`)".into(),
        ),
        None,
    ));
    let failed = Matrix::new(&corpus, runs);
    assert!(!failed.is_success());
    validate(&failed.to_json().unwrap());
    assert!(
        failed
            .to_text()
            .contains("NOT RUN: testee `absent` is not installed")
    );
    let junit = failed.to_junit(&reports.iter().collect::<Vec<_>>());
    assert!(junit.contains("<testsuite name=\"absent/run\""), "{junit}");
    assert!(
        junit.contains("<testsuite name=\"toy-lib/toy-mac\""),
        "{junit}"
    );
    assert!(
        junit.contains("classname=\"toy-lib.toy-mac.basic\""),
        "{junit}"
    );

    // A testee that echoes a secret in its answers: the watch finds it and the column fails.
    let mut secrets = SecretSet::new();
    secrets.learn("toy", &serde_json::json!({"secret": "X-Toy-Sig"}));
    let mut leaky = InProcess::new(|request: &Request| toy(Bug::None, request));
    let mut watch = LeakWatch::new(&mut leaky, secrets);
    let report = run(&corpus, &mut watch, &RunOptions::default()).unwrap();
    let (_, leaks) = watch.finish();
    assert!(
        !leaks.is_empty(),
        "every signature answer names the header `X-Toy-Sig`"
    );
    assert!(
        leaks[0].location.contains("result.headers.X-Toy-Sig"),
        "{leaks:?}"
    );
    let column = Column::ran(
        "leaky",
        None,
        None,
        &ExpectedFailures::none(),
        &report,
        leaks,
    );
    assert!(report.is_success() && !column.is_success());
}

#[test]
fn the_html_page_is_self_contained_and_holds_every_cell() {
    let (matrix, _) = matrix(&fixture_corpus("matrix-html"));
    let html = matrix.to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["<link", "src=\"http", "@import", "url("] {
        assert!(!html.contains(external), "external reference `{external}`");
    }
    assert_eq!(html.matches("<tr data-r=").count(), matrix.vectors.len());
    assert_eq!(
        html.matches("<td class=\"c ").count(),
        matrix.vectors.len() * matrix.testees.len()
    );
    // The details island is JSON, holds exactly the non-passing, non-skipped cells, and cannot close its script.
    let start = html
        .find("<script type=\"application/json\" id=\"details\">")
        .unwrap();
    let island = &html[start..];
    let island = &island[island.find('>').unwrap() + 1..island.find("</script>").unwrap()];
    let details: Value = serde_json::from_str(island).unwrap();
    let details = details.as_object().unwrap();
    assert_eq!(details.len(), 1);
    let (key, detail) = details.iter().next().unwrap();
    assert_eq!(detail["testee"], "toy-lib");
    assert_eq!(detail["outcome"]["status"], "expected_failure");
    assert!(html.contains(&format!("data-r=\"{}\"", key.split(':').next().unwrap())));
    assert!(html.contains("toy_lib/sign.py sign() at 1.0.0 never checks the key"));
}
