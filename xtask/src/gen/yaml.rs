//! A small YAML writer for generated vector files, written out here so that the bytes of a file depend on the
//! seed alone, never on a YAML library's version or on `serde_json`'s map order.
//!
//! Output: block mappings and sequences indented by two spaces; every string double-quoted, with `\\`, `\"`,
//! `\t`, `\n`, `\r` and `\uXXXX` / `\UXXXXXXXX` escapes for every character YAML 1.1 does not allow raw in a
//! double-quoted scalar (C0 and C1 controls, DEL, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF), so every string
//! reads back exactly; integers, booleans and null plain; `{}` and `[]` for empty collections; a sequence of
//! short scalars in flow style (`[a, b]`). Mapping keys are plain when they are simple identifiers (letters,
//! digits, `_`, `-`, starting with a letter or `_`, and not a YAML 1.1 boolean or null word), quoted otherwise.
//! Objects converted from JSON ([`Node::from_json`]) have their keys sorted by byte order.

use std::fmt::Write as _;

use serde_json::Value;

/// A YAML node with an explicit key order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A JSON number, written as its JSON text.
    Number(String),
    /// A string, always double-quoted.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in this order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// A string node.
    pub(crate) fn str(text: impl Into<String>) -> Node {
        Node::Str(text.into())
    }

    /// Converts a JSON value; object keys are sorted by byte order.
    pub(crate) fn from_json(value: &Value) -> Node {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.to_string()),
            Value::String(s) => Node::Str(s.clone()),
            Value::Array(items) => Node::Seq(items.iter().map(Node::from_json).collect()),
            Value::Object(map) => {
                let mut entries: Vec<(String, Node)> = map
                    .iter()
                    .map(|(key, value)| (key.clone(), Node::from_json(value)))
                    .collect();
                entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
                Node::Map(entries)
            }
        }
    }

    fn is_scalar(&self) -> bool {
        matches!(
            self,
            Node::Null | Node::Bool(_) | Node::Number(_) | Node::Str(_)
        )
    }

    /// Whether the node is written on the line of its key or dash.
    fn is_inline(&self) -> bool {
        match self {
            Node::Seq(items) => items.is_empty() || flow_sequence(items).is_some(),
            Node::Map(entries) => entries.is_empty(),
            _ => true,
        }
    }
}

/// Writes `node` (a mapping, for a document) as a YAML document ending in a line feed.
pub(crate) fn document(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

/// A sequence of short scalars as `[a, b]`, or `None`.
fn flow_sequence(items: &[Node]) -> Option<String> {
    if !items.iter().all(Node::is_scalar) {
        return None;
    }
    let text = format!(
        "[{}]",
        items.iter().map(inline).collect::<Vec<_>>().join(", ")
    );
    (text.len() <= 120).then_some(text)
}

/// An inline node's text.
fn inline(node: &Node) -> String {
    match node {
        Node::Null => "null".to_owned(),
        Node::Bool(b) => b.to_string(),
        Node::Number(n) => n.clone(),
        Node::Str(s) => quote(s),
        Node::Seq(items) if items.is_empty() => "[]".to_owned(),
        Node::Seq(items) => flow_sequence(items).unwrap_or_else(|| "[]".to_owned()),
        Node::Map(_) => "{}".to_owned(),
    }
}

fn write_map(out: &mut String, entries: &[(String, Node)], indent: usize) {
    for (key, value) in entries {
        out.push_str(&" ".repeat(indent));
        out.push_str(&key_text(key));
        out.push(':');
        write_value(out, value, indent);
    }
}

/// Writes what follows `key:` or `- `: the inline text and a line feed, or a line feed and the nested block.
fn write_value(out: &mut String, value: &Node, indent: usize) {
    if value.is_inline() {
        out.push(' ');
        out.push_str(&inline(value));
        out.push('\n');
        return;
    }
    out.push('\n');
    match value {
        Node::Map(entries) => write_map(out, entries, indent + 2),
        Node::Seq(items) => write_seq(out, items, indent + 2),
        _ => {}
    }
}

fn write_seq(out: &mut String, items: &[Node], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match item {
            Node::Map(entries) if !entries.is_empty() => {
                // The first entry goes on the dash's line, the rest under it.
                let mut first = true;
                for (key, value) in entries {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&" ".repeat(indent + 2));
                    }
                    out.push_str(&key_text(key));
                    out.push(':');
                    write_value(out, value, indent + 2);
                }
            }
            Node::Seq(inner) if !item.is_inline() => {
                out.push('\n');
                write_seq(out, inner, indent + 2);
            }
            other => {
                out.push(' ');
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

/// YAML 1.1 words a plain scalar would read as a boolean or null.
const RESERVED: &[&str] = &[
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
];

fn key_text(key: &str) -> String {
    let simple = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !RESERVED.contains(&key.to_ascii_lowercase().as_str());
    if simple { key.to_owned() } else { quote(key) }
}

/// A double-quoted YAML scalar that reads back as exactly `text`.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                if code <= 0xffff {
                    let _ = write!(out, "\\u{code:04X}");
                } else {
                    let _ = write!(out, "\\U{code:08X}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters YAML 1.1 does not allow raw in a double-quoted scalar (or that a YAML 1.1 reader takes as a line
/// break).
fn needs_escape(c: char) -> bool {
    matches!(u32::from(c), 0..=0x1f | 0x7f..=0x9f | 0x2028 | 0x2029 | 0xfeff | 0xfffe | 0xffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_blocks_flows_and_escapes() {
        let node = Node::Map(vec![
            ("format".to_owned(), Node::Number("1".to_owned())),
            (
                "list".to_owned(),
                Node::Seq(vec![Node::str("a"), Node::str("b")]),
            ),
            (
                "vectors".to_owned(),
                Node::Seq(vec![Node::Map(vec![
                    ("id".to_owned(), Node::str("x\u{2028}\"\\\u{1}")),
                    ("empty".to_owned(), Node::Map(vec![])),
                    (
                        "nested".to_owned(),
                        Node::Map(vec![("yes".to_owned(), Node::Bool(true))]),
                    ),
                ])]),
            ),
        ]);
        assert_eq!(
            document(&node),
            "format: 1\nlist: [\"a\", \"b\"]\nvectors:\n  - id: \"x\\u2028\\\"\\\\\\u0001\"\n    empty: {}\n    nested:\n      \"yes\": true\n"
        );
    }
}
