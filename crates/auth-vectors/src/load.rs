//! Loading a corpus directory into the typed model.
//!
//! Contract: `Corpus::load` reads `flags.yaml`, `retired.yaml` and every `<scheme>/<group>.yaml` below the root, in
//! byte order of the file names, so two runs over the same tree see the same vectors in the same order. Each file is
//! parsed as YAML, checked for its `format`, validated against `spec/vector.schema.json`, deserialized into the
//! model, and then checked for what the schema cannot know: the file's place in the tree (`scheme` equals the
//! folder, `group` equals the file stem, every vector and scenario id starts with `<scheme>/<group>/`, and a file with
//! `vectors: []` has scenarios). The first failure stops the load
//! and names the file. Cross-file consistency (duplicate ids, requirement coverage, flags, retired ids) is the
//! lint's business, not the loader's, so that one run reports all of it at once.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::{FORMAT_VERSION, FlagList, RetiredList, Scenario, Vector, VectorFile};
use crate::schema::{CorpusSchema, Document, SchemaCompileError, SchemaViolation};

/// File name of the flag documentation at the corpus root.
pub const FLAGS_FILE: &str = "flags.yaml";
/// File name of the retired-id list at the corpus root.
pub const RETIRED_FILE: &str = "retired.yaml";

/// This repository's `vectors/` directory (found from this crate's manifest directory at compile time).
pub fn workspace_vectors_dir() -> PathBuf {
    workspace_root().join("vectors")
}

/// This repository's `spec/` directory (found from this crate's manifest directory at compile time).
pub fn workspace_spec_dir() -> PathBuf {
    workspace_root().join("spec")
}

fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // crates/auth-vectors -> crates -> the workspace root.
    manifest
        .ancestors()
        .nth(2)
        .map_or_else(|| manifest.join("../.."), Path::to_path_buf)
}

/// One vector file of a corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusFile {
    /// Path relative to the corpus root, `<scheme>/<group>.yaml`.
    pub path: PathBuf,
    /// Its contents.
    pub file: VectorFile,
}

/// A loaded corpus: the flag documentation, the retired ids and the vector files, in load order.
#[derive(Debug, Clone)]
pub struct Corpus {
    root: PathBuf,
    flags: FlagList,
    retired: RetiredList,
    files: Vec<CorpusFile>,
    /// Vector id to (file index, vector index) of its first occurrence.
    index: HashMap<String, (usize, usize)>,
}

/// Why a corpus could not be loaded. Every variant names the file (the path as read).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The embedded schema is broken (a defect of this repository, not of the corpus).
    #[error(transparent)]
    SchemaCompile(#[from] SchemaCompileError),
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not YAML, or YAML that has no JSON equivalent.
    #[error("{}: not valid YAML: {source}", path.display())]
    Yaml {
        /// The file.
        path: PathBuf,
        /// The parser's error, with line and column.
        source: serde_yaml::Error,
    },
    /// YAML that has no JSON equivalent (a non-string mapping key, a tag, a merge key, a non-finite number).
    #[error("{}: at {}: {reason}", path.display(), if pointer.is_empty() { "/" } else { pointer })]
    NotJson {
        /// The file.
        path: PathBuf,
        /// JSON pointer of the offending value.
        pointer: String,
        /// What has no JSON equivalent.
        reason: &'static str,
    },
    /// `format` names a version this crate does not read.
    #[error("{}: format {found} is not supported (this crate reads format {FORMAT_VERSION})", path.display())]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// The `format` the file declares.
        found: u64,
    },
    /// The file does not match `spec/vector.schema.json`.
    #[error("{}: does not match spec/vector.schema.json:{}", path.display(), Violations(violations))]
    Schema {
        /// The file.
        path: PathBuf,
        /// Every violation, each with its JSON pointer and message.
        violations: Vec<SchemaViolation>,
    },
    /// Schema-valid but not deserializable: the schema and `model.rs` disagree (a defect of this repository).
    #[error("{}: matches the schema but not the model (spec/vector.schema.json and model.rs disagree): {source}", path.display())]
    Model {
        /// The file.
        path: PathBuf,
        /// The deserializer's error.
        source: serde_json::Error,
    },
    /// `scheme` differs from the folder the file is in.
    #[error("{}: scheme {scheme:?} differs from its folder {folder:?}", path.display())]
    SchemeMismatch {
        /// The file.
        path: PathBuf,
        /// The `scheme` field.
        scheme: String,
        /// The folder name.
        folder: String,
    },
    /// `group` differs from the file stem.
    #[error("{}: group {group:?} differs from the file name {stem:?}", path.display())]
    GroupMismatch {
        /// The file.
        path: PathBuf,
        /// The `group` field.
        group: String,
        /// The file stem.
        stem: String,
    },
    /// A vector id does not start with `<scheme>/<group>/`.
    #[error("{}: vector id {id:?} does not start with {prefix:?}", path.display())]
    IdPrefix {
        /// The file.
        path: PathBuf,
        /// The id.
        id: String,
        /// The prefix it must start with.
        prefix: String,
    },
    /// `vectors: []` in a file that has no scenarios either.
    #[error("{}: the file has neither vectors nor scenarios (vectors may be empty only beside scenarios)", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A file the corpus layout has no place for.
    #[error("{}: {reason}", path.display())]
    UnexpectedFile {
        /// The file.
        path: PathBuf,
        /// Why it is not accepted.
        reason: &'static str,
    },
}

