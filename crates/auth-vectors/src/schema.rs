//! JSON Schema validation of corpus files against `spec/vector.schema.json`.
//!
//! The schema file is embedded at compile time, so the document in `spec/` is the only definition of the format's
//! shape: editors validate against it through the `$schema` comment, and this crate validates every file against
//! the very same bytes before deserializing it. A violation is reported with the JSON pointer of the offending value
//! (`/vectors/3/expected`) and the schema keyword that rejected it (`#/$defs/expected/oneOf`).

use std::fmt;

use boon::{Compiler, ErrorKind, SchemaIndex, Schemas, ValidationError};
use serde_json::Value;

/// The text of `spec/vector.schema.json`.
pub const SCHEMA_JSON: &str = include_str!("../../../spec/vector.schema.json");

/// The schema's `$id`.
pub const SCHEMA_ID: &str = "https://authspec.invalid/vector.schema.json";

/// Which kind of corpus document a value is validated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// `vectors/<scheme>/<group>.yaml` (the schema's root).
    VectorFile,
    /// `vectors/flags.yaml` (`#/$defs/flagsFile`).
    Flags,
    /// `vectors/retired.yaml` (`#/$defs/retiredFile`).
    Retired,
}

/// The embedded schema, compiled once and used for many documents.
pub struct CorpusSchema {
    /// The schema document, to quote `description`s in violations the validator's words leave obscure.
    json: Value,
    schemas: Schemas,
    vector_file: SchemaIndex,
    flags: SchemaIndex,
    retired: SchemaIndex,
}

impl fmt::Debug for CorpusSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CorpusSchema")
            .field("id", &SCHEMA_ID)
            .finish_non_exhaustive()
    }
}

/// The embedded schema does not compile: a defect of `spec/vector.schema.json`, never of a corpus file.
#[derive(Debug, thiserror::Error)]
#[error("spec/vector.schema.json is not a valid JSON Schema: {0}")]
pub struct SchemaCompileError(String);

/// One reason a document does not match the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON pointer of the offending value in the document (`""` is the whole document).
    pub pointer: String,
    /// The schema keyword that rejected it, relative to the schema (`#/$defs/vector/required`).
    pub keyword: String,
    /// What is wrong, in the validator's words.
    pub message: String,
}

impl fmt::Display for SchemaViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "at {pointer}: {} [{}]", self.message, self.keyword)
    }
}

impl CorpusSchema {
    /// Compiles the embedded schema.
    ///
    /// # Errors
    /// Only if `spec/vector.schema.json` itself is broken (the crate's tests guard against that).
    pub fn new() -> Result<Self, SchemaCompileError> {
        let json: Value =
            serde_json::from_str(SCHEMA_JSON).map_err(|e| SchemaCompileError(e.to_string()))?;
        let mut compiler = Compiler::new();
        compiler
            .add_resource(SCHEMA_ID, json.clone())
            .map_err(|e| SchemaCompileError(format!("{e:#}")))?;
        let mut schemas = Schemas::new();
        let mut compile = |loc: &str| {
            compiler
                .compile(loc, &mut schemas)
                .map_err(|e| SchemaCompileError(format!("{e:#}")))
        };
        let vector_file = compile(SCHEMA_ID)?;
        let flags = compile(&format!("{SCHEMA_ID}#/$defs/flagsFile"))?;
        let retired = compile(&format!("{SCHEMA_ID}#/$defs/retiredFile"))?;
        Ok(Self {
            json,
            schemas,
            vector_file,
            flags,
            retired,
        })
    }

    /// Validates `value` as a `document`.
    ///
    /// # Errors
    /// Every violation found, in document order as the validator reports them; never empty.
    pub fn validate(&self, document: Document, value: &Value) -> Result<(), Vec<SchemaViolation>> {
        let index = match document {
            Document::VectorFile => self.vector_file,
            Document::Flags => self.flags,
            Document::Retired => self.retired,
        };
        match self.schemas.validate(value, index) {
            Ok(()) => Ok(()),
            Err(error) => {
                let mut violations = Vec::new();
                self.collect(&error, &mut violations);
                if violations.is_empty() {
                    violations.push(violation(&error, error.kind.to_string()));
                }
                Err(violations)
            }
        }
    }

    /// Flattens boon's error tree into leaf violations. Wrapper nodes (`$ref`, `allOf`, the root) are transparent;
    /// an `anyOf`/`oneOf` node is one violation whose message quotes why each alternative failed, because its causes
    /// are meaningless one by one ("missing properties 'result'" alone would mislead). Where the validator's words
    /// cannot say what the rule is for (`oneOf`, `anyOf`, `not`, a `false` schema), the `description` of the nearest
    /// enclosing schema is quoted.
    fn collect(&self, error: &ValidationError<'_, '_>, out: &mut Vec<SchemaViolation>) {
        let mut message = match &error.kind {
            ErrorKind::Group
            | ErrorKind::Schema { .. }
            | ErrorKind::Reference { .. }
            | ErrorKind::AllOf
                if !error.causes.is_empty() =>
            {
                for cause in &error.causes {
                    self.collect(cause, out);
                }
                return;
            }
            kind if error.causes.is_empty() => kind.to_string(),
            kind => {
                let mut leaves = Vec::new();
                for cause in &error.causes {
                    self.collect(cause, &mut leaves);
                }
                let here = instance_pointer(error);
                let reasons: Vec<String> = leaves
                    .iter()
                    .map(|leaf| {
                        if leaf.pointer == here {
                            leaf.message.clone()
                        } else {
                            format!("{} at {}", leaf.message, leaf.pointer)
                        }
                    })
                    .collect();
                format!("{kind} ({})", reasons.join("; "))
            }
        };
        let obscure = matches!(
            error.kind,
            ErrorKind::OneOf(_) | ErrorKind::AnyOf | ErrorKind::Not | ErrorKind::FalseSchema
        );
        if obscure && let Some(description) = self.description(error.schema_url) {
            message = format!("{message}; the schema says: {description}");
        }
        out.push(violation(error, message));
    }

    /// The `description` of the schema at `schema_url`, or of the nearest schema enclosing it.
    fn description(&self, schema_url: &str) -> Option<&str> {
        let mut pointer = schema_url
            .strip_prefix(SCHEMA_ID)?
            .strip_prefix('#')
            .unwrap_or("");
        loop {
            if let Some(description) = self
                .json
                .pointer(pointer)
                .and_then(|schema| schema.get("description"))
                .and_then(Value::as_str)
            {
                return Some(description);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }
}

fn instance_pointer(error: &ValidationError<'_, '_>) -> String {
    error.instance_location.to_string()
}

fn violation(error: &ValidationError<'_, '_>, message: String) -> SchemaViolation {
    let schema = error
        .schema_url
        .strip_prefix(SCHEMA_ID)
        .unwrap_or(error.schema_url);
    // boon names the additionalProperties keyword "additionalProperty"; report the schema's spelling.
    let path = error.kind.keyword_path().map(|path| match path.keyword {
        "additionalProperty" => "additionalProperties".to_owned(),
        _ => path.to_string(),
    });
    let keyword = match path {
        Some(path) if schema.ends_with('/') => format!("{schema}{path}"),
        Some(path) if schema.is_empty() || schema == "#" => format!("#/{path}"),
        Some(path) => format!("{schema}/{path}"),
        None if schema.is_empty() => "#".to_owned(),
        None => schema.to_owned(),
    };
    SchemaViolation {
        pointer: instance_pointer(error),
        keyword,
        message,
    }
}
