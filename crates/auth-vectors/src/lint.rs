//! Corpus lint: the cross-file rules the schema cannot express, and requirement coverage.
//!
//! The lint never stops at the first problem: it returns every finding, each a typed [`Finding`] that names the
//! file (relative to the corpus root or the spec directory) and the vector or requirement, so a corpus author fixes
//! everything in one pass and tests can assert the exact rule that fired. Beside the findings the report carries the
//! coverage table (requirement -> citing vectors) that `cargo xtask vectors lint` prints.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::load::{Corpus, FLAGS_FILE, RETIRED_FILE};
use crate::model::{Expected, Provenance, ProvenanceKind, Scenario, Stage};
use crate::requirements::{NOT_VECTOR_TESTABLE, Requirements, SpecLocation, requirement_prefix};
use crate::vars;

/// One lint finding. Paths are relative to the corpus root (vector files) or the spec directory (spec files).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// The spec directory or one of its files could not be read; requirements are unknown.
    SpecUnreadable {
        /// What could not be read.
        path: PathBuf,
        /// The I/O error.
        message: String,
    },
    /// A requirement id is defined twice.
    DuplicateRequirement {
        /// The id.
        id: String,
        /// The definition that counts.
        first: SpecLocation,
        /// The second definition.
        second: SpecLocation,
    },
    /// A defining line's bold token looks like a requirement id but is not one (`KSPOT-01`, `KRAKEN-001`).
    MalformedRequirementId {
        /// The token.
        text: String,
        /// Where it is.
        at: SpecLocation,
    },
    /// A defining line mentions `(not vector-testable)` somewhere other than right after the bold id.
    MisplacedMarker {
        /// The requirement.
        id: String,
        /// Its definition.
        at: SpecLocation,
    },
    /// A vector-testable requirement that no vector cites.
    UncoveredRequirement {
        /// The requirement.
        id: String,
        /// Its definition.
        at: SpecLocation,
    },
    /// Two vectors or scenarios share an id.
    DuplicateVectorId {
        /// The id.
        id: String,
        /// The file of the second occurrence.
        file: PathBuf,
        /// The file of the first occurrence.
        first_file: PathBuf,
    },
    /// A vector cites a requirement that no spec file defines.
    UndefinedRequirement {
        /// The vector.
        vector: String,
        /// Its file.
        file: PathBuf,
        /// The cited id.
        requirement: String,
    },
    /// A vector cites the same requirement more than once.
    DuplicateCitation {
        /// The vector.
        vector: String,
        /// Its file.
        file: PathBuf,
        /// The repeated id.
        requirement: String,
    },
    /// A vector cites no requirement.
    NoRequirements {
        /// The vector.
        vector: String,
        /// Its file.
        file: PathBuf,
    },
    /// A vector uses an id listed in `retired.yaml`.
    RetiredIdReused {
        /// The id.
        id: String,
        /// The vector's file.
        file: PathBuf,
    },
    /// `retired.yaml` lists an id twice.
    RetiredListedTwice {
        /// The id.
        id: String,
    },
    /// A vector carries a flag that `flags.yaml` does not document.
    UndocumentedFlag {
        /// The flag.
        flag: String,
        /// The vector.
        vector: String,
        /// Its file.
        file: PathBuf,
    },
    /// `flags.yaml` documents a flag that no vector carries.
    UnusedFlag {
        /// The flag.
        flag: String,
    },
    /// A `computed` vector names no independent implementation that confirms it.
    UnconfirmedComputed {
        /// The vector.
        vector: String,
        /// Its file.
        file: PathBuf,
    },
    /// A positive vector whose `expected.result` is not an object.
    ResultNotObject {
        /// The vector.
        vector: String,
        /// Its file.
        file: PathBuf,
    },
    /// A negative vector whose `expected.error.code` is empty.
    EmptyErrorCode {
        /// The vector.
        vector: String,
        /// Its file.
        file: PathBuf,
    },
    /// A vector names the same stage twice (the testee reports stages as a map, so one would shadow the other).
    DuplicateStage {
        /// The vector.
        vector: String,
        /// Its file.
        file: PathBuf,
        /// The stage name.
        stage: String,
    },
    /// Two steps of a scenario share a name.
    DuplicateStepName {
        /// The scenario.
        scenario: String,
        /// Its file.
        file: PathBuf,
        /// The step name.
        step: String,
    },
    /// A scenario step uses `${var}` that no earlier step of the scenario captures.
    UncapturedVariable {
        /// The scenario.
        scenario: String,
        /// Its file.
        file: PathBuf,
        /// The step using it.
        step: String,
        /// The variable.
        variable: String,
    },
    /// A scenario step names no op.
    EmptyOp {
        /// The scenario.
        scenario: String,
        /// Its file.
        file: PathBuf,
        /// The step.
        step: String,
    },
    /// A scenario has no steps.
    NoSteps {
        /// The scenario.
        scenario: String,
        /// Its file.
        file: PathBuf,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::SpecUnreadable { path, message } => {
                write!(f, "{}: cannot read the spec: {message}", path.display())
            }
            Finding::DuplicateRequirement { id, first, second } => {
                write!(
                    f,
                    "{second}: {id} is defined again (first defined at {first})"
                )
            }
            Finding::MalformedRequirementId { text, at } => write!(
                f,
                "{at}: {text} is not a requirement id (want PREFIX-NNN, PREFIX one of CORE, KSPOT, KFUT, KV5, KAZOO, HAIV)"
            ),
            Finding::MisplacedMarker { id, at } => write!(
                f,
                "{at}: {id}: the marker {NOT_VECTOR_TESTABLE} must follow the bold id directly"
            ),
            Finding::UncoveredRequirement { id, at } => write!(
                f,
                "{at}: {id} is cited by no vector (add one, or mark it {NOT_VECTOR_TESTABLE} if no vector can exercise it)"
            ),
            Finding::DuplicateVectorId {
                id,
                file,
                first_file,
            } => write!(
                f,
                "{}: duplicate vector id {id} (first in {})",
                file.display(),
                first_file.display()
            ),
            Finding::UndefinedRequirement {
                vector,
                file,
                requirement,
            } => write!(
                f,
                "{}: {vector} cites {requirement}, which no spec file defines",
                file.display()
            ),
            Finding::DuplicateCitation {
                vector,
                file,
                requirement,
            } => write!(
                f,
                "{}: {vector} cites {requirement} more than once",
                file.display()
            ),
            Finding::NoRequirements { vector, file } => {
                write!(f, "{}: {vector} cites no requirement", file.display())
            }
            Finding::RetiredIdReused { id, file } => write!(
                f,
                "{}: {id} is retired ({RETIRED_FILE}) and must never be reused",
                file.display()
            ),
            Finding::RetiredListedTwice { id } => {
                write!(f, "{RETIRED_FILE}: {id} is listed more than once")
            }
            Finding::UndocumentedFlag { flag, vector, file } => write!(
                f,
                "{}: {vector} carries flag {flag}, which {FLAGS_FILE} does not document",
                file.display()
            ),
            Finding::UnusedFlag { flag } => {
                write!(f, "{FLAGS_FILE}: flag {flag} is carried by no vector")
            }
            Finding::UnconfirmedComputed { vector, file } => write!(
                f,
                "{}: {vector} is computed but names no independent implementation in provenance.confirmed_by",
                file.display()
            ),
            Finding::ResultNotObject { vector, file } => write!(
                f,
                "{}: {vector} is positive but expected.result is not an object",
                file.display()
            ),
            Finding::EmptyErrorCode { vector, file } => write!(
                f,
                "{}: {vector} is negative but expected.error.code is empty",
                file.display()
            ),
            Finding::DuplicateStage {
                vector,
                file,
                stage,
            } => write!(
                f,
                "{}: {vector} names stage {stage} more than once",
                file.display()
            ),
            Finding::DuplicateStepName {
                scenario,
                file,
                step,
            } => write!(
                f,
                "{}: {scenario} has more than one step named {step}",
                file.display()
            ),
            Finding::UncapturedVariable {
                scenario,
                file,
                step,
                variable,
            } => write!(
                f,
                "{}: {scenario} step {step} uses ${{{variable}}}, which no earlier step captures",
                file.display()
            ),
            Finding::EmptyOp {
                scenario,
                file,
                step,
            } => write!(f, "{}: {scenario} step {step} names no op", file.display()),
            Finding::NoSteps { scenario, file } => {
                write!(f, "{}: {scenario} has no steps", file.display())
            }
        }
    }
}

