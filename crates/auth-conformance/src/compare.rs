//! Comparison of a testee's answer with a vector's expectation: the rules of `spec/testee-protocol.md`.
//!
//! - Positive vector: the answer must be a `result`; every field of `expected.result` must be present and equal.
//!   Objects compare as subsets, recursively; arrays and scalars exactly; under a key named `headers` object member
//!   names compare ASCII case-insensitively (HTTP header names).
//! - Negative vector: the answer must be an `error` with the same `code`; further fields of `expected.error`
//!   compare as a subset; `message` is never compared.
//! - Stages: every stage the answer reports in its `stages` map must equal the vector's; the FIRST differing one
//!   in the vector's order is named. Stages the testee does not report are "not reported", not failures; stages the
//!   vector does not list are ignored.
//! - A `skipped` answer is skipped, never passed.
//!
//! The result is a structured [`Outcome`], so reports can name the stage and the field that differ.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use auth_vectors::model::{Expected, Stage, Vector};

use crate::protocol;

/// The verdict on one vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// The answer conforms.
    Pass,
    /// The answer does not conform, or the testee broke the protocol.
    Fail(Failure),
    /// Not run: the testee answered `skipped`, or does not implement the vector's scheme.
    Skipped {
        /// Why (the testee's reason, or the runner's).
        reason: String,
    },
    /// Failed as an entry of the expected-failures list says it would; does not fail the run.
    ExpectedFailure {
        /// The entry's reason.
        listed_reason: String,
        /// How it failed.
        failure: Failure,
    },
    /// Listed as an expected failure but passed: fails the run until the entry is removed.
    UnexpectedPass {
        /// The entry's reason.
        listed_reason: String,
    },
}

/// What kind of failure a [`Failure`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The testee answered, and the answer differs from the vector.
    Mismatch,
    /// The testee broke the protocol (bad line, wrong seq, died, timed out), or was unusable after doing so.
    Protocol,
}

/// How a vector failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Failure {
    /// Mismatch or protocol violation.
    pub kind: FailureKind,
    /// One line saying why.
    pub reason: String,
    /// The first stage, in the vector's order, whose reported value differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_differing_stage: Option<StageDiff>,
    /// Every expected field that is missing or differs (`result.headers.API-Sign`, `error.code`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub result_diffs: Vec<FieldDiff>,
    /// The testee's answer, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<protocol::Outcome>,
    /// For a scenario: the name of the step that failed (the reason then starts `step N 'name': `).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

impl Failure {
    /// A protocol failure with no answer.
    pub fn protocol(reason: impl Into<String>) -> Self {
        Failure {
            kind: FailureKind::Protocol,
            reason: reason.into(),
            first_differing_stage: None,
            result_diffs: Vec::new(),
            answer: None,
            step: None,
        }
    }
}

/// A stage whose reported value differs from the vector's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDiff {
    /// Stage name (`hmac_key`, ...).
    pub name: String,
    /// The vector's value.
    pub expected: String,
    /// The value the testee reported (a JSON string when well-formed; anything else differs by construction).
    pub actual: Value,
}

/// An expected field that is missing from the answer or differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDiff {
    /// Dotted path from the answer's root: `result.headers.API-Sign`, `error.response.body.error`.
    pub path: String,
    /// The vector's value.
    pub expected: Value,
    /// The answer's value; absent when the field is missing (a JSON `null` is a present null).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub actual: Option<Value>,
}

fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// Compares `answer` with what `vector` expects. Never yields the expected-failure variants: those are applied
/// afterwards by [`crate::expected::ExpectedFailures::apply`].
pub fn compare(vector: &Vector, answer: &protocol::Outcome) -> Outcome {
    compare_expected(&vector.op, &vector.expected, &vector.stages, answer)
}

