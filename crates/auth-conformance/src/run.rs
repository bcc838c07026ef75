//! One conformance run: handshake, then every selected vector in corpus order, then the report.
//!
//! Contract:
//! - The selection (`--scheme`, `--id` glob) and the expected-failures list are checked against the corpus before
//!   anything is sent: a selection that matches nothing, or an entry that matches no vector of the corpus, is a
//!   [`RunError`].
//! - The handshake sends `hello` with protocol version 1; the answer must be a `result` that parses as
//!   [`Hello`]. Vectors of schemes the hello does not list are skipped without being sent.
//! - Requests carry `seq` 1, 2, ... in the order they are sent.
//! - After a driver error (the testee broke the protocol, died or hung), nothing more is sent: that vector and every
//!   remaining one that would have been sent fail with that cause, and the run fails.
//! - Scenarios run after their file's vectors (so in file order), step by step, each step an ordinary request with
//!   id `<scenario id>#<step name>` and its `${var}`s substituted; a scenario is one entry of the report
//!   ([`run_scenario`]).
//! - At the end the testee is closed ([`Testee::close`]); a bad exit spoils an otherwise green run.

use std::collections::BTreeMap;

use auth_vectors::model::{Expected, Scenario, Vector, VectorFile};
use auth_vectors::{Corpus, vars};

use crate::compare::{Failure, FailureKind, Outcome, compare, compare_expected};
use crate::driver::{DriverError, Testee};
use crate::expected::ExpectedFailures;
use crate::glob::glob_match;
use crate::protocol::{self, Hello, PROTOCOL_VERSION, Request};
use crate::report::{Report, VectorResult};

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Run only the vectors of this scheme.
    pub scheme: Option<String>,
    /// Run only the vectors whose whole id matches this glob (`*`, `?`).
    pub id_glob: Option<String>,
    /// Vectors known to fail, and how.
    pub expected_failures: ExpectedFailures,
}

/// Why a run could not produce a report.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The selection matched no vector of the corpus.
    #[error("no vector matches {selection}")]
    EmptySelection {
        /// The selection, described (`--scheme kraken-futures`, `--id 'kraken-spot/x*'`).
        selection: String,
    },
    /// Expected-failure entries that match no vector of the corpus.
    #[error("expected-failure entries match no vector of the corpus: {}", ids.join(", "))]
    UnmatchedExpectedFailures {
        /// The entries' `id`s.
        ids: Vec<String>,
    },
    /// The handshake failed at the driver level.
    #[error("handshake failed: {0}")]
    Handshake(#[source] DriverError),
    /// The testee answered the handshake, but not with a usable hello result.
    #[error("handshake refused: {0}")]
    HelloRefused(String),
}

