//! The conformance matrix: every testee's run over the same corpus, side by side (`cargo xtask conformance
//! --all-testees`; format in `spec/conformance-report.md`, section 9).
//!
//! A [`Matrix`] is built from the corpus (its rows) and one [`Column`] per testee: the testee's manifest, its
//! [`Report`] (or why it could not run), the secret leaks found and the divergences its expected-failures list
//! records. It renders as JSON ([`Matrix::to_json`]), JUnit ([`Matrix::to_junit`]: one suite per testee and
//! scheme), a self-contained HTML page ([`Matrix::to_html`]) and a terminal summary ([`Matrix::to_text`]). Like
//! a report it holds no timings and no absolute paths, so the same runs render the same bytes.

mod html;

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use auth_vectors::Corpus;
use auth_vectors::model::Expected;

use crate::compare::Outcome;
use crate::expected::{EntryKind, ExpectedFailure, ExpectedFailures};
use crate::leak::Leak;
use crate::manifest::Manifest;
use crate::protocol::PROTOCOL_VERSION;
use crate::report::Report;
use crate::report::junit::{escape, render_suites};
use crate::run::SCENARIO_OP;

/// The version of the matrix JSON shape (`format` in the JSON).
pub const MATRIX_FORMAT: u32 = 1;

/// Every testee's verdicts on the whole corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matrix {
    /// Matrix format version ([`MATRIX_FORMAT`]).
    pub format: u32,
    /// Testee protocol version spoken.
    pub protocol: u32,
    /// Whether every column succeeded ([`Column::is_success`]).
    pub success: bool,
    /// The testees, in run order (the reference first).
    pub testees: Vec<Column>,
    /// The corpus's vectors and scenarios, in corpus order, with each testee's verdict.
    pub vectors: Vec<Row>,
}

/// One testee's run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The testee's name (its folder under `testees/`, or `reference`).
    pub name: String,
    /// What it puts under test (absent for the reference, which is built from this workspace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Manifest>,
    /// Its expected-failures file, relative to the repository root (absent when it has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_failures: Option<String>,
    /// The testee's hello, its totals and its protocol error: the run's report without its vectors (which are in
    /// the rows). Absent when the testee could not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<RunSummary>,
    /// Why the testee could not run (not installed, refused the handshake, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// Secrets found where they do not belong.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaks: Vec<Leak>,
    /// The divergences the testee's expected-failures list records, each with the vectors that showed it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub divergences: Vec<Divergence>,
    /// Whether this column succeeded.
    pub success: bool,
}

/// A run's report without its per-vector verdicts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// The testee's hello.
    pub hello: crate::protocol::Hello,
    /// The run's counts.
    pub totals: crate::report::Totals,
    /// The protocol violation, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_error: Option<String>,
}

/// A divergence recorded in an expected-failures list, with the vectors that failed as it says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    /// The entry as listed.
    pub entry: ExpectedFailure,
    /// The vectors it matched that failed as described in this run.
    pub vectors: Vec<String>,
}

/// One vector or scenario of the corpus, with every testee's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Vector or scenario id.
    pub id: String,
    /// Scheme id.
    pub scheme: String,
    /// Protocol op (`scenario` for a scenario).
    pub op: String,
    /// The vector's description.
    pub description: String,
    /// Requirement ids it covers.
    pub requirements: Vec<String>,
    /// What a conforming implementation answers: `result`, `error <code>`, or `scenario of N steps`.
    pub expect: String,
    /// Testee name to verdict, for every testee that ran (the report's `outcome` object).
    pub results: serde_json::Map<String, serde_json::Value>,
}