/// Compares `answer` to an `op`'s `expected` outcome and `stages`: [`compare`] without the vector around them
/// (scenario steps use it with their substituted expectations).
pub fn compare_expected(
    op: &str,
    expected: &Expected,
    stages: &[Stage],
    answer: &protocol::Outcome,
) -> Outcome {
    let (answer_stages, kind_problem, result_diffs) = match (expected, answer) {
        (_, protocol::Outcome::Skipped(skipped)) => {
            return Outcome::Skipped {
                reason: format!("testee skipped it: {}", skipped.reason),
            };
        }
        (Expected::Result(expected), protocol::Outcome::Result(actual)) => {
            let mut diffs = Vec::new();
            subset(expected, actual, "result", false, &mut diffs);
            (actual.get("stages"), None, diffs)
        }
        (Expected::Result(_), protocol::Outcome::Error(error)) => {
            let what = if op == "verify" {
                "rejected"
            } else {
                "refused"
            };
            let problem = format!(
                "{what} what must be {}: answered error `{}`",
                if op == "verify" { "accepted" } else { "signed" },
                error.code,
            );
            (error.rest.get("stages"), Some(problem), Vec::new())
        }
        (Expected::Error(expected), protocol::Outcome::Result(actual)) => {
            let problem = format!(
                "{} what must be refused: expected error `{}`, answered a result",
                if op == "verify" { "accepted" } else { "signed" },
                expected.code
            );
            (actual.get("stages"), Some(problem), Vec::new())
        }
        (Expected::Error(expected), protocol::Outcome::Error(actual)) => {
            let mut diffs = Vec::new();
            if expected.code != actual.code {
                diffs.push(FieldDiff {
                    path: "error.code".to_owned(),
                    expected: Value::String(expected.code.clone()),
                    actual: Some(Value::String(actual.code.clone())),
                });
            }
            let expected_rest: Map<String, Value> = expected
                .rest
                .iter()
                .filter(|(key, _)| *key != "message")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            subset(
                &Value::Object(expected_rest),
                &Value::Object(actual.rest.clone()),
                "error",
                false,
                &mut diffs,
            );
            (actual.rest.get("stages"), None, diffs)
        }
    };

    let (first_differing_stage, stages_problem) = match answer_stages {
        None => (None, None),
        Some(Value::Object(reported)) => (first_differing_stage(stages, reported), None),
        Some(other) => (
            None,
            Some(format!(
                "`stages` is not an object but {}",
                auth_vectors::vars::json_kind(other)
            )),
        ),
    };

    let mut reasons = Vec::new();
    reasons.extend(kind_problem);
    reasons.extend(stages_problem);
    if let Some(stage) = &first_differing_stage {
        reasons.push(format!("stage `{}` differs", stage.name));
    }
    if let Some(first) = result_diffs.first() {
        let more = match result_diffs.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        let is_code = first.path == "error.code";
        reasons.push(if is_code {
            format!(
                "wrong error code: expected `{}`, answered `{}`{more}",
                first.expected.as_str().unwrap_or_default(),
                first
                    .actual
                    .as_ref()
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            )
        } else {
            format!("{} differs{more}", first.path)
        });
    }
    if reasons.is_empty() {
        return Outcome::Pass;
    }
    Outcome::Fail(Failure {
        kind: FailureKind::Mismatch,
        reason: reasons.join("; "),
        first_differing_stage,
        result_diffs,
        answer: Some(answer.clone()),
        step: None,
    })
}

/// The first stage of `expected` (in its order) that the testee reported with another value.
fn first_differing_stage(expected: &[Stage], reported: &Map<String, Value>) -> Option<StageDiff> {
    expected
        .iter()
        .find_map(|stage| match reported.get(&stage.name) {
            Some(Value::String(actual)) if *actual == stage.value => None,
            None => None,
            Some(actual) => Some(StageDiff {
                name: stage.name.clone(),
                expected: stage.value.clone(),
                actual: actual.clone(),
            }),
        })
}

