//! The typed corpus model: what one YAML vector file holds, after schema validation.
//!
//! The model is deliberately scheme-agnostic. A vector's `input` is the testee-protocol input of its `op`,
//! verbatim, and its `expected` outcome is either the `result` (compared as a subset) or the `error` (compared
//! by `code`, plus any other fields it names). Scheme knowledge lives in the spec and in the adapters, never here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The corpus format version this crate reads (`format:` in every file).
pub const FORMAT_VERSION: u32 = 1;

/// One YAML file under `vectors/<scheme>/<group>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// Corpus format version; must be [`FORMAT_VERSION`].
    pub format: u32,
    /// Scheme id (`kraken-spot`, ...); must equal the parent folder's name.
    pub scheme: String,
    /// Group name; must equal the file stem.
    pub group: String,
    /// What the vectors of this file have in common.
    pub description: String,
    /// The vectors, in the order they are run (may be empty when the file has scenarios).
    pub vectors: Vec<Vector>,
    /// Multi-step scenarios, run after the file's vectors, in this order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<Scenario>,
}

/// One test vector: full inputs, the expected outcome, and the intermediate stages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    /// Immutable id `<scheme>/<group>/<name>`.
    pub id: String,
    /// One line saying what the vector checks.
    pub description: String,
    /// Requirement ids from `spec/` that this vector covers (at least one).
    pub requirements: Vec<String>,
    /// Where the expected values come from.
    pub provenance: Provenance,
    /// Flags documented in `vectors/flags.yaml` (what kind of bug the vector catches).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// The testee-protocol op (`sign`, `verify`, ...).
    pub op: String,
    /// The testee-protocol input of `op`, verbatim: nothing is hidden.
    pub input: Value,
    /// The outcome a conforming implementation produces.
    pub expected: Expected,
    /// Intermediate values in the order the spec computes them, so a reimplementer sees the first that differs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
}

impl Vector {
    /// The scheme part of the id (`kraken-spot` in `kraken-spot/official/vendor-addorder`).
    pub fn scheme(&self) -> &str {
        self.id.split('/').next().unwrap_or_default()
    }

    /// Whether this is a negative vector (a refusal or rejection is expected).
    pub fn is_negative(&self) -> bool {
        self.expected.is_negative()
    }
}

/// A multi-step scenario: ordinary requests run in order, later steps using values captured from earlier answers.
///
/// Its id shares the vector id namespace. The testee keeps no state between steps: every step's input carries the
/// whole state it needs, and `${var}` references (in any JSON string of `input` and `expected`) are substituted by
/// the runner from the `capture`s of earlier steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Immutable id `<scheme>/<group>/<name>`, unique among vectors and scenarios.
    pub id: String,
    /// One line saying what the scenario checks.
    pub description: String,
    /// Requirement ids from `spec/` that this scenario covers (at least one).
    pub requirements: Vec<String>,
    /// Where the expected values come from.
    pub provenance: Provenance,
    /// Flags documented in `vectors/flags.yaml`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// The steps, run in this order (at least one).
    pub steps: Vec<Step>,
}

impl Scenario {
    /// The scheme part of the id.
    pub fn scheme(&self) -> &str {
        self.id.split('/').next().unwrap_or_default()
    }

    /// Whether this is a negative scenario: some step expects an error.
    pub fn is_negative(&self) -> bool {
        self.steps.iter().any(|step| step.expected.is_negative())
    }
}

/// One step of a [`Scenario`]: a testee-protocol request with its expectation, plus the values to capture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Step name, lower-kebab-case, unique within the scenario; the request id is `<scenario id>#<name>`.
    pub name: String,
    /// The testee-protocol op.
    pub op: String,
    /// The op's input; may contain `${var}` references.
    pub input: Value,
    /// The expected outcome, as for vectors; may contain `${var}` references.
    pub expected: Expected,
    /// Intermediate values, as for vectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    /// Variable name to a JSON pointer into the step's actual answer object (`{"result": ..}` or `{"error": ..}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capture: BTreeMap<String, String>,
}

/// Provenance of a vector's expected values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The kind of source.
    pub kind: ProvenanceKind,
    /// The source, named precisely (document and section, repository and file, or generator script).
    pub source: String,
    /// Independent implementations that reproduce the expected values (for `computed` vectors, at least one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub confirmed_by: Vec<String>,
}

/// The kind of source a vector's expected values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProvenanceKind {
    /// Published by the vendor (documentation example).
    VendorDoc,
    /// Taken from a third-party implementation's test suite.
    ThirdPartyTest,
    /// Computed for this corpus and confirmed by independent implementations.
    Computed,
}

/// The expected outcome: exactly one of `result` or `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Expected {
    /// A positive vector: the testee answers `result`, which must contain these fields with these values.
    Result(Value),
    /// A negative vector: the testee answers `error` with this code (and any further fields named here).
    Error(ExpectedError),
}

impl Expected {
    /// Whether this is a negative vector (a refusal or rejection is expected).
    pub fn is_negative(&self) -> bool {
        matches!(self, Expected::Error(_))
    }
}

/// The error a negative vector expects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpectedError {
    /// Stable error code from `spec/error-codes.md`.
    pub code: String,
    /// Further fields (for example the vendor's wire `response`), compared as a subset; `message` is free-form
    /// and never compared.
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// One named intermediate value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// Stage name as the scheme's spec defines it (`sha256_digest`, `hmac_message`, ...).
    pub name: String,
    /// The value, in the encoding the spec gives for that stage (hex, base64 or text).
    pub value: String,
}

/// `vectors/retired.yaml`: ids that were published once and must never be reused.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredList {
    /// Corpus format version.
    pub format: u32,
    /// The retired ids.
    #[serde(default)]
    pub retired: Vec<Retired>,
}

/// A retired vector id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retired {
    /// The id, never to be reused.
    pub id: String,
    /// Why it was retired.
    pub reason: String,
}

/// `vectors/flags.yaml`: every flag a vector may carry, documented once (Wycheproof's `bugType`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagList {
    /// Corpus format version.
    pub format: u32,
    /// Flag name to its documentation.
    pub flags: BTreeMap<String, FlagDoc>,
}

/// Documentation of one flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagDoc {
    /// What the flagged vectors exercise.
    pub description: String,
    /// The implementation bug they catch.
    pub bug: String,
}
