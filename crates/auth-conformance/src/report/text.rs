//! The terminal report: every failure in full (what was expected, what came, where it first differs), then a
//! short summary. The last line is exactly `N passed, N failed, N skipped`, which CI log readers parse; when
//! expected failures were counted, the line before it says how many.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Report, VectorResult};
use crate::compare::{Failure, Outcome, StageDiff};
use crate::protocol;

/// How many characters of an answer the report quotes.
const ANSWER_LIMIT: usize = 600;

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    let testee = &report.testee;
    let _ = writeln!(
        out,
        "testee: {} {} (schemes: {}), protocol {}",
        testee.name,
        testee.version,
        if testee.schemes.is_empty() {
            "none".to_owned()
        } else {
            testee.schemes.join(", ")
        },
        report.protocol
    );

    for vector in &report.vectors {
        if let Some(block) = vector_block(vector) {
            let _ = writeln!(out, "\n{block}");
        }
    }

    if let Some(error) = &report.protocol_error {
        let _ = writeln!(
            out,
            "\nPROTOCOL ERROR: {}",
            indent_continuation(error, "  ")
        );
    }

    let expected: Vec<_> = report
        .vectors
        .iter()
        .filter_map(|v| match &v.outcome {
            Outcome::ExpectedFailure {
                listed_reason,
                failure,
            } => Some((v, listed_reason, failure)),
            _ => None,
        })
        .collect();
    if !expected.is_empty() {
        let _ = writeln!(out, "\nexpected failures:");
        for (vector, listed_reason, failure) in expected {
            let _ = writeln!(
                out,
                "  {}: {} (listed: {listed_reason})",
                vector.id, failure.reason
            );
        }
    }

    let mut skip_reasons: Vec<(&str, usize)> = Vec::new();
    for vector in &report.vectors {
        if let Outcome::Skipped { reason } = &vector.outcome {
            match skip_reasons.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, count)) => *count += 1,
                None => skip_reasons.push((reason, 1)),
            }
        }
    }
    if !skip_reasons.is_empty() {
        let _ = writeln!(out, "\nskipped:");
        for (reason, count) in skip_reasons {
            let _ = writeln!(out, "  {count:>4}  {reason}");
        }
    }

    let totals = report.totals;
    let _ = writeln!(out);
    let mut problems = Vec::new();
    if report.protocol_error.is_some() {
        problems.push("protocol error".to_owned());
    }
    let mismatches = totals.failed - totals.unexpected_passes;
    if mismatches > 0 {
        problems.push(plural(
            mismatches,
            "unexpected failure",
            "unexpected failures",
        ));
    }
    if totals.unexpected_passes > 0 {
        problems.push(plural(
            totals.unexpected_passes,
            "unexpected pass",
            "unexpected passes",
        ));
    }
    if totals.executed() == 0 {
        problems.push("no vector was executed".to_owned());
    }
    if problems.is_empty() {
        let _ = writeln!(out, "result: ok");
    } else {
        let _ = writeln!(out, "result: FAILED ({})", problems.join(", "));
    }
    if totals.expected_failures > 0 {
        let _ = writeln!(
            out,
            "{}",
            plural(
                totals.expected_failures,
                "expected failure",
                "expected failures"
            )
        );
    }
    let _ = write!(
        out,
        "{} passed, {} failed, {} skipped",
        totals.passed, totals.failed, totals.skipped
    );
    out
}

/// The block describing one failed vector or unexpected pass (no trailing newline); `None` for other outcomes.
pub(super) fn vector_block(vector: &VectorResult) -> Option<String> {
    let (label, failure, note) = match &vector.outcome {
        Outcome::Fail(failure) => ("FAIL", Some(failure), None),
        Outcome::UnexpectedPass { listed_reason } => (
            "UNEXPECTED PASS",
            None,
            Some(format!(
                "listed as an expected failure ({listed_reason}) but passed: remove its entry from the \
                 expected-failures list"
            )),
        ),
        _ => return None,
    };
    let mut out = String::new();
    let _ = writeln!(out, "{label} {}", vector.id);
    let _ = writeln!(out, "  description: {}", vector.description);
    let _ = writeln!(out, "  requirements: {}", vector.requirements.join(", "));
    if let Some(note) = note {
        let _ = writeln!(out, "  {note}");
    }
    if let Some(failure) = failure {
        render_failure(&mut out, failure);
    }
    out.truncate(out.trim_end().len());
    Some(out)
}

fn render_failure(out: &mut String, failure: &Failure) {
    if let Some(step) = &failure.step {
        let _ = writeln!(out, "  failing step: {step}");
    }
    let _ = writeln!(
        out,
        "  reason: {}",
        indent_continuation(&failure.reason, "    ")
    );
    if let Some(stage) = &failure.first_differing_stage {
        render_stage(out, stage);
    }
    if !failure.result_diffs.is_empty() {
        let _ = writeln!(out, "  differing fields:");
        for diff in &failure.result_diffs {
            let _ = writeln!(out, "    {}", diff.path);
            let _ = writeln!(out, "      expected: {}", compact(&diff.expected));
            match &diff.actual {
                Some(actual) => {
                    let _ = writeln!(out, "      actual:   {}", compact(actual));
                }
                None => {
                    let _ = writeln!(out, "      actual:   (missing)");
                }
            }
        }
    }
    match &failure.answer {
        Some(protocol::Outcome::Error(error)) => {
            let message = if error.message.is_empty() {
                String::new()
            } else {
                format!(": {}", error.message)
            };
            let _ = writeln!(out, "  answer: error `{}`{message}", error.code);
        }
        // A result is quoted only when no stage or field already says what differs.
        Some(protocol::Outcome::Result(result))
            if failure.first_differing_stage.is_none() && failure.result_diffs.is_empty() =>
        {
            let _ = writeln!(
                out,
                "  answer: result {}",
                truncate(&compact(result), ANSWER_LIMIT)
            );
        }
        _ => {}
    }
}

fn render_stage(out: &mut String, stage: &StageDiff) {
    let _ = writeln!(out, "  first differing stage: {}", stage.name);
    let _ = writeln!(out, "    expected: {}", stage.expected);
    match &stage.actual {
        Value::String(actual) => {
            let _ = writeln!(out, "    actual:   {actual}");
            let position = stage
                .expected
                .chars()
                .zip(actual.chars())
                .position(|(e, a)| e != a);
            let position = position
                .unwrap_or_else(|| stage.expected.chars().count().min(actual.chars().count()));
            let _ = writeln!(out, "    (first difference at character {})", position + 1);
        }
        other => {
            let _ = writeln!(out, "    actual:   {} (not a string)", compact(other));
        }
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

fn truncate(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_owned(),
        Some((cut, _)) => format!(
            "{}... ({} characters in all)",
            &text[..cut],
            text.chars().count()
        ),
    }
}

fn indent_continuation(text: &str, indent: &str) -> String {
    text.lines()
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
