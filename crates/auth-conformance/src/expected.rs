//! Expected-failure lists: vectors an implementation is known to fail, with the reason, so a run can stay green
//! while the failure is tracked (protobuf conformance's `failure_list`).
//!
//! The file is a YAML list of entries `{id, code?, stage?, reason}` (format: `spec/conformance-report.md`). `id` is a
//! vector or scenario id or a glob over ids ([`crate::glob`]); `code` says the testee answers this error code, `stage` that this
//! is the first differing stage; with neither, any mismatch is expected. The list cannot go stale silently:
//!
//! - a listed vector that fails as described is an expected failure (does not fail the run);
//! - one that fails otherwise is an ordinary failure;
//! - one that passes is an unexpected pass, which fails the run until the entry is removed;
//! - an entry that matches no vector of the corpus is an error before anything runs.
//!
//! A protocol failure (the testee died, hung or wrote garbage) is never an expected failure.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::compare::{Failure, FailureKind, Outcome};
use crate::glob::glob_match;
use crate::protocol;
use crate::report::VectorResult;

/// One entry of an expected-failures file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailure {
    /// A vector or scenario id, or a glob (`*`, `?`) over ids.
    pub id: String,
    /// The testee answers `error` with this code (instead of what the vector expects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The first differing stage is this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Why the failure is accepted for now (a bug link, a vendor quirk the implementation copies, ...).
    pub reason: String,
    /// What the entry records: a real divergence of the implementation from the spec, or a limitation.
    #[serde(default, skip_serializing_if = "EntryKind::is_unclassified")]
    pub kind: EntryKind,
    /// For a divergence: where it is seen (the library's source at its pinned version, an upstream issue, the
    /// vendor's answer). Required when `kind` is `divergence`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// What an expected-failure entry records (`kind`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// Not said (the default; fine for an implementation's own work list).
    #[default]
    Unclassified,
    /// The implementation does what the spec forbids, or refuses what it requires: a finding, published in the
    /// matrix report and the README's conformance table.
    Divergence,
    /// The implementation cannot take part as the vector needs, without being wrong by the spec (say, its API
    /// reports every refusal as one exception, which the shim maps to one code).
    Limitation,
}

impl EntryKind {
    fn is_unclassified(&self) -> bool {
        *self == EntryKind::Unclassified
    }
}

impl ExpectedFailure {
    /// Whether `failure` is the failure this entry describes.
    fn describes(&self, failure: &Failure) -> bool {
        if failure.kind == FailureKind::Protocol {
            return false;
        }
        match (&self.code, &self.stage) {
            (Some(code), _) => {
                matches!(&failure.answer, Some(protocol::Outcome::Error(e)) if e.code == *code)
            }
            (None, Some(stage)) => failure
                .first_differing_stage
                .as_ref()
                .is_some_and(|s| s.name == *stage),
            (None, None) => true,
        }
    }

    fn description(&self) -> String {
        match (&self.code, &self.stage) {
            (Some(code), _) => format!("to fail with error code `{code}`"),
            (None, Some(stage)) => format!("to fail first at stage `{stage}`"),
            (None, None) => "to fail".to_owned(),
        }
    }
}

/// Why an expected-failures file was refused.
#[derive(Debug, thiserror::Error)]
pub enum ExpectedFailuresError {
    /// The file could not be read.
    #[error("cannot read expected-failures file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not a YAML list of entries.
    #[error("invalid expected-failures file{}: {message}", at(path))]
    Parse {
        /// The file, when read from one.
        path: Option<String>,
        /// The YAML error.
        message: String,
    },
    /// An entry is malformed.
    #[error(
        "invalid expected-failures entry {index} (id `{id}`){}: {problem}",
        at(path)
    )]
    Entry {
        /// The file, when read from one.
        path: Option<String>,
        /// Zero-based index of the entry.
        index: usize,
        /// The entry's id.
        id: String,
        /// What is wrong.
        problem: String,
    },
}

fn at(path: &Option<String>) -> String {
    path.as_ref().map(|p| format!(" {p}")).unwrap_or_default()
}

/// A parsed expected-failures list (empty by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpectedFailures {
    entries: Vec<ExpectedFailure>,
}

impl ExpectedFailures {
    /// No expected failures.
    pub fn none() -> Self {
        ExpectedFailures::default()
    }

