//! Testee manifests: `testees/<name>/testee.yaml`, which say what a testee puts under test and how to start it
//! (format: `spec/conformance-report.md`, section 7).
//!
//! The runner finds every manifest with [`discover`]; `cargo xtask testees install` prepares each runtime under
//! `target/testees/<name>/`, and `cargo xtask conformance --all-testees` starts each testee with
//! [`Manifest::command`].

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

/// The file name of a manifest inside its testee's folder.
pub const MANIFEST_FILE: &str = "testee.yaml";

/// The file name of a testee's expected-failures list inside its folder.
pub const EXPECTED_FAILURES_FILE: &str = "expected-failures.yaml";

/// What a testee puts under test and how it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The testee's name: its folder's name.
    pub name: String,
    /// One line: what is under test and through which function.
    pub summary: String,
    /// The library under test.
    pub library: Library,
    /// Whether the library was written by others (a finding about it is a third-party divergence).
    pub third_party: bool,
    /// How the program runs.
    pub runtime: Runtime,
    /// The program, relative to the testee's folder.
    pub program: String,
}

/// The library a testee puts under test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Library {
    /// Its name in its registry.
    pub name: String,
    /// The pinned version (`system` for a tool taken from the machine, such as the openssl command line).
    pub version: String,
    /// Where it comes from: `pypi`, `npm`, `debian`, `none` (our own).
    pub registry: String,
    /// Its source repository or home page.
    pub source: String,
}

/// How a testee's program runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    /// Python in the testee's own virtual environment, `target/testees/<name>/venv`, installed from
    /// `testees/<name>/requirements.txt` (pinned, with hashes).
    PythonVenv,
    /// The machine's `python3`, standard library only.
    Python,
    /// Node.js, with `NODE_PATH=target/testees/<name>/node_modules` installed by `npm ci` from the testee's
    /// committed `package-lock.json`.
    Node,
}

/// Why a manifest was refused.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// A file or folder could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A manifest does not parse or is inconsistent.
    #[error("invalid testee manifest {path}: {problem}")]
    Invalid {
        /// The manifest file.
        path: String,
        /// What is wrong.
        problem: String,
    },
}

/// A manifest found on disk, with its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The testee's folder (`testees/<name>`).
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
}

impl Found {
    /// The testee's expected-failures list (which may not exist: then nothing is expected to fail).
    pub fn expected_failures(&self) -> PathBuf {
        self.dir.join(EXPECTED_FAILURES_FILE)
    }
}

/// Every `testee.yaml` in the folders directly under `testees_dir`, in name order.
pub fn discover(testees_dir: &Path) -> Result<Vec<Found>, ManifestError> {
    let read_err = |path: &Path, source| ManifestError::Read {
        path: path.display().to_string(),
        source,
    };
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(testees_dir)
        .map_err(|e| read_err(testees_dir, e))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join(MANIFEST_FILE).is_file())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let path = dir.join(MANIFEST_FILE);
            let text = std::fs::read_to_string(&path).map_err(|e| read_err(&path, e))?;
            let manifest = Manifest::parse(&text).map_err(|problem| ManifestError::Invalid {
                path: path.display().to_string(),
                problem,
            })?;
            let folder = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if manifest.name != folder {
                return Err(ManifestError::Invalid {
                    path: path.display().to_string(),
                    problem: format!(
                        "`name` is `{}`, but the folder is `{folder}`",
                        manifest.name
                    ),
                });
            }
            Ok(Found { dir, manifest })
        })
        .collect()
}

impl Manifest {
    /// Parses a manifest's YAML text and checks it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let manifest: Manifest = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let valid_name = !manifest.name.is_empty()
            && manifest
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_name {
            return Err(format!(
                "`name` must be lower-kebab-case, not `{}`",
                manifest.name
            ));
        }
        if manifest.program.is_empty() || Path::new(&manifest.program).is_absolute() {
            return Err("`program` must be a path relative to the testee's folder".to_owned());
        }
        for (field, value) in [
            ("summary", &manifest.summary),
            ("library.name", &manifest.library.name),
            ("library.version", &manifest.library.version),
            ("library.registry", &manifest.library.registry),
            ("library.source", &manifest.library.source),
        ] {
            if value.trim().is_empty() {
                return Err(format!("`{field}` is empty"));
            }
        }
        Ok(manifest)
    }

    /// Where `cargo xtask testees install` puts this testee's runtime: `<target>/testees/<name>`.
    pub fn install_dir(&self, target_dir: &Path) -> PathBuf {
        target_dir.join("testees").join(&self.name)
    }

    /// The interpreter this testee runs with, and whether it is installed.
    pub fn interpreter(&self, target_dir: &Path) -> (PathBuf, bool) {
        match self.runtime {
            Runtime::PythonVenv => {
                let python = self.install_dir(target_dir).join("venv/bin/python");
                let installed = python.is_file();
                (python, installed)
            }
            Runtime::Python => (PathBuf::from("python3"), true),
            Runtime::Node => {
                let installed = self.install_dir(target_dir).join("node_modules").is_dir();
                (PathBuf::from("node"), installed)
            }
        }
    }

    /// The command that starts this testee (folder `dir`), or why it cannot start yet.
    pub fn command(&self, dir: &Path, target_dir: &Path) -> Result<Command, String> {
        let (interpreter, installed) = self.interpreter(target_dir);
        if !installed {
            return Err(format!(
                "testee `{}` is not installed (run `cargo xtask testees install`)",
                self.name
            ));
        }
        let mut command = Command::new(interpreter);
        command.arg(dir.join(&self.program));
        if self.runtime == Runtime::Node {
            command.env(
                "NODE_PATH",
                self.install_dir(target_dir).join("node_modules"),
            );
        }
        Ok(command)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
name: krakenex
summary: krakenex, signing through API._sign.
library: {name: krakenex, version: "2.2.2", registry: pypi, source: "https://github.com/veox/python3-krakenex"}
third_party: true
runtime: python-venv
program: testee.py
"#;

    #[test]
    fn parses_and_builds_the_command() {
        let manifest = Manifest::parse(MANIFEST).unwrap();
        assert_eq!(manifest.runtime, Runtime::PythonVenv);
        let target = Path::new("/nonexistent/target");
        let err = manifest
            .command(Path::new("testees/krakenex"), target)
            .unwrap_err();
        assert!(err.contains("cargo xtask testees install"), "{err}");
        assert_eq!(
            manifest.interpreter(target).0,
            Path::new("/nonexistent/target/testees/krakenex/venv/bin/python")
        );
    }

    #[test]
    fn refuses_bad_manifests() {
        for (change, needle) in [
            (("name: krakenex", "name: Kraken_ex"), "lower-kebab-case"),
            (("program: testee.py", "program: /bin/sh"), "relative"),
            (("runtime: python-venv", "runtime: ruby"), "unknown variant"),
            (
                ("third_party: true", "third_party: true\nextra: 1"),
                "extra",
            ),
            (
                (
                    "summary: krakenex, signing through API._sign.",
                    "summary: ' '",
                ),
                "summary",
            ),
        ] {
            let text = MANIFEST.replace(change.0, change.1);
            let err = Manifest::parse(&text).unwrap_err();
            assert!(err.contains(needle), "{change:?}: {err}");
        }
    }
}
