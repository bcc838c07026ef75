//! The whole corpus against the reference implementation, inside `cargo test`, through the same protocol
//! types any other testee uses (the in-process driver). Every vector and scenario must pass: none failed, none
//! skipped.

use auth_conformance::{InProcess, RunOptions, run};
use auth_vectors::{Corpus, workspace_vectors_dir};

#[test]
fn reference_passes_the_whole_corpus() {
    let corpus = Corpus::load(&workspace_vectors_dir()).unwrap();
    let mut testee = InProcess::new(auth_testee::handle);
    let report = run(&corpus, &mut testee, &RunOptions::default()).unwrap();
    let text = report.to_text();
    assert!(report.is_success(), "{text}");
    assert_eq!(report.totals.failed, 0, "{text}");
    assert_eq!(
        report.totals.skipped, 0,
        "the reference implements every op of its schemes:\n{text}"
    );
    assert_eq!(
        report.totals.passed,
        corpus.len() + corpus.len_scenarios(),
        "{text}"
    );
    assert!(report.totals.passed >= 60, "{text}");
}

#[test]
fn hello_names_the_implemented_schemes() {
    let hello = auth_testee::hello();
    assert_eq!(hello.name, auth_testee::NAME);
    assert_eq!(
        hello.schemes,
        [
            "kraken-spot",
            "kraken-futures",
            "kraken-v5",
            "kazoo-crossbar",
            "haivision-session"
        ]
    );
}