    /// Reads and parses the file at `path`.
    pub fn load(path: &Path) -> Result<Self, ExpectedFailuresError> {
        let text = std::fs::read_to_string(path).map_err(|source| ExpectedFailuresError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse_with_path(&text, Some(path.display().to_string()))
    }

    /// Parses the YAML text of an expected-failures file.
    pub fn parse(text: &str) -> Result<Self, ExpectedFailuresError> {
        Self::parse_with_path(text, None)
    }

    fn parse_with_path(text: &str, path: Option<String>) -> Result<Self, ExpectedFailuresError> {
        let entries: Option<Vec<ExpectedFailure>> =
            serde_yaml::from_str(text).map_err(|e| ExpectedFailuresError::Parse {
                path: path.clone(),
                message: e.to_string(),
            })?;
        let entries = entries.unwrap_or_default();
        Self::from_entries_with_path(entries, path)
    }

    /// Builds a list from entries, checking each (non-empty id and reason, at most one of `code` and `stage`).
    pub fn from_entries(entries: Vec<ExpectedFailure>) -> Result<Self, ExpectedFailuresError> {
        Self::from_entries_with_path(entries, None)
    }

    fn from_entries_with_path(
        entries: Vec<ExpectedFailure>,
        path: Option<String>,
    ) -> Result<Self, ExpectedFailuresError> {
        for (index, entry) in entries.iter().enumerate() {
            let problem = if entry.id.trim().is_empty() {
                Some("`id` is empty")
            } else if entry.reason.trim().is_empty() {
                Some("`reason` is empty")
            } else if entry.code.is_some() && entry.stage.is_some() {
                Some("give at most one of `code` and `stage`")
            } else if entry.kind == EntryKind::Divergence
                && entry
                    .evidence
                    .as_deref()
                    .is_none_or(|e| e.trim().is_empty())
            {
                Some("a `divergence` needs its `evidence`")
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(ExpectedFailuresError::Entry {
                    path,
                    index,
                    id: entry.id.clone(),
                    problem: problem.to_owned(),
                });
            }
        }
        Ok(ExpectedFailures { entries })
    }

    /// The entries, in file order.
    pub fn entries(&self) -> &[ExpectedFailure] {
        &self.entries
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The first entry (in file order) whose `id` matches `vector_id`.
    pub fn entry_for(&self, vector_id: &str) -> Option<&ExpectedFailure> {
        self.entries
            .iter()
            .find(|entry| glob_match(&entry.id, vector_id))
    }

    /// The entries that match none of `ids` (each of them makes the run an error).
    pub fn unmatched<'a>(&'a self, ids: &[&str]) -> Vec<&'a ExpectedFailure> {
        self.entries
            .iter()
            .filter(|entry| !ids.iter().any(|id| glob_match(&entry.id, id)))
            .collect()
    }

    /// Turns the comparison outcome of `vector_id` into its final outcome under this list.
    pub fn apply(&self, vector_id: &str, outcome: Outcome) -> Outcome {
        let Some(entry) = self.entry_for(vector_id) else {
            return outcome;
        };
        match outcome {
            Outcome::Pass => Outcome::UnexpectedPass {
                listed_reason: entry.reason.clone(),
            },
            Outcome::Fail(failure) if entry.describes(&failure) => Outcome::ExpectedFailure {
                listed_reason: entry.reason.clone(),
                failure,
            },
            Outcome::Fail(mut failure) => {
                failure.reason = format!(
                    "{} (listed as expected {}, but it failed otherwise)",
                    failure.reason,
                    entry.description()
                );
                Outcome::Fail(failure)
            }
            other => other,
        }
    }
}

/// What [`ExpectedFailures::fix`] changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixSummary {
    /// Entries (or ids of a split glob) removed because their vectors now pass.
    pub removed: Vec<String>,
    /// Entries added for failures that were not listed.
    pub added: Vec<String>,
    /// Entries whose `code` or `stage` changed because the vector now fails otherwise.
    pub changed: Vec<String>,
    /// Glob entries replaced by the exact ids that still fail as described.
    pub split: Vec<String>,
}

impl FixSummary {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty()
            && self.added.is_empty()
            && self.changed.is_empty()
            && self.split.is_empty()
    }
}

