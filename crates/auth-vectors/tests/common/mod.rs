//! Small corpora in temporary directories, built file by file, for the integration tests.

// Each test crate uses a different part of this module; test support may unwrap and panic like the tests do.
#![allow(dead_code, unreachable_pub, clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use auth_vectors::{Corpus, LintReport, LoadError, lint};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory holding `vectors/` and `spec/`, removed on drop.
pub struct Fixture {
    pub dir: PathBuf,
}

impl Fixture {
    /// An empty fixture (no files at all).
    pub fn empty(name: &str) -> Fixture {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir()
            .join("auth-vectors-tests")
            .join(format!("{}-{n}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("vectors")).unwrap();
        std::fs::create_dir_all(dir.join("spec")).unwrap();
        Fixture { dir }
    }

    /// The baseline: a clean corpus of two vectors, one spec file with three requirements (one not
    /// vector-testable), one documented and used flag, and an empty retired list.
    pub fn baseline(name: &str) -> Fixture {
        let f = Fixture::empty(name);
        f.write("vectors/flags.yaml", FLAGS);
        f.write("vectors/retired.yaml", RETIRED);
        f.write("spec/kspot.md", SPEC);
        f.write(
            "vectors/kraken-spot/basic.yaml",
            &vector_file(
                "kraken-spot",
                "basic",
                &[
                    positive("kraken-spot/basic/one", &["KSPOT-001"]),
                    negative("kraken-spot/basic/two", &["KSPOT-002"]),
                ],
            ),
        );
        f
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.dir.join(rel)).unwrap();
    }

    pub fn vectors(&self) -> PathBuf {
        self.dir.join("vectors")
    }

    pub fn spec(&self) -> PathBuf {
        self.dir.join("spec")
    }

    pub fn load(&self) -> Result<Corpus, LoadError> {
        Corpus::load(&self.vectors())
    }

    /// Loads (which must succeed) and lints.
    pub fn lint(&self) -> LintReport {
        let corpus = self
            .load()
            .unwrap_or_else(|e| panic!("fixture must load: {e}"));
        lint(&corpus, &self.spec())
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub const FLAGS: &str = "\
format: 1
flags:
  form-body:
    description: The request body is form-encoded.
    bug: Hashing a re-encoded body instead of the bytes sent.
";

pub const RETIRED: &str = "format: 1\nretired: []\n";

pub const SPEC: &str = "\
# Kraken spot (test fixture)

Requirements:

- **KSPOT-001** A signed request MUST carry API-Key and API-Sign.
- **KSPOT-002** A secret that is not base64 MUST be refused.
- **KSPOT-003** *(not vector-testable)* The comparison MUST be constant-time.

KSPOT-001 and KSPOT-004 mentioned in prose are only references.
";

/// A vector file with the given vectors (each from [`positive`] or [`negative`]).
pub fn vector_file(scheme: &str, group: &str, vectors: &[String]) -> String {
    format!(
        "# yaml-language-server: $schema=../../spec/vector.schema.json\nformat: 1\nscheme: {scheme}\ngroup: {group}\ndescription: Test fixture.\nvectors:\n{}",
        vectors.concat()
    )
}

/// A positive, computed, confirmed vector carrying the flag `form-body`.
pub fn positive(id: &str, requirements: &[&str]) -> String {
    format!(
        "  - id: {id}
    description: A positive test vector.
    requirements: [{}]
    provenance:
      kind: computed
      source: test fixture
      confirmed_by: [\"python3 hashlib\"]
    flags: [form-body]
    op: sign
    input:
      nonce: \"1616492376594\"
    expected:
      result:
        headers: {{API-Sign: abc}}
    stages:
      - {{name: sha256_input, value: \"1616492376594nonce=1616492376594\"}}
      - {{name: hmac_digest, value: \"00ff\"}}
",
        requirements.join(", ")
    )
}

/// A negative, vendor-doc vector without flags or stages.
pub fn negative(id: &str, requirements: &[&str]) -> String {
    format!(
        "  - id: {id}
    description: A negative test vector.
    requirements: [{}]
    provenance:
      kind: vendor-doc
      source: docs.example.invalid, section 3
    op: sign
    input:
      nonce: \"1\"
    expected:
      error:
        code: secret-invalid
        response: {{status: 200}}
",
        requirements.join(", ")
    )
}