/// Formats schema violations one per line, indented under the file name.
struct Violations<'a>(&'a [SchemaViolation]);

impl fmt::Display for Violations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for violation in self.0 {
            write!(f, "\n  {violation}")?;
        }
        Ok(())
    }
}

impl Corpus {
    /// Loads the corpus under `root` (a `vectors/` directory): `flags.yaml`, `retired.yaml`, and
    /// `<scheme>/<group>.yaml` for every folder that holds `.yaml` files. Other files (a README, generator scripts)
    /// and folders without `.yaml` files are ignored; a `.yml` file, a stray `.yaml` at the root, or a file name that
    /// is not UTF-8 is an error rather than silently skipped.
    ///
    /// # Errors
    /// The first file that cannot be read, parsed, validated or placed; see [`LoadError`].
    pub fn load(root: &Path) -> Result<Corpus, LoadError> {
        let schema = CorpusSchema::new()?;
        let flags: FlagList = read_document(&schema, &root.join(FLAGS_FILE), Document::Flags)?;
        let retired: RetiredList =
            read_document(&schema, &root.join(RETIRED_FILE), Document::Retired)?;

        let mut files = Vec::new();
        for (name, path) in sorted_entries(root)? {
            if path.is_dir() {
                let folder = utf8_name(&name, &path)?;
                for (file_name, file_path) in sorted_entries(&path)? {
                    if !file_path.is_file() {
                        continue;
                    }
                    let file_name = utf8_name(&file_name, &file_path)?;
                    if let Some(stem) = file_name.strip_suffix(".yaml") {
                        let file = load_vector_file(&schema, &file_path, folder, stem)?;
                        files.push(CorpusFile {
                            path: Path::new(folder).join(file_name),
                            file,
                        });
                    } else if file_name.ends_with(".yml") {
                        return Err(unexpected(
                            file_path,
                            "vector files use the extension .yaml",
                        ));
                    }
                }
            } else {
                let file_name = utf8_name(&name, &path)?;
                let is_yaml = file_name.ends_with(".yaml") || file_name.ends_with(".yml");
                if is_yaml && file_name != FLAGS_FILE && file_name != RETIRED_FILE {
                    return Err(unexpected(
                        path,
                        "only flags.yaml and retired.yaml live at the corpus root; vectors go in <scheme>/<group>.yaml",
                    ));
                }
            }
        }
        Ok(Corpus::from_parts(
            root.to_path_buf(),
            flags,
            retired,
            files,
        ))
    }

    /// Assembles a corpus from parts already in memory (tools and tests that build corpora programmatically).
    ///
    /// Nothing is validated here: the schema and the placement checks of [`Corpus::load`] are skipped, so run
    /// [`crate::lint()`] on the result. `files[i].path` should be `<scheme>/<group>.yaml`, relative to `root`.
    pub fn from_parts(
        root: PathBuf,
        flags: FlagList,
        retired: RetiredList,
        files: Vec<CorpusFile>,
    ) -> Corpus {
        let mut index = HashMap::new();
        for (f, corpus_file) in files.iter().enumerate() {
            for (v, vector) in corpus_file.file.vectors.iter().enumerate() {
                index.entry(vector.id.clone()).or_insert((f, v));
            }
        }
        Corpus {
            root,
            flags,
            retired,
            files,
            index,
        }
    }

    /// The directory the corpus was loaded from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `flags.yaml`.
    pub fn flags(&self) -> &FlagList {
        &self.flags
    }

    /// `retired.yaml`.
    pub fn retired(&self) -> &RetiredList {
        &self.retired
    }

    /// The vector files, sorted by scheme folder, then file name.
    pub fn files(&self) -> &[CorpusFile] {
        &self.files
    }

