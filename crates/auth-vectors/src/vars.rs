//! `${var}` references in scenario steps, and JSON-pointer captures (`spec/vector-format.md`, Scenarios).
//!
//! A reference is `${` + a variable name (`[a-z][a-z0-9_]*`) + `}` inside any JSON string of a step's `input` or
//! `expected` (object keys are never substituted). Any other `$` is literal text. Substitution replaces every
//! reference by the variable's value; a reference to a variable that has no value is an [`UnknownVariable`].

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

/// A `${name}` reference whose variable has no value (no earlier step captured it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownVariable(pub String);

impl fmt::Display for UnknownVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown variable `${{{}}}` (no earlier step captures it)",
            self.0
        )
    }
}

impl std::error::Error for UnknownVariable {}

/// Whether `name` is a valid variable name (`[a-z][a-z0-9_]*`).
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A piece of a string: literal text or a reference.
enum Piece<'a> {
    Literal(&'a str),
    Reference(&'a str),
}

/// Splits `text` into literal parts and references, in order.
fn scan(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) if is_variable_name(&after[..end]) => {
                pieces.push(Piece::Literal(&rest[..start]));
                pieces.push(Piece::Reference(&after[..end]));
                rest = &after[end + 1..];
            }
            _ => {
                pieces.push(Piece::Literal(&rest[..start + 2]));
                rest = after;
            }
        }
    }
    pieces.push(Piece::Literal(rest));
    pieces
}

/// Every variable referenced in the strings of `value`, in document order, each once.
pub fn references(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect(value, &mut out);
    out
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            for piece in scan(text) {
                if let Piece::Reference(name) = piece
                    && !out.iter().any(|n| n == name)
                {
                    out.push(name.to_owned());
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
        Value::Object(members) => members.values().for_each(|item| collect(item, out)),
        _ => {}
    }
}

/// `value` with every `${name}` in its strings replaced by `vars[name]`, recursively.
///
/// # Errors
/// The first reference (in document order) to a variable `vars` lacks.
pub fn substitute(
    value: &Value,
    vars: &BTreeMap<String, String>,
) -> Result<Value, UnknownVariable> {
    Ok(match value {
        Value::String(text) => {
            let mut out = String::with_capacity(text.len());
            for piece in scan(text) {
                match piece {
                    Piece::Literal(literal) => out.push_str(literal),
                    Piece::Reference(name) => match vars.get(name) {
                        Some(value) => out.push_str(value),
                        None => return Err(UnknownVariable(name.to_owned())),
                    },
                }
            }
            Value::String(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| substitute(item, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, vars)?)))
                .collect::<Result<_, UnknownVariable>>()?,
        ),
        other => other.clone(),
    })
}

/// Why a capture failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureError {
    /// Nothing in the answer at the pointer.
    Missing {
        /// The variable.
        name: String,
        /// The pointer.
        pointer: String,
    },
    /// The value at the pointer is not a string.
    NotString {
        /// The variable.
        name: String,
        /// The pointer.
        pointer: String,
        /// What it is instead (`a number`, `an object`, ...).
        found: &'static str,
    },
}

impl fmt::Display for CaptureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaptureError::Missing { name, pointer } => {
                write!(
                    f,
                    "cannot capture `{name}`: the answer has nothing at {pointer}"
                )
            }
            CaptureError::NotString {
                name,
                pointer,
                found,
            } => write!(
                f,
                "cannot capture `{name}`: the answer's value at {pointer} is {found}, not a string"
            ),
        }
    }
}

impl std::error::Error for CaptureError {}

/// Evaluates each `name -> pointer` of `capture` on `answer` (the answer object `{"result": ..}` or
/// `{"error": ..}`) and inserts the string found into `vars`.
///
/// # Errors
/// The first capture (in name order) whose pointer finds nothing or a non-string; `vars` then holds the captures
/// before it.
pub fn capture(
    capture: &BTreeMap<String, String>,
    answer: &Value,
    vars: &mut BTreeMap<String, String>,
) -> Result<(), CaptureError> {
    for (name, pointer) in capture {
        match answer.pointer(pointer) {
            Some(Value::String(s)) => {
                vars.insert(name.clone(), s.clone());
            }
            None => {
                return Err(CaptureError::Missing {
                    name: name.clone(),
                    pointer: pointer.clone(),
                });
            }
            Some(other) => {
                return Err(CaptureError::NotString {
                    name: name.clone(),
                    pointer: pointer.clone(),
                    found: json_kind(other),
                });
            }
        }
    }
    Ok(())
}

/// The JSON kind of `value` as a phrase for messages (`a string`, `an object`, `null`).
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn substitutes_nested_and_multiple() {
        let v = vars(&[("token", "T1"), ("user", "bob")]);
        let input = json!({
            "headers": {"X-Auth-Token": "${token}"},
            "list": ["a${user}b${token}c", 3, null, {"deep": ["${user}"]}],
            "${token}": "key unchanged",
            "n": 1
        });
        assert_eq!(
            substitute(&input, &v).unwrap(),
            json!({
                "headers": {"X-Auth-Token": "T1"},
                "list": ["abobbT1c", 3, null, {"deep": ["bob"]}],
                "${token}": "key unchanged",
                "n": 1
            })
        );
    }

    #[test]
    fn unknown_variable_is_an_error() {
        let v = vars(&[("token", "T")]);
        assert_eq!(
            substitute(&json!({"a": ["${token}${nope}"]}), &v),
            Err(UnknownVariable("nope".into()))
        );
        assert!(
            UnknownVariable("nope".into())
                .to_string()
                .contains("`${nope}`")
        );
    }

    #[test]
    fn non_references_are_literal() {
        let v = BTreeMap::new();
        for text in [
            "$", "${", "${}", "${Upper}", "${a-b}", "$token", "a}${", "${1x}",
        ] {
            assert_eq!(substitute(&json!(text), &v).unwrap(), json!(text), "{text}");
            assert!(references(&json!(text)).is_empty(), "{text}");
        }
    }

    #[test]
    fn references_in_document_order_once() {
        let refs = references(&json!({"a": "${x}${y}", "b": ["${x}", {"c": "${z_1}"}]}));
        assert_eq!(refs, ["x", "y", "z_1"]);
    }

    #[test]
    fn capture_reads_strings_at_pointers() {
        let answer = json!({"result": {"token": "abc", "n": 3, "o": {}}});
        let mut v = BTreeMap::new();
        capture(&vars(&[("token", "/result/token")]), &answer, &mut v).unwrap();
        assert_eq!(v.get("token").map(String::as_str), Some("abc"));

        let err = capture(&vars(&[("t", "/result/missing")]), &answer, &mut v).unwrap_err();
        assert_eq!(
            err,
            CaptureError::Missing {
                name: "t".into(),
                pointer: "/result/missing".into()
            }
        );
        assert!(err.to_string().contains("nothing at /result/missing"));

        let err = capture(&vars(&[("t", "/result/n")]), &answer, &mut v).unwrap_err();
        assert!(
            matches!(
                err,
                CaptureError::NotString {
                    found: "a number",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("not a string"));
        let err = capture(&vars(&[("t", "/error")]), &answer, &mut v).unwrap_err();
        assert!(matches!(err, CaptureError::Missing { .. }));
    }
}
