//! The repository's own corpus loads and lints clean against the repository's own spec.

use auth_vectors::{Corpus, lint, workspace_spec_dir, workspace_vectors_dir};

#[test]
fn repository_corpus_loads_and_lints_clean() {
    let corpus = Corpus::load(&workspace_vectors_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        corpus.schemes().contains(&"kraken-spot"),
        "{:?}",
        corpus.schemes()
    );
    assert!(!corpus.is_empty());
    let report = lint(&corpus, &workspace_spec_dir());
    assert!(
        report.is_clean(),
        "cargo xtask vectors lint would say:\n{report}"
    );
    // The kraken-spot requirements are defined and covered.
    let summary = report.coverage_summary();
    let kspot = summary
        .0
        .iter()
        .find(|p| p.prefix == "KSPOT")
        .expect("KSPOT requirements");
    assert!(kspot.covered > 0 && kspot.uncovered.is_empty(), "{summary}");
}

#[test]
fn workspace_dirs_point_into_this_repository() {
    let vectors = workspace_vectors_dir();
    let spec = workspace_spec_dir();
    assert_eq!(vectors.parent(), spec.parent());
    assert!(vectors.parent().unwrap().join("Cargo.toml").is_file());
    assert!(spec.join("vector.schema.json").is_file());
}