/// Records in `diffs` every part of `expected` that `actual` lacks or has with another value.
///
/// `case_insensitive_keys` is set for the members of an object under a key named `headers`.
fn subset(
    expected: &Value,
    actual: &Value,
    path: &str,
    case_insensitive_keys: bool,
    diffs: &mut Vec<FieldDiff>,
) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, expected_value) in expected {
                let child_path = format!("{path}.{key}");
                let found = actual.get(key).or_else(|| {
                    if case_insensitive_keys {
                        actual
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case(key))
                            .map(|(_, v)| v)
                    } else {
                        None
                    }
                });
                match found {
                    Some(actual_value) => subset(
                        expected_value,
                        actual_value,
                        &child_path,
                        key == "headers",
                        diffs,
                    ),
                    None => diffs.push(FieldDiff {
                        path: child_path,
                        expected: expected_value.clone(),
                        actual: None,
                    }),
                }
            }
        }
        (expected, actual) if expected == actual => {}
        (expected, actual) => diffs.push(FieldDiff {
            path: path.to_owned(),
            expected: expected.clone(),
            actual: Some(actual.clone()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use auth_vectors::model::{ExpectedError, Provenance, ProvenanceKind};
    use serde_json::json;

    fn vector(op: &str, expected: Expected, stages: &[(&str, &str)]) -> Vector {
        Vector {
            id: "kraken-spot/test/v".to_owned(),
            description: "d".to_owned(),
            requirements: vec!["KSPOT-001".to_owned()],
            provenance: Provenance {
                kind: ProvenanceKind::Computed,
                source: "s".to_owned(),
                confirmed_by: vec!["c".to_owned()],
            },
            flags: Vec::new(),
            op: op.to_owned(),
            input: json!({}),
            expected,
            stages: stages
                .iter()
                .map(|(n, v)| Stage {
                    name: (*n).to_owned(),
                    value: (*v).to_owned(),
                })
                .collect(),
        }
    }

    fn positive(result: Value, stages: &[(&str, &str)]) -> Vector {
        vector("sign", Expected::Result(result), stages)
    }

    fn negative(code: &str, rest: Value) -> Vector {
        let Value::Object(rest) = rest else {
            panic!("rest must be an object")
        };
        vector(
            "verify",
            Expected::Error(ExpectedError {
                code: code.to_owned(),
                rest,
            }),
            &[],
        )
    }

    fn result(v: Value) -> protocol::Outcome {
        protocol::Outcome::Result(v)
    }

    fn error(code: &str, message: &str, rest: Value) -> protocol::Outcome {
        let Value::Object(rest) = rest else {
            panic!("rest must be an object")
        };
        protocol::Outcome::Error(protocol::ErrorBody {
            code: code.to_owned(),
            message: message.to_owned(),
            rest,
        })
    }

    fn failure(outcome: Outcome) -> Failure {
        match outcome {
            Outcome::Fail(f) => f,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn subset_ignores_extra_fields_recursively() {
        let v = positive(json!({"headers": {"API-Key": "k"}, "x": {"a": 1}}), &[]);
        let answer = result(
            json!({"headers": {"API-Key": "k", "Extra": "e"}, "x": {"a": 1, "b": 2}, "y": true}),
        );
        assert_eq!(compare(&v, &answer), Outcome::Pass);
    }

    #[test]
    fn subset_reports_missing_and_differing_fields_with_paths() {
        let v = positive(
            json!({"headers": {"API-Key": "k", "API-Sign": "s"}, "x": {"a": 1}}),
            &[],
        );
        let f = failure(compare(
            &v,
            &result(json!({"headers": {"API-Key": "other"}, "x": {"a": 2}})),
        ));
        assert_eq!(f.kind, FailureKind::Mismatch);
        assert_eq!(
            f.result_diffs,
            vec![
                FieldDiff {
                    path: "result.headers.API-Key".into(),
                    expected: json!("k"),
                    actual: Some(json!("other"))
                },
                FieldDiff {
                    path: "result.headers.API-Sign".into(),
                    expected: json!("s"),
                    actual: None
                },
                FieldDiff {
                    path: "result.x.a".into(),
                    expected: json!(1),
                    actual: Some(json!(2))
                },
            ]
        );
        assert_eq!(f.reason, "result.headers.API-Key differs (and 2 more)");
        assert_eq!(f.first_differing_stage, None);
    }

    #[test]
    fn arrays_compare_exactly() {
        let v = negative(
            "nonce-stale",
            json!({"response": {"body": {"error": ["EAPI:Invalid nonce"]}}}),
        );
        let longer = error(
            "nonce-stale",
            "",
            json!({"response": {"body": {"error": ["EAPI:Invalid nonce", "x"]}}}),
        );
        let f = failure(compare(&v, &longer));
        assert_eq!(f.result_diffs.len(), 1);
        assert_eq!(f.result_diffs[0].path, "error.response.body.error");
        let same = error(
            "nonce-stale",
            "",
            json!({"response": {"body": {"error": ["EAPI:Invalid nonce"]}}}),
        );
        assert_eq!(compare(&v, &same), Outcome::Pass);
    }

    #[test]
    fn header_names_compare_case_insensitively_only_under_headers() {
        let v = positive(json!({"headers": {"API-Key": "k", "API-Sign": "s"}}), &[]);
        assert_eq!(
            compare(
                &v,
                &result(json!({"headers": {"api-key": "k", "API-SIGN": "s"}}))
            ),
            Outcome::Pass
        );
        // Values stay case-sensitive.
        let f = failure(compare(
            &v,
            &result(json!({"headers": {"api-key": "K", "api-sign": "s"}})),
        ));
        assert_eq!(f.result_diffs[0].path, "result.headers.API-Key");
        // Other keys stay case-sensitive.
        let v = positive(json!({"other": {"API-Key": "k"}}), &[]);
        let f = failure(compare(&v, &result(json!({"other": {"api-key": "k"}}))));
        assert_eq!(f.result_diffs[0].path, "result.other.API-Key");
        assert_eq!(f.result_diffs[0].actual, None);
    }

    #[test]
    fn first_differing_stage_follows_the_vectors_order() {
        let v = positive(
            json!({"headers": {"API-Sign": "s"}}),
            &[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")],
        );
        // The answer's map is ordered differently (and alphabetically d < z); the vector's order decides.
        let answer = result(
            json!({"headers": {"API-Sign": "bad"}, "stages": {"d": "x", "c": "x", "b": "2", "a": "1"}}),
        );
        let f = failure(compare(&v, &answer));
        assert_eq!(
            f.first_differing_stage,
            Some(StageDiff {
                name: "c".into(),
                expected: "3".into(),
                actual: json!("x")
            })
        );
        assert_eq!(
            f.reason,
            "stage `c` differs; result.headers.API-Sign differs"
        );
        assert_eq!(f.result_diffs.len(), 1);
    }

    #[test]
    fn unreported_and_unknown_stages_are_not_failures() {
        let v = positive(
            json!({"headers": {"API-Sign": "s"}}),
            &[("a", "1"), ("b", "2"), ("c", "3")],
        );
        let answer = result(
            json!({"headers": {"API-Sign": "s"}, "stages": {"b": "2", "extra": "anything"}}),
        );
        assert_eq!(compare(&v, &answer), Outcome::Pass);
        let no_stages = result(json!({"headers": {"API-Sign": "s"}}));
        assert_eq!(compare(&v, &no_stages), Outcome::Pass);
    }

    #[test]
    fn a_differing_stage_fails_even_when_the_result_matches() {
        let v = positive(
            json!({"headers": {"API-Sign": "s"}}),
            &[("a", "1"), ("b", "2")],
        );
        let f = failure(compare(
            &v,
            &result(json!({"headers": {"API-Sign": "s"}, "stages": {"b": 2}})),
        ));
        assert_eq!(
            f.first_differing_stage,
            Some(StageDiff {
                name: "b".into(),
                expected: "2".into(),
                actual: json!(2)
            })
        );
        assert!(f.result_diffs.is_empty());
        assert_eq!(f.reason, "stage `b` differs");
        let f = failure(compare(
            &v,
            &result(json!({"headers": {"API-Sign": "s"}, "stages": ["a"]})),
        ));
        assert_eq!(f.reason, "`stages` is not an object but an array");
    }

    #[test]
    fn error_code_mismatch_fails_and_message_is_never_compared() {
        let v = negative(
            "nonce-stale",
            json!({"message": "ignored", "response": {"status": 200}}),
        );
        let f = failure(compare(
            &v,
            &error(
                "nonce-replayed",
                "whatever",
                json!({"response": {"status": 200}}),
            ),
        ));
        assert_eq!(
            f.result_diffs,
            vec![FieldDiff {
                path: "error.code".into(),
                expected: json!("nonce-stale"),
                actual: Some(json!("nonce-replayed"))
            }]
        );
        assert_eq!(
            f.reason,
            "wrong error code: expected `nonce-stale`, answered `nonce-replayed`"
        );
        assert_eq!(
            compare(
                &v,
                &error(
                    "nonce-stale",
                    "other text",
                    json!({"response": {"status": 200}})
                )
            ),
            Outcome::Pass
        );
        let f = failure(compare(
            &v,
            &error("nonce-stale", "", json!({"response": {"status": 401}})),
        ));
        assert_eq!(f.reason, "error.response.status differs");
    }

    #[test]
    fn a_result_where_an_error_is_expected_fails() {
        let v = vector(
            "sign",
            Expected::Error(ExpectedError {
                code: "secret-invalid".to_owned(),
                rest: Map::new(),
            }),
            &[],
        );
        let f = failure(compare(&v, &result(json!({"headers": {"API-Sign": "s"}}))));
        assert_eq!(
            f.reason,
            "signed what must be refused: expected error `secret-invalid`, answered a result"
        );
        assert!(matches!(f.answer, Some(protocol::Outcome::Result(_))));
        let v = negative("signature-mismatch", json!({}));
        let f = failure(compare(&v, &result(json!({"api_key": "k", "nonce": "1"}))));
        assert!(
            f.reason.starts_with("accepted what must be refused"),
            "{}",
            f.reason
        );
    }

    #[test]
    fn an_error_where_a_result_is_expected_fails() {
        let v = positive(json!({"headers": {"API-Sign": "s"}}), &[]);
        let f = failure(compare(
            &v,
            &error("secret-invalid", "bad base64", json!({})),
        ));
        assert_eq!(
            f.reason,
            "refused what must be signed: answered error `secret-invalid`"
        );
    }

    #[test]
    fn skipped_is_never_a_pass() {
        let v = positive(json!({}), &[]);
        let answer = protocol::Outcome::Skipped(protocol::Skipped {
            reason: "verify not implemented".into(),
        });
        assert_eq!(
            compare(&v, &answer),
            Outcome::Skipped {
                reason: "testee skipped it: verify not implemented".into()
            }
        );
    }

    #[test]
    fn field_diff_json_distinguishes_missing_from_null() {
        let missing = FieldDiff {
            path: "p".into(),
            expected: json!(1),
            actual: None,
        };
        let null = FieldDiff {
            path: "p".into(),
            expected: json!(1),
            actual: Some(Value::Null),
        };
        let missing_json = serde_json::to_value(&missing).unwrap();
        let null_json = serde_json::to_value(&null).unwrap();
        assert_eq!(missing_json, json!({"path": "p", "expected": 1}));
        assert_eq!(
            null_json,
            json!({"path": "p", "expected": 1, "actual": null})
        );
        assert_eq!(
            serde_json::from_value::<FieldDiff>(missing_json).unwrap(),
            missing
        );
        assert_eq!(
            serde_json::from_value::<FieldDiff>(null_json).unwrap(),
            null
        );
    }
}