    /// Every vector with its file, in file order, then in the order the file lists them.
    pub fn vectors(&self) -> impl Iterator<Item = (&VectorFile, &Vector)> + '_ {
        self.files
            .iter()
            .flat_map(|f| f.file.vectors.iter().map(move |v| (&f.file, v)))
    }

    /// Every scenario with its file, in file order, then in the order the file lists them.
    pub fn scenarios(&self) -> impl Iterator<Item = (&VectorFile, &Scenario)> + '_ {
        self.files
            .iter()
            .flat_map(|f| f.file.scenarios.iter().map(move |s| (&f.file, s)))
    }

    /// The scenario with this id (its first occurrence).
    pub fn get_scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios().map(|(_, s)| s).find(|s| s.id == id)
    }

    /// The number of scenarios.
    pub fn len_scenarios(&self) -> usize {
        self.files.iter().map(|f| f.file.scenarios.len()).sum()
    }

    /// The vector with this id (its first occurrence, should the lint's duplicate-id rule be violated).
    pub fn get(&self, id: &str) -> Option<&Vector> {
        let &(f, v) = self.index.get(id)?;
        self.files.get(f)?.file.vectors.get(v)
    }

    /// The scheme ids that have at least one vector file, sorted, each once.
    pub fn schemes(&self) -> Vec<&str> {
        let mut schemes: Vec<&str> = self.files.iter().map(|f| f.file.scheme.as_str()).collect();
        schemes.sort_unstable();
        schemes.dedup();
        schemes
    }

    /// The number of vectors.
    pub fn len(&self) -> usize {
        self.files.iter().map(|f| f.file.vectors.len()).sum()
    }

    /// Whether the corpus has no vectors (scenarios are not counted; see [`Corpus::len_scenarios`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn unexpected(path: PathBuf, reason: &'static str) -> LoadError {
    LoadError::UnexpectedFile { path, reason }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> LoadError + '_ {
    move |source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The entries of `dir` except hidden ones (`.git`, editor files), sorted by name.
fn sorted_entries(dir: &Path) -> Result<Vec<(OsString, PathBuf)>, LoadError> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let name = entry.file_name();
        if name.as_encoded_bytes().starts_with(b".") {
            continue;
        }
        entries.push((name, entry.path()));
    }
    entries.sort();
    Ok(entries)
}

fn utf8_name<'a>(name: &'a OsString, path: &Path) -> Result<&'a str, LoadError> {
    name.to_str()
        .ok_or_else(|| unexpected(path.to_path_buf(), "file name is not UTF-8"))
}

/// Parses, format-checks, validates and deserializes one document.
fn read_document<T: DeserializeOwned>(
    schema: &CorpusSchema,
    path: &Path,
    document: Document,
) -> Result<T, LoadError> {
    let text = fs::read_to_string(path).map_err(io_error(path))?;
    // Parsed as YAML's own value first: unlike a direct parse into JSON, it refuses duplicate keys instead of
    // silently keeping the last one.
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|source| LoadError::Yaml {
            path: path.to_path_buf(),
            source,
        })?;
    let mut pointer = String::new();
    let value = yaml_to_json(yaml, &mut pointer).map_err(|reason| LoadError::NotJson {
        path: path.to_path_buf(),
        pointer,
        reason,
    })?;
    // Checked before the schema, which only knows the current version and would say "value must be 1".
    if let Some(found) = value.get("format").and_then(Value::as_u64)
        && found != u64::from(FORMAT_VERSION)
    {
        return Err(LoadError::UnsupportedFormat {
            path: path.to_path_buf(),
            found,
        });
    }
    schema
        .validate(document, &value)
        .map_err(|violations| LoadError::Schema {
            path: path.to_path_buf(),
            violations,
        })?;
    serde_json::from_value(value).map_err(|source| LoadError::Model {
        path: path.to_path_buf(),
        source,
    })
}

fn load_vector_file(
    schema: &CorpusSchema,
    path: &Path,
    folder: &str,
    stem: &str,
) -> Result<VectorFile, LoadError> {
    let file: VectorFile = read_document(schema, path, Document::VectorFile)?;
    if file.scheme != folder {
        return Err(LoadError::SchemeMismatch {
            path: path.to_path_buf(),
            scheme: file.scheme,
            folder: folder.to_owned(),
        });
    }
    if file.group != stem {
        return Err(LoadError::GroupMismatch {
            path: path.to_path_buf(),
            group: file.group,
            stem: stem.to_owned(),
        });
    }
    let prefix = format!("{}/{}/", file.scheme, file.group);
    if let Some(id) = file
        .vectors
        .iter()
        .map(|v| &v.id)
        .chain(file.scenarios.iter().map(|s| &s.id))
        .find(|id| !id.starts_with(&prefix))
    {
        return Err(LoadError::IdPrefix {
            path: path.to_path_buf(),
            id: id.clone(),
            prefix,
        });
    }
    if file.vectors.is_empty() && file.scenarios.is_empty() {
        return Err(LoadError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(file)
}

/// Converts a YAML value to JSON. On failure `pointer` is left at the offending value.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &mut String) -> Result<Value, &'static str> {
    use serde_yaml::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(u) = n.as_u64() {
                Value::from(u)
            } else if let Some(i) = n.as_i64() {
                Value::from(i)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .ok_or("a number that is not finite has no JSON equivalent")?
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                out.push(yaml_to_json(item, pointer)?);
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        Yaml::Mapping(mapping) => {
            let mut out = serde_json::Map::new();
            for (key, item) in mapping {
                let Yaml::String(key) = key else {
                    return Err(
                        "a mapping key that is not a string (quote it) has no JSON equivalent",
                    );
                };
                if key == "<<" {
                    return Err("YAML merge keys (<<) are not supported; write the mapping out");
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                let item = yaml_to_json(item, pointer)?;
                pointer.truncate(len);
                out.insert(key, item);
            }
            Value::Object(out)
        }
        Yaml::Tagged(_) => return Err("YAML tags (!tag) are not part of the format"),
    })
}
