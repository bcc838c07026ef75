#![doc = include_str!("../README.md")]

pub mod compare;
pub mod driver;
pub mod expected;
pub mod glob;
pub mod kraken_spot;
pub mod leak;
pub mod manifest;
pub mod matrix;
pub mod protocol;
pub mod report;
pub mod run;

pub use driver::{DriverError, InProcess, Subprocess, Testee};
pub use expected::{
    EntryKind, ExpectedFailure, ExpectedFailures, ExpectedFailuresError, FixSummary,
    leading_comments, render_file,
};
pub use report::{Report, Totals, VectorResult};
pub use run::{RunError, RunOptions, run};

use auth_vectors::{Corpus, workspace_vectors_dir};

/// Runs this repository's corpus (selected by `options`) against `testee` and panics with the full terminal report
/// if the run failed (an unexpected failure or pass, a protocol violation) or if no vector passed.
///
/// Meant for `#[test]`s: panicking is its contract.
#[allow(
    clippy::panic,
    reason = "a test assertion: the panic message is the report"
)]
pub fn assert_testee_conforms(testee: &mut dyn Testee, options: &RunOptions) {
    let dir = workspace_vectors_dir();
    let corpus = match Corpus::load(&dir) {
        Ok(corpus) => corpus,
        Err(error) => panic!("cannot load the corpus at {}: {error}", dir.display()),
    };
    let report = match run(&corpus, testee, options) {
        Ok(report) => report,
        Err(error) => panic!("conformance run failed: {error}"),
    };
    if !report.is_success() || report.totals.passed == 0 {
        panic!("conformance run failed:\n{}", report.to_text());
    }
}
