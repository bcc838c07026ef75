#![doc = include_str!("../README.md")]

pub mod lint;
pub mod load;
pub mod model;
pub mod requirements;
pub mod schema;
pub mod vars;

pub use lint::{Coverage, CoverageSummary, Finding, LintReport, PrefixCoverage, lint};
pub use load::{Corpus, CorpusFile, LoadError, workspace_spec_dir, workspace_vectors_dir};
pub use model::{
    Expected, ExpectedError, FORMAT_VERSION, FlagDoc, FlagList, Provenance, ProvenanceKind,
    Retired, RetiredList, Scenario, Stage, Step, Vector, VectorFile,
};
pub use requirements::{Requirement, Requirements, SpecLocation};
pub use schema::SchemaViolation;
