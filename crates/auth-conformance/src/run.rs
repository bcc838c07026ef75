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
//! - At the end the testee is closed ([`Testee::close`]); a bad exit spoils an otherwise green run.

use auth_vectors::Corpus;

use crate::compare::{Failure, Outcome, compare};
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

/// Runs the selected vectors of `corpus` against `testee`.
pub fn run(
    corpus: &Corpus,
    testee: &mut dyn Testee,
    options: &RunOptions,
) -> Result<Report, RunError> {
    let ids: Vec<&str> = corpus
        .vectors()
        .map(|(_, vector)| vector.id.as_str())
        .collect();
    let unmatched = options.expected_failures.unmatched(&ids);
    if !unmatched.is_empty() {
        return Err(RunError::UnmatchedExpectedFailures {
            ids: unmatched.iter().map(|e| e.id.clone()).collect(),
        });
    }
    let selected: Vec<_> = corpus
        .vectors()
        .filter(|(file, _)| {
            options
                .scheme
                .as_ref()
                .is_none_or(|scheme| file.scheme == *scheme)
        })
        .filter(|(_, vector)| {
            options
                .id_glob
                .as_ref()
                .is_none_or(|glob| glob_match(glob, &vector.id))
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
    for (file, vector) in selected {
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
        };
        results.push(VectorResult {
            id: vector.id.clone(),
            scheme: file.scheme.clone(),
            op: vector.op.clone(),
            description: vector.description.clone(),
            requirements: vector.requirements.clone(),
            outcome: options.expected_failures.apply(&vector.id, outcome),
        });
    }

    let protocol_error = match fatal {
        Some(full) => Some(full),
        None => testee.close().err().map(|error| error.to_string()),
    };
    Ok(Report::new(hello, results, protocol_error))
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