/// Which vectors cite each defined requirement.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Every defined requirement id to the ids of the vectors and scenarios citing it, in corpus order (empty if
    /// none).
    pub by_requirement: BTreeMap<String, Vec<String>>,
}

impl Coverage {
    /// The vectors citing `requirement` (empty if none or if it is not defined).
    pub fn citing(&self, requirement: &str) -> &[String] {
        self.by_requirement
            .get(requirement)
            .map_or(&[], Vec::as_slice)
    }
}

/// Coverage counts for one requirement prefix (`KSPOT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixCoverage {
    /// The prefix.
    pub prefix: String,
    /// Requirements defined with this prefix.
    pub requirements: usize,
    /// Of those, the ones without the not-vector-testable marker.
    pub vector_testable: usize,
    /// Of the vector-testable ones, those cited by at least one vector.
    pub covered: usize,
    /// The vector-testable ones cited by no vector.
    pub uncovered: Vec<String>,
    /// The ones marked not vector-testable (listed, never demanded).
    pub not_vector_testable: Vec<String>,
}

/// Coverage per requirement prefix, sorted by prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageSummary(pub Vec<PrefixCoverage>);

impl fmt::Display for CoverageSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return writeln!(f, "no requirements defined");
        }
        for p in &self.0 {
            writeln!(
                f,
                "{}: {}, {} vector-testable, {} covered",
                p.prefix,
                plural(p.requirements, "requirement"),
                p.vector_testable,
                p.covered
            )?;
            if !p.uncovered.is_empty() {
                writeln!(f, "  uncovered: {}", p.uncovered.join(", "))?;
            }
            if !p.not_vector_testable.is_empty() {
                writeln!(
                    f,
                    "  not vector-testable: {}",
                    p.not_vector_testable.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

/// The outcome of [`lint`].
#[derive(Debug, Clone, PartialEq)]
pub struct LintReport {
    /// Every finding: spec findings first, then corpus findings rule by rule, each in corpus order.
    pub findings: Vec<Finding>,
    /// The requirements defined in the spec.
    pub requirements: Requirements,
    /// Which vectors cite each defined requirement.
    pub coverage: Coverage,
    /// Number of vector files linted.
    pub files: usize,
    /// Number of vectors linted.
    pub vectors: usize,
    /// Number of scenarios linted.
    pub scenarios: usize,
}

impl LintReport {
    /// Whether there are no findings.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// Coverage counts per requirement prefix.
    pub fn coverage_summary(&self) -> CoverageSummary {
        let mut by_prefix: BTreeMap<&str, PrefixCoverage> = BTreeMap::new();
        for (id, requirement) in &self.requirements.defined {
            let prefix = requirement_prefix(id);
            let entry = by_prefix.entry(prefix).or_insert_with(|| PrefixCoverage {
                prefix: prefix.to_owned(),
                requirements: 0,
                vector_testable: 0,
                covered: 0,
                uncovered: Vec::new(),
                not_vector_testable: Vec::new(),
            });
            entry.requirements += 1;
            if !requirement.vector_testable {
                entry.not_vector_testable.push(id.clone());
            } else if self.coverage.citing(id).is_empty() {
                entry.vector_testable += 1;
                entry.uncovered.push(id.clone());
            } else {
                entry.vector_testable += 1;
                entry.covered += 1;
            }
        }
        CoverageSummary(by_prefix.into_values().collect())
    }
}

impl fmt::Display for LintReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        if !self.findings.is_empty() {
            writeln!(f)?;
        }
        write!(f, "{}", self.coverage_summary())?;
        let scenarios = if self.scenarios == 0 {
            String::new()
        } else {
            format!(" and {}", plural(self.scenarios, "scenario"))
        };
        writeln!(
            f,
            "{}{scenarios} in {}; {}",
            plural(self.vectors, "vector"),
            plural(self.files, "file"),
            plural(self.findings.len(), "finding")
        )
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Lints `corpus` against the requirements defined in `spec_dir/*.md`.
pub fn lint(corpus: &Corpus, spec_dir: &Path) -> LintReport {
    let mut findings = Vec::new();
    let requirements = match Requirements::load(spec_dir) {
        Ok(requirements) => requirements,
        Err(error) => {
            findings.push(Finding::SpecUnreadable {
                path: error.path,
                message: error.source.to_string(),
            });
            Requirements::default()
        }
    };
    findings.extend(requirements.findings.iter().cloned());

    let vectors: Vec<(&Path, &crate::model::Vector)> = corpus
        .files()
        .iter()
        .flat_map(|f| f.file.vectors.iter().map(move |v| (f.path.as_path(), v)))
        .collect();
    let scenarios: Vec<(&Path, &Scenario)> = corpus
        .files()
        .iter()
        .flat_map(|f| f.file.scenarios.iter().map(move |s| (f.path.as_path(), s)))
        .collect();
    // What vectors and scenarios have in common, in corpus order (each file's vectors, then its scenarios).
    let items: Vec<Item<'_>> = corpus
        .files()
        .iter()
        .flat_map(|f| {
            let file = f.path.as_path();
            f.file
                .vectors
                .iter()
                .map(move |v| Item {
                    file,
                    id: &v.id,
                    requirements: &v.requirements,
                    flags: &v.flags,
                    provenance: &v.provenance,
                })
                .chain(f.file.scenarios.iter().map(move |s| Item {
                    file,
                    id: &s.id,
                    requirements: &s.requirements,
                    flags: &s.flags,
                    provenance: &s.provenance,
                }))
        })
        .collect();
    let owned = |path: &Path| path.to_path_buf();

    // Unique ids across the corpus (vectors and scenarios share one namespace).
    let mut first_file: HashMap<&str, &Path> = HashMap::new();
    for item in &items {
        if let Some(first) = first_file.get(item.id) {
            findings.push(Finding::DuplicateVectorId {
                id: item.id.to_owned(),
                file: owned(item.file),
                first_file: owned(first),
            });
        } else {
            first_file.insert(item.id, item.file);
        }
    }

    // Requirement citations and coverage.
    let mut coverage = Coverage {
        by_requirement: requirements
            .defined
            .keys()
            .map(|id| (id.clone(), Vec::new()))
            .collect(),
    };
    for item in &items {
        if item.requirements.is_empty() {
            findings.push(Finding::NoRequirements {
                vector: item.id.to_owned(),
                file: owned(item.file),
            });
        }
        let mut seen = HashSet::new();
        for requirement in item.requirements {
            if !seen.insert(requirement.as_str()) {
                findings.push(Finding::DuplicateCitation {
                    vector: item.id.to_owned(),
                    file: owned(item.file),
                    requirement: requirement.clone(),
                });
                continue;
            }
            match coverage.by_requirement.get_mut(requirement) {
                Some(citing) => citing.push(item.id.to_owned()),
                None => findings.push(Finding::UndefinedRequirement {
                    vector: item.id.to_owned(),
                    file: owned(item.file),
                    requirement: requirement.clone(),
                }),
            }
        }
    }
    for (id, requirement) in &requirements.defined {
        if requirement.vector_testable && coverage.citing(id).is_empty() {
            findings.push(Finding::UncoveredRequirement {
                id: id.clone(),
                at: requirement.at.clone(),
            });
        }
    }

    // Retired ids.
    let mut retired = HashSet::new();
    for entry in &corpus.retired().retired {
        if !retired.insert(entry.id.as_str()) {
            findings.push(Finding::RetiredListedTwice {
                id: entry.id.clone(),
            });
        }
    }
    for item in &items {
        if retired.contains(item.id) {
            findings.push(Finding::RetiredIdReused {
                id: item.id.to_owned(),
                file: owned(item.file),
            });
        }
    }

    // Flags.
    let documented = &corpus.flags().flags;
    let mut used = HashSet::new();
    for item in &items {
        for flag in item.flags {
            used.insert(flag.as_str());
            if !documented.contains_key(flag) {
                findings.push(Finding::UndocumentedFlag {
                    flag: flag.clone(),
                    vector: item.id.to_owned(),
                    file: owned(item.file),
                });
            }
        }
    }
    for flag in documented.keys() {
        if !used.contains(flag.as_str()) {
            findings.push(Finding::UnusedFlag { flag: flag.clone() });
        }
    }

    // Provenance.
    for item in &items {
        if item.provenance.kind == ProvenanceKind::Computed
            && item
                .provenance
                .confirmed_by
                .iter()
                .all(|c| c.trim().is_empty())
        {
            findings.push(Finding::UnconfirmedComputed {
                vector: item.id.to_owned(),
                file: owned(item.file),
            });
        }
    }

    // Per-vector rules, and the same rules for every scenario step (named `<scenario id>#<step name>`).
    for &(file, vector) in &vectors {
        check_expectation(
            &vector.id,
            file,
            &vector.expected,
            &vector.stages,
            &mut findings,
        );
    }

    // Per-scenario rules.
    for &(file, scenario) in &scenarios {
        if scenario.steps.is_empty() {
            findings.push(Finding::NoSteps {
                scenario: scenario.id.clone(),
                file: owned(file),
            });
        }
        let mut names = HashSet::new();
        let mut captured: HashSet<&str> = HashSet::new();
        for step in &scenario.steps {
            if !names.insert(step.name.as_str()) {
                findings.push(Finding::DuplicateStepName {
                    scenario: scenario.id.clone(),
                    file: owned(file),
                    step: step.name.clone(),
                });
            }
            if step.op.trim().is_empty() {
                findings.push(Finding::EmptyOp {
                    scenario: scenario.id.clone(),
                    file: owned(file),
                    step: step.name.clone(),
                });
            }
            let expected = serde_json::to_value(&step.expected).unwrap_or_default();
            let mut used = vars::references(&step.input);
            for name in vars::references(&expected) {
                if !used.contains(&name) {
                    used.push(name);
                }
            }
            for variable in used {
                if !captured.contains(variable.as_str()) {
                    findings.push(Finding::UncapturedVariable {
                        scenario: scenario.id.clone(),
                        file: owned(file),
                        step: step.name.clone(),
                        variable,
                    });
                }
            }
            check_expectation(
                &format!("{}#{}", scenario.id, step.name),
                file,
                &step.expected,
                &step.stages,
                &mut findings,
            );
            captured.extend(step.capture.keys().map(String::as_str));
        }
    }

    LintReport {
        findings,
        requirements,
        coverage,
        files: corpus.files().len(),
        vectors: vectors.len(),
        scenarios: scenarios.len(),
    }
}

/// What the shared lint rules read from a vector or a scenario.
struct Item<'a> {
    file: &'a Path,
    id: &'a str,
    requirements: &'a [String],
    flags: &'a [String],
    provenance: &'a Provenance,
}

/// The rules on one expectation and its stages (a vector's, or a scenario step's under the name `id`).
fn check_expectation(
    id: &str,
    file: &Path,
    expected: &Expected,
    stages: &[Stage],
    findings: &mut Vec<Finding>,
) {
    let at = || (id.to_owned(), file.to_path_buf());
    match expected {
        Expected::Result(result) if !result.is_object() => {
            let (vector, file) = at();
            findings.push(Finding::ResultNotObject { vector, file });
        }
        Expected::Error(error) if error.code.trim().is_empty() => {
            let (vector, file) = at();
            findings.push(Finding::EmptyErrorCode { vector, file });
        }
        _ => {}
    }
    let mut seen = HashSet::new();
    for stage in stages {
        if !seen.insert(stage.name.as_str()) {
            let (vector, file) = at();
            findings.push(Finding::DuplicateStage {
                vector,
                file,
                stage: stage.name.clone(),
            });
        }
    }
}
