//! Requirement ids defined in the spec's Markdown, and which vectors cite them.
//!
//! Contract (the brief's, restated in `spec/vector-format.md`): a requirement is *defined* by a line of a
//! `spec/*.md` file that starts, unindented, with `- **ID**` where `ID` matches
//! `^(CORE|KSPOT|KFUT|KV5|KAZOO|HAIV)-[0-9]{3}$`; everywhere else an id is only a reference. The marker
//! `*(not vector-testable)*` right after the bold id exempts the requirement from the coverage rule. Lines inside
//! fenced code blocks are never definitions, so the format spec can show examples. Problems found while parsing
//! (a second definition, a near-miss id, a misplaced marker) are returned as lint findings.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::lint::Finding;

/// The scheme prefixes a requirement id may have.
pub const REQUIREMENT_PREFIXES: [&str; 6] = ["CORE", "KSPOT", "KFUT", "KV5", "KAZOO", "HAIV"];

/// The marker that exempts a requirement from the coverage rule, right after its bold id.
pub const NOT_VECTOR_TESTABLE: &str = "*(not vector-testable)*";

/// Whether `id` is a well-formed requirement id (`KSPOT-001`).
pub fn is_requirement_id(id: &str) -> bool {
    let Some((prefix, number)) = id.split_once('-') else {
        return false;
    };
    REQUIREMENT_PREFIXES.contains(&prefix)
        && number.len() == 3
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The prefix of a requirement id (`KSPOT` of `KSPOT-001`); the whole id if it has no `-`.
pub fn requirement_prefix(id: &str) -> &str {
    id.split_once('-').map_or(id, |(prefix, _)| prefix)
}

/// Where something is in the spec: a file (relative to the spec directory) and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecLocation {
    /// The spec file, relative to the spec directory (`kraken-spot.md`).
    pub file: PathBuf,
    /// The line, counted from 1.
    pub line: usize,
}

impl fmt::Display for SpecLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// One defined requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// Where it is defined.
    pub at: SpecLocation,
    /// False when the defining line carries `*(not vector-testable)*`.
    pub vector_testable: bool,
    /// The rest of the defining line after the id (and marker): the start of the normative sentence.
    pub text: String,
}

/// Every requirement defined in a spec directory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requirements {
    /// Requirement id to its (first) definition.
    pub defined: BTreeMap<String, Requirement>,
    /// Problems found while parsing: duplicate definitions, malformed ids, misplaced markers.
    pub findings: Vec<Finding>,
}

/// The spec directory could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct RequirementsError {
    /// The directory or file.
    pub path: PathBuf,
    /// The I/O error.
    pub source: std::io::Error,
}

impl Requirements {
    /// Parses every `*.md` file directly in `spec_dir`, in file-name order.
    ///
    /// # Errors
    /// If the directory or one of its Markdown files cannot be read.
    pub fn load(spec_dir: &Path) -> Result<Requirements, RequirementsError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| RequirementsError { path, source }
        };
        let mut names = Vec::new();
        for entry in fs::read_dir(spec_dir).map_err(io(spec_dir))? {
            let entry = entry.map_err(io(spec_dir))?;
            let name = PathBuf::from(entry.file_name());
            if name.extension().is_some_and(|e| e == "md") && entry.path().is_file() {
                names.push(name);
            }
        }
        names.sort();
        let mut requirements = Requirements::default();
        for name in names {
            let path = spec_dir.join(&name);
            let text = fs::read_to_string(&path).map_err(io(&path))?;
            requirements.add_file(&name, &text);
        }
        Ok(requirements)
    }

    /// Adds the definitions in one spec file's text; `file` names it in locations and findings.
    pub fn add_file(&mut self, file: &Path, text: &str) {
        let mut fence: Option<(char, usize)> = None;
        for (index, line) in text.lines().enumerate() {
            let at = SpecLocation {
                file: file.to_path_buf(),
                line: index + 1,
            };
            let trimmed = line.trim_start();
            if let Some((ch, len)) = fence_marker(trimmed) {
                match fence {
                    None => fence = Some((ch, len)),
                    Some((open, open_len))
                        if open == ch && len >= open_len && trimmed[len..].trim().is_empty() =>
                    {
                        fence = None;
                    }
                    Some(_) => {}
                }
                continue;
            }
            if fence.is_some() {
                continue;
            }
            self.parse_line(line, at);
        }
    }

    fn parse_line(&mut self, line: &str, at: SpecLocation) {
        let Some(rest) = line.strip_prefix("- **") else {
            return;
        };
        let Some((token, after)) = rest.split_once("**") else {
            return;
        };
        if !is_requirement_id(token) {
            if looks_like_requirement_id(token) {
                self.findings.push(Finding::MalformedRequirementId {
                    text: token.to_owned(),
                    at,
                });
            }
            return;
        }
        let after = after.trim_start();
        let (vector_testable, text) = match after.strip_prefix(NOT_VECTOR_TESTABLE) {
            Some(text) => (false, text.trim()),
            None => (true, after.trim_end()),
        };
        if vector_testable && after.contains("(not vector-testable)") {
            self.findings.push(Finding::MisplacedMarker {
                id: token.to_owned(),
                at: at.clone(),
            });
        }
        if let Some(first) = self.defined.get(token) {
            self.findings.push(Finding::DuplicateRequirement {
                id: token.to_owned(),
                first: first.at.clone(),
                second: at,
            });
            return;
        }
        self.defined.insert(
            token.to_owned(),
            Requirement {
                at,
                vector_testable,
                text: text.to_owned(),
            },
        );
    }

    /// The definition of `id`, if any.
    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.defined.get(id)
    }
}

/// An upper-case prefix, `-`, digits: meant as a requirement id, but not one (`KSPOT-01`, `KRAKEN-001`).
fn looks_like_requirement_id(token: &str) -> bool {
    let Some((prefix, number)) = token.split_once('-') else {
        return false;
    };
    !prefix.is_empty()
        && prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && prefix
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_uppercase)
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// A CommonMark code fence opener or closer: three or more backticks or tildes.
fn fence_marker(line: &str) -> Option<(char, usize)> {
    let ch = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = line.chars().take_while(|c| *c == ch).count();
    (len >= 3).then_some((ch, len))
}
