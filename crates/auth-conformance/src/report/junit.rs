//! JUnit XML, written by hand: one `testsuite` per scheme (in corpus order), one `testcase` per vector.
//!
//! Mapping: a failure or unexpected pass is a `<failure>` whose text is the same block the terminal report prints;
//! a skip is `<skipped/>`; an expected failure is `<skipped>` with message `expected failure: ...` (as pytest
//! writes `xfail`), so dashboards neither count it as passing nor as failing. A protocol error that spoiled the end
//! of a run is an `<error>` testcase named `protocol` in a suite of its own. `classname` is `<scheme>.<group>`.

use std::fmt::Write as _;

use super::{Report, VectorResult};
use crate::compare::Outcome;

pub(super) fn render(report: &Report) -> String {
    let totals = report.totals;
    let errors = usize::from(report.protocol_error.is_some());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{errors}\" skipped=\"{}\">",
        escape(&format!(
            "authspec conformance: {} {}",
            report.testee.name, report.testee.version
        )),
        report.vectors.len() + errors,
        totals.failed,
        totals.skipped + totals.expected_failures,
    );
    render_suites(&mut out, report, "");
    out.push_str("</testsuites>\n");
    out
}

/// Writes `report`'s `testsuite` elements (one per scheme, then `protocol` if the run had a protocol error); each
/// suite name and `classname` is prefixed by `prefix` (empty for a single run, `<testee>/` in a matrix).
pub(crate) fn render_suites(out: &mut String, report: &Report, prefix: &str) {
    let mut schemes: Vec<&str> = Vec::new();
    for vector in &report.vectors {
        if !schemes.contains(&vector.scheme.as_str()) {
            schemes.push(&vector.scheme);
        }
    }
    for scheme in schemes {
        let vectors: Vec<&VectorResult> = report
            .vectors
            .iter()
            .filter(|v| v.scheme == scheme)
            .collect();
        let count = |f: fn(&Outcome) -> bool| vectors.iter().filter(|v| f(&v.outcome)).count();
        let failures = count(|o| matches!(o, Outcome::Fail(_) | Outcome::UnexpectedPass { .. }));
        let skipped =
            count(|o| matches!(o, Outcome::Skipped { .. } | Outcome::ExpectedFailure { .. }));
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">",
            escape(&format!("{prefix}{scheme}")),
            vectors.len()
        );
        for vector in vectors {
            render_case(out, vector, prefix);
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    if let Some(error) = &report.protocol_error {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}protocol\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">",
            escape(prefix)
        );
        let _ = writeln!(
            out,
            "    <testcase classname=\"{0}protocol\" name=\"{0}protocol\">",
            escape(prefix)
        );
        let _ = writeln!(
            out,
            "      <error message=\"{}\">{}</error>",
            escape(error.lines().next().unwrap_or_default()),
            escape_text(error)
        );
        let _ = writeln!(out, "    </testcase>");
        let _ = writeln!(out, "  </testsuite>");
    }
}

fn render_case(out: &mut String, vector: &VectorResult, prefix: &str) {
    let group = vector.id.split('/').nth(1).unwrap_or_default();
    let classname = format!("{}.{group}", vector.scheme);
    let classname = match prefix.strip_suffix('/') {
        Some(testee) => format!("{testee}.{classname}"),
        None => classname,
    };
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        escape(&classname),
        escape(&vector.id)
    );
    match &vector.outcome {
        Outcome::Pass => {
            let _ = writeln!(out, "/>");
        }
        Outcome::Skipped { reason } => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                escape(reason)
            );
        }
        Outcome::ExpectedFailure {
            listed_reason,
            failure,
        } => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                escape(&format!(
                    "expected failure: {listed_reason}: {}",
                    failure.reason
                ))
            );
        }
        Outcome::Fail(failure) => {
            let body = block(vector);
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                escape(&failure.reason),
                match failure.kind {
                    crate::compare::FailureKind::Mismatch => "mismatch",
                    crate::compare::FailureKind::Protocol => "protocol",
                },
                escape_text(&body)
            );
        }
        Outcome::UnexpectedPass { listed_reason } => {
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"unexpected-pass\">{}</failure>\n    </testcase>",
                escape(&format!(
                    "unexpected pass (listed: {listed_reason}); remove the expected-failures entry"
                )),
                escape_text(&block(vector))
            );
        }
    }
}

/// The terminal report's block for this one vector.
fn block(vector: &VectorResult) -> String {
    super::text::vector_block(vector).unwrap_or_default()
}

/// Escapes `text` for XML 1.0 character data, keeping line breaks and tabs literal for readability.
pub(crate) fn escape_text(text: &str) -> String {
    escape_xml(text, true)
}

/// Escapes `text` for XML 1.0 character data and attribute values (double- or single-quoted).
///
/// The five markup characters become entities; tab, newline and carriage return become character references (so
/// attribute values keep them); other characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF) cannot be written at
/// all and become a visible `\u{..}` escape.
pub(crate) fn escape(text: &str) -> String {
    escape_xml(text, false)
}

fn escape_xml(text: &str, literal_whitespace: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' if literal_whitespace => out.push(c),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_text};

    #[test]
    fn escapes_markup_characters() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
    }

    #[test]
    fn keeps_whitespace_as_character_references() {
        assert_eq!(escape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
    }

    #[test]
    fn text_content_keeps_line_breaks_literal() {
        assert_eq!(escape_text("a <b>\n\tc\r\n"), "a &lt;b&gt;\n\tc&#13;\n");
    }

    #[test]
    fn replaces_characters_xml_forbids() {
        assert_eq!(
            escape("a\u{0}b\u{1b}c\u{FFFE}"),
            "a\\u{0}b\\u{1b}c\\u{fffe}"
        );
    }

    #[test]
    fn leaves_other_text_alone() {
        assert_eq!(
            escape("kraken-spot/official/ä € 😀 API-Sign=="),
            "kraken-spot/official/ä € 😀 API-Sign=="
        );
    }
}