impl Column {
    /// A testee that ran: its report, leaks, and the divergences of its list (`list` is the list the run used).
    pub fn ran(
        name: &str,
        manifest: Option<Manifest>,
        expected_failures: Option<String>,
        list: &ExpectedFailures,
        report: &Report,
        leaks: Vec<Leak>,
    ) -> Self {
        let divergences = list
            .entries()
            .iter()
            .filter(|entry| entry.kind == EntryKind::Divergence)
            .map(|entry| Divergence {
                entry: entry.clone(),
                vectors: report
                    .vectors
                    .iter()
                    .filter(|v| matches!(v.outcome, Outcome::ExpectedFailure { .. }))
                    .filter(|v| {
                        list.entry_for(&v.id)
                            .is_some_and(|e| std::ptr::eq(e, entry))
                    })
                    .map(|v| v.id.clone())
                    .collect(),
            })
            .collect();
        let success = report.is_success() && leaks.is_empty();
        Column {
            name: name.to_owned(),
            manifest,
            expected_failures,
            run: Some(RunSummary {
                hello: report.testee.clone(),
                totals: report.totals,
                protocol_error: report.protocol_error.clone(),
            }),
            problem: None,
            leaks,
            divergences,
            success,
        }
    }

    /// A testee that could not run, and why.
    pub fn not_run(
        name: &str,
        manifest: Option<Manifest>,
        expected_failures: Option<String>,
        problem: String,
    ) -> Self {
        Column {
            name: name.to_owned(),
            manifest,
            expected_failures,
            run: None,
            problem: Some(problem),
            leaks: Vec::new(),
            divergences: Vec::new(),
            success: false,
        }
    }

    /// Whether the testee ran, conformed up to its expected-failures list, and leaked no secret.
    pub fn is_success(&self) -> bool {
        self.success
    }

    /// Whether the library under test is someone else's.
    pub fn third_party(&self) -> bool {
        self.manifest.as_ref().is_some_and(|m| m.third_party)
    }
}

impl Matrix {
    /// The matrix of `corpus` with `runs`: each column with the report it ran (`None` when it could not run).
    pub fn new(corpus: &Corpus, runs: Vec<(Column, Option<Report>)>) -> Self {
        let mut vectors: Vec<Row> = Vec::new();
        for file in corpus.files() {
            let scheme = &file.file.scheme;
            for vector in &file.file.vectors {
                vectors.push(Row {
                    id: vector.id.clone(),
                    scheme: scheme.clone(),
                    op: vector.op.clone(),
                    description: vector.description.clone(),
                    requirements: vector.requirements.clone(),
                    expect: match &vector.expected {
                        Expected::Result(_) => "result".to_owned(),
                        Expected::Error(error) => format!("error {}", error.code),
                    },
                    results: serde_json::Map::new(),
                });
            }
            for scenario in &file.file.scenarios {
                vectors.push(Row {
                    id: scenario.id.clone(),
                    scheme: scheme.clone(),
                    op: SCENARIO_OP.to_owned(),
                    description: scenario.description.clone(),
                    requirements: scenario.requirements.clone(),
                    expect: format!("scenario of {} steps", scenario.steps.len()),
                    results: serde_json::Map::new(),
                });
            }
        }
        let mut testees = Vec::with_capacity(runs.len());
        for (column, report) in runs {
            if let Some(report) = report {
                let by_id: std::collections::HashMap<&str, &Outcome> = report
                    .vectors
                    .iter()
                    .map(|v| (v.id.as_str(), &v.outcome))
                    .collect();
                for row in &mut vectors {
                    if let Some(outcome) = by_id.get(row.id.as_str()) {
                        let value = serde_json::to_value(outcome).unwrap_or_default();
                        row.results.insert(column.name.clone(), value);
                    }
                }
            }
            testees.push(column);
        }
        let success = !testees.is_empty() && testees.iter().all(Column::is_success);
        Matrix {
            format: MATRIX_FORMAT,
            protocol: PROTOCOL_VERSION,
            success,
            testees,
            vectors,
        }
    }

    /// Replaces every secret of `secrets` anywhere in the matrix (answers, reasons, expected-failure entries,
    /// problems) with [`crate::leak::REDACTED`].
    pub fn redact(&mut self, secrets: &crate::leak::SecretSet) {
        secrets.redact_data(self);
    }

    /// Whether every testee ran and succeeded.
    pub fn is_success(&self) -> bool {
        self.success
    }