/// Runs the selected vectors and scenarios of `corpus` against `testee`.
pub fn run(
    corpus: &Corpus,
    testee: &mut dyn Testee,
    options: &RunOptions,
) -> Result<Report, RunError> {
    let ids: Vec<&str> = corpus
        .vectors()
        .map(|(_, vector)| vector.id.as_str())
        .chain(corpus.scenarios().map(|(_, scenario)| scenario.id.as_str()))
        .collect();
    let unmatched = options.expected_failures.unmatched(&ids);
    if !unmatched.is_empty() {
        return Err(RunError::UnmatchedExpectedFailures {
            ids: unmatched.iter().map(|e| e.id.clone()).collect(),
        });
    }
    // Each file's vectors, then its scenarios, files in corpus order.
    let selected: Vec<(&VectorFile, Unit<'_>)> = corpus
        .files()
        .iter()
        .flat_map(|f| {
            f.file
                .vectors
                .iter()
                .map(|v| (&f.file, Unit::Vector(v)))
                .chain(
                    f.file
                        .scenarios
                        .iter()
                        .map(|s| (&f.file, Unit::Scenario(s))),
                )
        })
        .filter(|(file, _)| {
            options
                .scheme
                .as_ref()
                .is_none_or(|scheme| file.scheme == *scheme)
        })
        .filter(|(_, unit)| {
            options
                .id_glob
                .as_ref()
                .is_none_or(|glob| glob_match(glob, unit.id()))
        })
        .collect();
    if selected.is_empty() {
        let mut selection = Vec::new();
        if let Some(scheme) = &options.scheme {
            selection.push(format!("--scheme {scheme}"));
        }
        if let Some(glob) = &options.id_glob {
            selection.push(format!("--id '{glob}'"));
        }
        if selection.is_empty() {
            selection.push("the corpus (it has no vectors)".to_owned());
        }
        return Err(RunError::EmptySelection {
            selection: selection.join(" and "),
        });
    }

    let hello = handshake(testee)?;

    let mut results = Vec::with_capacity(selected.len());
    let mut fatal: Option<String> = None;
    let mut seq = 0;
    for (file, unit) in selected {
        let outcome = if !hello.schemes.contains(&file.scheme) {
            Outcome::Skipped {
                reason: format!("testee does not implement scheme `{}`", file.scheme),
            }
        } else if let Some(cause) = &fatal {
            Outcome::Fail(Failure::protocol(format!(
                "not run: the testee is unusable after an earlier error ({})",
                first_line(cause)
            )))
        } else {
            match unit {
                Unit::Vector(vector) => {
                    seq += 1;
                    let request = Request::op(
                        seq,
                        &vector.id,
                        &file.scheme,
                        &vector.op,
                        vector.input.clone(),
                    );
                    match testee.exchange(&request) {
                        Ok(response) => compare(vector, &response.outcome),
                        Err(error) => {
                            let full = error.to_string();
                            let outcome = Outcome::Fail(Failure::protocol(format!(
                                "protocol error: {}",
                                first_line(&full)
                            )));
                            fatal = Some(full);
                            outcome
                        }
                    }
                }
                Unit::Scenario(scenario) => {
                    run_scenario(testee, &mut seq, &file.scheme, scenario, &mut fatal)
                }
            }
        };
        let id = unit.id();
        results.push(match unit {
            Unit::Vector(vector) => VectorResult {
                id: vector.id.clone(),
                scheme: file.scheme.clone(),
                op: vector.op.clone(),
                description: vector.description.clone(),
                requirements: vector.requirements.clone(),
                outcome: options.expected_failures.apply(id, outcome),
                steps: None,
            },
            Unit::Scenario(scenario) => VectorResult {
                id: scenario.id.clone(),
                scheme: file.scheme.clone(),
                op: SCENARIO_OP.to_owned(),
                description: scenario.description.clone(),
                requirements: scenario.requirements.clone(),
                outcome: options.expected_failures.apply(id, outcome),
                steps: Some(scenario.steps.len()),
            },
        });
    }

    let protocol_error = match fatal {
        Some(full) => Some(full),
        None => testee.close().err().map(|error| error.to_string()),
    };
    Ok(Report::new(hello, results, protocol_error))
}

/// The `op` a report entry of a scenario carries.
pub const SCENARIO_OP: &str = "scenario";

/// A vector or a scenario, as selected for a run.
#[derive(Debug, Clone, Copy)]
enum Unit<'a> {
    Vector(&'a Vector),
    Scenario(&'a Scenario),
}

impl<'a> Unit<'a> {
    fn id(&self) -> &'a str {
        match self {
            Unit::Vector(vector) => &vector.id,
            Unit::Scenario(scenario) => &scenario.id,
        }
    }
}

/// Runs one scenario's steps in order and returns the scenario's verdict.
///
/// For each step: `${var}`s in `input` and `expected` are substituted from the variables captured so far; the
/// step is sent as request `<scenario id>#<step name>` (consuming the next `seq`) and compared like a vector; on a
/// pass, its `capture`s are evaluated on the answer object (`{"result": ..}` or `{"error": ..}`). The first step
/// that fails (comparison, unknown variable, failed capture, protocol error) fails the scenario with a reason
/// starting `step N 'name': ` and [`Failure::step`] set; the remaining steps are not sent. A skipped step skips
/// the scenario. A protocol error is stored in `fatal`, as for vectors.
pub fn run_scenario(
    testee: &mut dyn Testee,
    seq: &mut u64,
    scheme: &str,
    scenario: &Scenario,
    fatal: &mut Option<String>,
) -> Outcome {
    let mut variables: BTreeMap<String, String> = BTreeMap::new();
    for (index, step) in scenario.steps.iter().enumerate() {
        let label = format!("step {} '{}'", index + 1, step.name);
        let at_step = |mut failure: Failure| {
            failure.reason = format!("{label}: {}", failure.reason);
            failure.step = Some(step.name.clone());
            Outcome::Fail(failure)
        };
        let mismatch = |reason: String| Failure {
            kind: FailureKind::Mismatch,
            reason,
            first_differing_stage: None,
            result_diffs: Vec::new(),
            answer: None,
            step: None,
        };
        let input = match vars::substitute(&step.input, &variables) {
            Ok(input) => input,
            Err(unknown) => return at_step(mismatch(format!("input: {unknown}"))),
        };
        let expected = match substitute_expected(&step.expected, &variables) {
            Ok(expected) => expected,
            Err(problem) => return at_step(mismatch(format!("expected: {problem}"))),
        };
        *seq += 1;
        let request = Request::op(
            *seq,
            &format!("{}#{}", scenario.id, step.name),
            scheme,
            &step.op,
            input,
        );
        let response = match testee.exchange(&request) {
            Ok(response) => response,
            Err(error) => {
                let full = error.to_string();
                let failure = Failure::protocol(format!("protocol error: {}", first_line(&full)));
                *fatal = Some(full);
                return at_step(failure);
            }
        };
        match compare_expected(&step.op, &expected, &step.stages, &response.outcome) {
            Outcome::Pass => {}
            Outcome::Skipped { reason } => {
                return Outcome::Skipped {
                    reason: format!("{label}: {reason}"),
                };
            }
            Outcome::Fail(failure) => return at_step(failure),
            other => return other,
        }
        let answer = serde_json::to_value(&response.outcome).unwrap_or_default();
        if let Err(problem) = vars::capture(&step.capture, &answer, &mut variables) {
            let mut failure = mismatch(problem.to_string());
            failure.answer = Some(response.outcome);
            return at_step(failure);
        }
    }
    Outcome::Pass
}

/// `expected` with its `${var}`s substituted.
fn substitute_expected(
    expected: &Expected,
    variables: &BTreeMap<String, String>,
) -> Result<Expected, String> {
    let value = serde_json::to_value(expected).map_err(|e| e.to_string())?;
    let value = vars::substitute(&value, variables).map_err(|e| e.to_string())?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

fn handshake(testee: &mut dyn Testee) -> Result<Hello, RunError> {
    let response = testee
        .exchange(&Request::hello())
        .map_err(RunError::Handshake)?;
    match response.outcome {
        protocol::Outcome::Result(result) => serde_json::from_value(result).map_err(|e| {
            RunError::HelloRefused(format!(
                "the hello result is not {{name, version, schemes}}: {e}"
            ))
        }),
        protocol::Outcome::Error(error) => Err(RunError::HelloRefused(format!(
            "the testee answered error `{}` to protocol version {PROTOCOL_VERSION}: {}",
            error.code, error.message
        ))),
        protocol::Outcome::Skipped(skipped) => Err(RunError::HelloRefused(format!(
            "the testee skipped the hello: {}",
            skipped.reason
        ))),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().to_owned()
}