impl ExpectedFailures {
    /// The list rewritten so that a run giving `results` would succeed (`--fix`):
    ///
    /// - an entry whose vectors all fail as described is kept as it is (a glob stays a glob);
    /// - an exact entry whose vector passes is removed; one whose vector fails otherwise gets the new `code` (or
    ///   `stage`), keeping its reason, kind and evidence;
    /// - a glob entry with a vector that passes or fails otherwise is replaced by exact entries for its vectors
    ///   that still fail (each as it now fails);
    /// - a failure that no entry lists is appended as a new entry with `kind` unclassified and a reason starting
    ///   `NEW:`, for a human to explain before committing;
    /// - protocol failures are never listed; entries that match no vector in `results` (a partial run) are kept.
    pub fn fix(&self, results: &[VectorResult]) -> (Vec<ExpectedFailure>, FixSummary) {
        let mut summary = FixSummary::default();
        let mut out: Vec<ExpectedFailure> = Vec::new();
        let owner = |id: &str| {
            self.entries
                .iter()
                .position(|entry| glob_match(&entry.id, id))
        };
        for (index, entry) in self.entries.iter().enumerate() {
            let mine: Vec<&VectorResult> = results
                .iter()
                .filter(|r| owner(&r.id) == Some(index))
                .collect();
            let holds = |r: &&VectorResult| {
                matches!(
                    r.outcome,
                    Outcome::ExpectedFailure { .. } | Outcome::Skipped { .. }
                )
            };
            if mine.iter().all(holds) {
                out.push(entry.clone());
                continue;
            }
            let is_glob = entry.id.contains(['*', '?']);
            if is_glob {
                summary.split.push(entry.id.clone());
            }
            for result in mine {
                match &result.outcome {
                    Outcome::ExpectedFailure { .. } | Outcome::Skipped { .. } if !is_glob => {
                        out.push(entry.clone());
                    }
                    Outcome::ExpectedFailure { .. } => out.push(ExpectedFailure {
                        id: result.id.clone(),
                        ..entry.clone()
                    }),
                    Outcome::Skipped { .. } => {}
                    Outcome::Pass | Outcome::UnexpectedPass { .. } => {
                        summary.removed.push(result.id.clone());
                    }
                    Outcome::Fail(failure) if failure.kind == FailureKind::Mismatch => {
                        let (code, stage) = how(failure);
                        summary.changed.push(result.id.clone());
                        out.push(ExpectedFailure {
                            id: result.id.clone(),
                            code,
                            stage,
                            ..entry.clone()
                        });
                    }
                    Outcome::Fail(_) => out.push(ExpectedFailure {
                        id: result.id.clone(),
                        ..entry.clone()
                    }),
                }
            }
        }
        for result in results {
            if let Outcome::Fail(failure) = &result.outcome
                && failure.kind == FailureKind::Mismatch
                && owner(&result.id).is_none()
            {
                let (code, stage) = how(failure);
                summary.added.push(result.id.clone());
                out.push(ExpectedFailure {
                    id: result.id.clone(),
                    code,
                    stage,
                    reason: format!("NEW: {} (explain before committing)", failure.reason),
                    kind: EntryKind::Unclassified,
                    evidence: None,
                });
            }
        }
        (out, summary)
    }
}

/// How a failure is described in a list: the error code it answered, else its first differing stage.
fn how(failure: &Failure) -> (Option<String>, Option<String>) {
    match (&failure.answer, &failure.first_differing_stage) {
        (Some(protocol::Outcome::Error(error)), _) => (Some(error.code.clone()), None),
        (_, Some(stage)) => (None, Some(stage.name.clone())),
        _ => (None, None),
    }
}

/// The text of an expected-failures file holding `entries`, after `header` (the old file's leading comment
/// lines, kept by `--fix`; other comments are not kept).
pub fn render_file(header: &str, entries: &[ExpectedFailure]) -> Result<String, String> {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(line);
        out.push('\n');
    }
    if entries.is_empty() {
        out.push_str("[]\n");
        return Ok(out);
    }
    let yaml = serde_yaml::to_string(entries).map_err(|e| e.to_string())?;
    out.push_str(&yaml);
    Ok(out)
}

