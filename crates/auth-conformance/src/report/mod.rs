//! The result of a run, and its three renderings: terminal text ([`Report::to_text`]), JSON ([`Report::to_json`],
//! shape in `spec/conformance-report.md`) and JUnit XML ([`Report::to_junit`]).
//!
//! A report is plain data in corpus order, with no timings and no paths, so the same run always renders the same
//! bytes.

pub(crate) mod junit;
pub(crate) mod text;

use serde::{Deserialize, Serialize};

use crate::compare::Outcome;
use crate::protocol::{Hello, PROTOCOL_VERSION};

/// The version of the JSON report shape (`format` in the JSON).
pub const REPORT_FORMAT: u32 = 1;

/// Everything a run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// JSON report format version ([`REPORT_FORMAT`]).
    pub format: u32,
    /// Testee protocol version spoken.
    pub protocol: u32,
    /// The testee's handshake answer.
    pub testee: Hello,
    /// The protocol violation that ended the run early or spoiled its end, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_error: Option<String>,
    /// Counts over `vectors`.
    pub totals: Totals,
    /// Whether the run succeeded ([`Report::is_success`]); derived, written for consumers of the JSON.
    pub success: bool,
    /// One entry per selected vector and scenario, in corpus order (each file's vectors, then its scenarios).
    pub vectors: Vec<VectorResult>,
}

/// The verdict on one vector, with what a report needs to describe it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VectorResult {
    /// Vector id.
    pub id: String,
    /// Scheme id.
    pub scheme: String,
    /// Protocol op (`scenario` for a scenario).
    pub op: String,
    /// The vector's description.
    pub description: String,
    /// Requirement ids the vector covers.
    pub requirements: Vec<String>,
    /// The verdict.
    pub outcome: Outcome,
    /// For a scenario: its number of steps (absent for a vector).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<usize>,
}

/// Counts of verdicts. `failed` counts everything that fails the run: mismatches, protocol failures and
/// unexpected passes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Vectors that passed.
    pub passed: usize,
    /// Unexpected failures, unexpected passes included.
    pub failed: usize,
    /// Vectors not run (skipped by the testee, or of a scheme it does not implement).
    pub skipped: usize,
    /// Vectors that failed as the expected-failures list says.
    pub expected_failures: usize,
    /// Listed vectors that passed (also counted in `failed`).
    pub unexpected_passes: usize,
}

impl Totals {
    /// Counts the verdicts of `vectors`.
    pub fn count(vectors: &[VectorResult]) -> Self {
        let mut totals = Totals::default();
        for vector in vectors {
            match vector.outcome {
                Outcome::Pass => totals.passed += 1,
                Outcome::Fail(_) => totals.failed += 1,
                Outcome::Skipped { .. } => totals.skipped += 1,
                Outcome::ExpectedFailure { .. } => totals.expected_failures += 1,
                Outcome::UnexpectedPass { .. } => {
                    totals.failed += 1;
                    totals.unexpected_passes += 1;
                }
            }
        }
        totals
    }

    /// Vectors the testee actually answered and were judged (passed, failed or expected failures).
    pub fn executed(&self) -> usize {
        self.passed + self.failed + self.expected_failures
    }
}

impl Report {
    /// Builds a report, counting totals and deciding success.
    pub fn new(testee: Hello, vectors: Vec<VectorResult>, protocol_error: Option<String>) -> Self {
        let totals = Totals::count(&vectors);
        let mut report = Report {
            format: REPORT_FORMAT,
            protocol: PROTOCOL_VERSION,
            testee,
            protocol_error,
            totals,
            success: false,
            vectors,
        };
        report.success = report.is_success();
        report
    }

    /// Whether the run succeeded: no unexpected failure or pass, no protocol violation, and at least one vector
    /// executed (a run that checks nothing fails).
    pub fn is_success(&self) -> bool {
        self.totals.failed == 0 && self.protocol_error.is_none() && self.totals.executed() > 0
    }

    /// Replaces every secret of `secrets` in the report's answers, diffs, reasons and protocol error with
    /// [`crate::leak::REDACTED`], so no report shows a secret a testee was given (section 8 of
    /// `spec/conformance-report.md`).
    pub fn redact(&mut self, secrets: &crate::leak::SecretSet) {
        secrets.redact_data(self);
    }

    /// The JSON report (pretty-printed, shape in `spec/conformance-report.md`).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|mut json| {
            json.push('\n');
            json
        })
    }

    /// The terminal report; its last line is exactly `N passed, N failed, N skipped`.
    pub fn to_text(&self) -> String {
        text::render(self)
    }

    /// The JUnit XML report: one `testsuite` per scheme, one `testcase` per vector.
    pub fn to_junit(&self) -> String {
        junit::render(self)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}
