//! The examples in `spec/conformance-report.md` are real: the expected-failures example parses and every entry
//! matches a vector of the corpus, and the JSON report example has the shape `Report` reads.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

mod common;

use auth_conformance::{ExpectedFailures, Report};
use auth_vectors::{Corpus, workspace_vectors_dir};

fn fenced_block(doc: &str, language: &str, containing: &str) -> String {
    let fence = format!("```{language}\n");
    doc.split(&fence)
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap().to_owned())
        .find(|block| block.contains(containing))
        .unwrap_or_else(|| panic!("no ```{language} block containing {containing:?}"))
}

fn doc() -> String {
    std::fs::read_to_string(common::repo_root().join("spec/conformance-report.md")).unwrap()
}

#[test]
fn the_expected_failures_example_parses_and_matches_the_corpus() {
    let list = ExpectedFailures::parse(&fenced_block(&doc(), "yaml", "reason:")).unwrap();
    assert_eq!(list.entries().len(), 4);
    assert_eq!(
        list.entries()[3].kind,
        auth_conformance::EntryKind::Divergence
    );
    let corpus = Corpus::load(&workspace_vectors_dir()).unwrap();
    let ids: Vec<&str> = corpus.vectors().map(|(_, v)| v.id.as_str()).collect();
    assert!(
        list.unmatched(&ids).is_empty(),
        "{:?}",
        list.unmatched(&ids)
    );
}

#[test]
fn the_json_report_example_has_the_reports_shape() {
    let report: Report =
        serde_json::from_str(&fenced_block(&doc(), "json", "\"format\": 1")).unwrap();
    assert_eq!(report.format, 1);
    assert_eq!(report.vectors.len(), 2);
}