    /// The JSON matrix (pretty-printed).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|mut json| {
            json.push('\n');
            json
        })
    }

    /// The self-contained HTML page.
    pub fn to_html(&self) -> String {
        html::render(self)
    }

    /// JUnit XML: for each testee, one suite per scheme named `<testee>/<scheme>`; a testee that could not run is
    /// a suite `<testee>/run` with one `<error>`; a leak is a `<failure>` in a suite `<testee>/secrets`.
    pub fn to_junit(&self, reports: &[&Report]) -> String {
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(out, "<testsuites name=\"authspec conformance matrix\">");
        let mut reports = reports.iter();
        for column in &self.testees {
            let prefix = format!("{}/", column.name);
            if column.run.is_some()
                && let Some(report) = reports.next()
            {
                render_suites(&mut out, report, &prefix);
            }
            if let Some(problem) = &column.problem {
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{0}run\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    \
                     <testcase classname=\"{0}run\" name=\"{0}run\">\n      <error message=\"{1}\"/>\n    \
                     </testcase>\n  </testsuite>",
                    escape(&prefix),
                    escape(problem)
                );
            }
            if !column.leaks.is_empty() {
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{0}secrets\" tests=\"{1}\" failures=\"{1}\" errors=\"0\" skipped=\"0\">",
                    escape(&prefix),
                    column.leaks.len()
                );
                for (index, leak) in column.leaks.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "    <testcase classname=\"{0}secrets\" name=\"{0}leak-{1}\">\n      \
                         <failure type=\"secret-leak\" message=\"{2}\"/>\n    </testcase>",
                        escape(&prefix),
                        index + 1,
                        escape(&format!(
                            "{} at {}: {}",
                            leak.source, leak.location, leak.secret
                        ))
                    );
                }
                let _ = writeln!(out, "  </testsuite>");
            }
        }
        out.push_str("</testsuites>\n");
        out
    }

    /// The terminal summary: one line per testee, the divergences of third-party libraries, the leaks, and the
    /// verdict.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let width = self
            .testees
            .iter()
            .map(|c| c.name.len())
            .max()
            .unwrap_or(0)
            .max(6);
        let _ = writeln!(
            out,
            "{:width$}  {:>6} {:>6} {:>7} {:>6} {:>5}  verdict",
            "testee", "passed", "failed", "skipped", "xfail", "leaks"
        );
        for column in &self.testees {
            let verdict = match (&column.problem, column.success) {
                (Some(problem), _) => format!("NOT RUN: {problem}"),
                (None, true) => "ok".to_owned(),
                (None, false) => "FAILED".to_owned(),
            };
            match &column.run {
                Some(run) => {
                    let t = run.totals;
                    let _ = writeln!(
                        out,
                        "{:width$}  {:>6} {:>6} {:>7} {:>6} {:>5}  {verdict}",
                        column.name,
                        t.passed,
                        t.failed,
                        t.skipped,
                        t.expected_failures,
                        column.leaks.len()
                    );
                }
                None => {
                    let _ = writeln!(out, "{:width$}  {verdict}", column.name);
                }
            }
        }
        let divergent: Vec<&Column> = self
            .testees
            .iter()
            .filter(|c| c.third_party() && !c.divergences.is_empty())
            .collect();
        if !divergent.is_empty() {
            let _ = writeln!(
                out,
                "\nthird-party divergences (from the expected-failures lists):"
            );
            for column in divergent {
                for divergence in &column.divergences {
                    let _ = writeln!(
                        out,
                        "  {}: {} ({} vectors): {}",
                        column.name,
                        divergence.entry.id,
                        divergence.vectors.len(),
                        divergence.entry.reason
                    );
                }
            }
        }
        for column in &self.testees {
            for leak in &column.leaks {
                let _ = writeln!(
                    out,
                    "LEAK {}: {} at {}: {}",
                    column.name, leak.source, leak.location, leak.secret
                );
            }
        }
        let _ = writeln!(
            out,
            "\nmatrix: {} ({} testees, {} vectors and scenarios)",
            if self.success { "ok" } else { "FAILED" },
            self.testees.len(),
            self.vectors.len()
        );
        out
    }
}