/// The leading comment lines of an expected-failures file (kept by `--fix`).
pub fn leading_comments(text: &str) -> String {
    text.lines()
        .take_while(|line| line.starts_with('#') || line.trim().is_empty())
        .filter(|line| line.starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::StageDiff;
    use serde_json::json;

    fn mismatch(answer: protocol::Outcome, stage: Option<&str>) -> Failure {
        Failure {
            kind: FailureKind::Mismatch,
            reason: "r".into(),
            first_differing_stage: stage.map(|name| StageDiff {
                name: name.into(),
                expected: "e".into(),
                actual: json!("a"),
            }),
            result_diffs: Vec::new(),
            answer: Some(answer),
            step: None,
        }
    }

    fn error(code: &str) -> protocol::Outcome {
        protocol::Outcome::Error(protocol::ErrorBody {
            code: code.into(),
            message: String::new(),
            rest: serde_json::Map::new(),
        })
    }

    const LIST: &str = r#"
- id: kraken-spot/signing/json-*
  stage: sha256_input
  reason: re-serializes JSON bodies (bug 12)
- id: kraken-spot/nonce/zero
  code: nonce-invalid
  reason: rejects a zero nonce
- id: kraken-spot/verify/*
  reason: verifier not finished
"#;

    #[test]
    fn parses_the_documented_format() {
        let list = ExpectedFailures::parse(LIST).unwrap();
        assert_eq!(list.entries().len(), 3);
        assert_eq!(list.entries()[0].stage.as_deref(), Some("sha256_input"));
        assert_eq!(list.entries()[1].code.as_deref(), Some("nonce-invalid"));
        assert_eq!(list.entries()[0].kind, EntryKind::Unclassified);
        let classified = ExpectedFailures::parse(
            "- {id: a, reason: r, kind: divergence, evidence: 'lib.py:12 at 1.0'}\n- {id: b, reason: r, kind: limitation}",
        )
        .unwrap();
        assert_eq!(classified.entries()[0].kind, EntryKind::Divergence);
        assert_eq!(classified.entries()[1].kind, EntryKind::Limitation);
        assert!(ExpectedFailures::parse("").unwrap().is_empty());
        assert!(ExpectedFailures::parse("[]").unwrap().is_empty());
    }

    #[test]
    fn rejects_malformed_entries() {
        for (text, needle) in [
            ("- {id: a, reason: r, code: c, stage: s}", "at most one"),
            ("- {id: a}", "reason"),
            ("- {id: a, reason: ''}", "`reason` is empty"),
            ("- {id: '', reason: r}", "`id` is empty"),
            ("- {id: a, reason: r, bug: 1}", "bug"),
            (
                "- {id: a, reason: r, kind: divergence}",
                "needs its `evidence`",
            ),
            ("- {id: a, reason: r, kind: bug}", "unknown variant"),
            ("id: a", "invalid expected-failures file"),
        ] {
            let err = ExpectedFailures::parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn failure_as_described_is_expected() {
        let list = ExpectedFailures::parse(LIST).unwrap();
        let out = list.apply(
            "kraken-spot/signing/json-body",
            Outcome::Fail(mismatch(error("x"), Some("sha256_input"))),
        );
        assert!(
            matches!(out, Outcome::ExpectedFailure { ref listed_reason, .. } if listed_reason.contains("bug 12"))
        );
        let out = list.apply(
            "kraken-spot/nonce/zero",
            Outcome::Fail(mismatch(error("nonce-invalid"), None)),
        );
        assert!(matches!(out, Outcome::ExpectedFailure { .. }), "{out:?}");
        let out = list.apply(
            "kraken-spot/verify/x",
            Outcome::Fail(mismatch(error("any"), Some("any"))),
        );
        assert!(matches!(out, Outcome::ExpectedFailure { .. }), "{out:?}");
    }

    #[test]
    fn failure_otherwise_is_unexpected() {
        let list = ExpectedFailures::parse(LIST).unwrap();
        // Wrong stage.
        let out = list.apply(
            "kraken-spot/signing/json-body",
            Outcome::Fail(mismatch(error("x"), Some("hmac_key"))),
        );
        let Outcome::Fail(f) = out else {
            panic!("{out:?}")
        };
        assert_eq!(
            f.reason,
            "r (listed as expected to fail first at stage `sha256_input`, but it failed otherwise)"
        );
        // No stage at all.
        let out = list.apply(
            "kraken-spot/signing/json-body",
            Outcome::Fail(mismatch(error("x"), None)),
        );
        assert!(matches!(out, Outcome::Fail(_)));
        // Wrong code, and a result instead of an error.
        let out = list.apply(
            "kraken-spot/nonce/zero",
            Outcome::Fail(mismatch(error("nonce-missing"), None)),
        );
        assert!(
            matches!(out, Outcome::Fail(ref f) if f.reason.contains("error code `nonce-invalid`")),
            "{out:?}"
        );
        let out = list.apply(
            "kraken-spot/nonce/zero",
            Outcome::Fail(mismatch(protocol::Outcome::Result(json!({})), None)),
        );
        assert!(matches!(out, Outcome::Fail(_)));
        // A protocol failure is never expected, even under a catch-all entry.
        let out = list.apply(
            "kraken-spot/verify/x",
            Outcome::Fail(Failure::protocol("testee died")),
        );
        assert!(matches!(out, Outcome::Fail(_)));
    }

    #[test]
    fn pass_of_a_listed_vector_is_an_unexpected_pass() {
        let list = ExpectedFailures::parse(LIST).unwrap();
        assert_eq!(
            list.apply("kraken-spot/nonce/zero", Outcome::Pass),
            Outcome::UnexpectedPass {
                listed_reason: "rejects a zero nonce".into()
            }
        );
        // Unlisted vectors and skips are untouched.
        assert_eq!(
            list.apply("kraken-spot/nonce/one", Outcome::Pass),
            Outcome::Pass
        );
        let skipped = Outcome::Skipped { reason: "s".into() };
        assert_eq!(
            list.apply("kraken-spot/nonce/zero", skipped.clone()),
            skipped
        );
    }

    #[test]
    fn unmatched_entries_are_reported() {
        let list = ExpectedFailures::parse(LIST).unwrap();
        let unmatched = list.unmatched(&["kraken-spot/signing/json-a", "kraken-spot/nonce/one"]);
        let ids: Vec<&str> = unmatched.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["kraken-spot/nonce/zero", "kraken-spot/verify/*"]);
    }

    fn result(id: &str, outcome: Outcome) -> VectorResult {
        VectorResult {
            id: id.into(),
            scheme: "kraken-spot".into(),
            op: "sign".into(),
            description: String::new(),
            requirements: Vec::new(),
            outcome,
            steps: None,
        }
    }

    #[test]
    fn fix_rewrites_the_list_to_match_the_run() {
        let list = ExpectedFailures::parse(LIST).unwrap();
        let run = |id: &str, outcome: Outcome| {
            let outcome = list.apply(id, outcome);
            result(id, outcome)
        };
        let results = vec![
            // The glob's two vectors: one still fails at sha256_input, one now passes: the glob is split.
            run(
                "kraken-spot/signing/json-a",
                Outcome::Fail(mismatch(error("x"), Some("sha256_input"))),
            ),
            run("kraken-spot/signing/json-b", Outcome::Pass),
            // The exact entry now fails with another code: changed.
            run(
                "kraken-spot/nonce/zero",
                Outcome::Fail(mismatch(error("nonce-stale"), None)),
            ),
            // The catch-all still holds: kept as a glob.
            run(
                "kraken-spot/verify/a",
                Outcome::Fail(mismatch(error("any"), None)),
            ),
            // Unlisted failures: a mismatch is added, a protocol failure is not.
            run(
                "kraken-spot/form/new",
                Outcome::Fail(mismatch(
                    protocol::Outcome::Result(json!({})),
                    Some("hmac_key"),
                )),
            ),
            run(
                "kraken-spot/form/died",
                Outcome::Fail(Failure::protocol("died")),
            ),
        ];
        let (entries, summary) = list.fix(&results);
        let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "kraken-spot/signing/json-a",
                "kraken-spot/nonce/zero",
                "kraken-spot/verify/*",
                "kraken-spot/form/new"
            ]
        );
        assert_eq!(entries[0].stage.as_deref(), Some("sha256_input"));
        assert_eq!(entries[1].code.as_deref(), Some("nonce-stale"));
        assert_eq!(entries[1].reason, "rejects a zero nonce");
        assert_eq!(entries[3].stage.as_deref(), Some("hmac_key"));
        assert!(entries[3].reason.starts_with("NEW: "));
        assert_eq!(summary.split, ["kraken-spot/signing/json-*"]);
        assert_eq!(summary.removed, ["kraken-spot/signing/json-b"]);
        assert_eq!(summary.changed, ["kraken-spot/nonce/zero"]);
        assert_eq!(summary.added, ["kraken-spot/form/new"]);

        // The rewritten list, applied to the same run, makes it succeed.
        let text = render_file("# header\n", &entries).unwrap();
        assert!(
            text.starts_with("# header\n- id: kraken-spot/signing/json-a\n"),
            "{text}"
        );
        let fixed = ExpectedFailures::parse(&text).unwrap();
        for r in &results {
            if r.id.ends_with("died") {
                continue;
            }
            let raw = match &r.outcome {
                Outcome::ExpectedFailure { failure, .. } => Outcome::Fail(failure.clone()),
                Outcome::UnexpectedPass { .. } => Outcome::Pass,
                other => other.clone(),
            };
            let raw = match raw {
                Outcome::Fail(mut f) => {
                    f.reason = "r".into();
                    Outcome::Fail(f)
                }
                other => other,
            };
            let out = fixed.apply(&r.id, raw);
            assert!(
                matches!(out, Outcome::Pass | Outcome::ExpectedFailure { .. }),
                "{}: {out:?}",
                r.id
            );
        }
        assert_eq!(leading_comments("# a\n\n# b\n- id: x\n# c\n"), "# a\n# b\n");
    }
}
