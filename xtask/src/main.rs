//! Repository tasks, run as `cargo xtask <task>` (alias in `.cargo/config.toml`).
//!
//! - `cargo xtask conformance`: load the corpus, run it against a testee (by default the reference testee, built
//!   with `cargo build --release -p auth-testee`), print the terminal report, write the requested JSON / JUnit
//!   files, and exit 1 when the run failed (an unexpected failure or pass, a protocol violation, nothing executed,
//!   a selection or expected-failure entry that matches nothing, a corpus that does not load).
//! - `cargo xtask vectors lint`: load the corpus, lint it against the spec, print the findings and the
//!   requirement coverage, and exit 1 unless clean.
//! - `cargo xtask bench [-p PACKAGE]... [-- CRITERION ARGS]`: run the criterion benches and print each as a
//!   ratio to its scheme's SHA-2 compression bound measured in the same run.
//!
//! Exit status: 0 success, 1 failure, 2 usage error (clap).

// The reports are this program's output: they go to stdout so they can be piped and redirected; diagnostics go to
// stderr.
#![allow(clippy::print_stdout)]

mod bench;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use auth_conformance::{ExpectedFailures, RunOptions, Subprocess, run};
use auth_vectors::{Corpus, lint, workspace_spec_dir, workspace_vectors_dir};
use clap::{Args, Parser, Subcommand};

/// authspec repository tasks.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Run the conformance corpus against a testee.
    Conformance(ConformanceArgs),
    /// Corpus tasks.
    Vectors {
        #[command(subcommand)]
        task: VectorsTask,
    },
    /// Run the criterion benches and print ratios to each scheme's SHA-2 compression bound.
    Bench {
        /// Bench only these packages (default: every package with benches).
        #[arg(short = 'p', long = "package", value_name = "PACKAGE")]
        packages: Vec<String>,
        /// Arguments passed to criterion (after `--`), e.g. `--measurement-time 5`.
        #[arg(last = true, value_name = "CRITERION ARGS")]
        criterion_args: Vec<String>,
    },
}

#[derive(Debug, Args)]
struct ConformanceArgs {
    /// The testee's command line (split like a shell would, without a shell: see spec/testee-protocol.md).
    /// Default: build and run the reference testee (target/release/auth-testee).
    #[arg(long, value_name = "COMMAND LINE")]
    testee: Option<String>,
    /// Run only the vectors and scenarios of this scheme.
    #[arg(long, value_name = "SCHEME")]
    scheme: Option<String>,
    /// Run only the vectors and scenarios whose whole id matches this glob (`*`, `?`).
    #[arg(long = "id", value_name = "GLOB")]
    id_glob: Option<String>,
    /// Expected-failures file (YAML; format in spec/conformance-report.md).
    #[arg(long, value_name = "FILE")]
    expected_failures: Option<PathBuf>,
    /// Write the JSON report here.
    #[arg(long, value_name = "FILE")]
    report_json: Option<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// The corpus directory. Default: this repository's vectors/.
    #[arg(long, value_name = "DIR")]
    vectors: Option<PathBuf>,
    /// Seconds to wait for each response before the testee is declared hung.
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    timeout: f64,
}

#[derive(Debug, Subcommand)]
enum VectorsTask {
    /// Lint the corpus against the spec and print the requirement coverage.
    Lint {
        /// The corpus directory. Default: this repository's vectors/.
        #[arg(long, value_name = "DIR")]
        vectors: Option<PathBuf>,
        /// The spec directory. Default: this repository's spec/.
        #[arg(long, value_name = "DIR")]
        spec: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Conformance(args) => conformance(args),
        Task::Vectors {
            task: VectorsTask::Lint { vectors, spec },
        } => vectors_lint(vectors, spec),
        Task::Bench {
            packages,
            criterion_args,
        } => bench::bench(&workspace_root(), &packages, &criterion_args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or_else(|| manifest.join(".."), Path::to_path_buf)
}

fn load_corpus(vectors: Option<PathBuf>) -> Result<Corpus, String> {
    let dir = vectors.unwrap_or_else(workspace_vectors_dir);
    Corpus::load(&dir).map_err(|e| format!("cannot load the corpus at {}: {e}", dir.display()))
}

fn conformance(args: ConformanceArgs) -> Result<bool, String> {
    let corpus = load_corpus(args.vectors)?;
    let expected_failures = match &args.expected_failures {
        Some(path) => ExpectedFailures::load(path).map_err(|e| e.to_string())?,
        None => ExpectedFailures::none(),
    };
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or_else(|| {
            format!(
                "--timeout must be a positive number of seconds, not {}",
                args.timeout
            )
        })?;
    let mut testee = match &args.testee {
        Some(command_line) => {
            Subprocess::spawn(command_line, timeout).map_err(|e| e.to_string())?
        }
        None => Subprocess::from_command(Command::new(build_reference_testee()?), timeout)
            .map_err(|e| e.to_string())?,
    };
    let options = RunOptions {
        scheme: args.scheme,
        id_glob: args.id_glob,
        expected_failures,
    };
    let report = run(&corpus, &mut testee, &options).map_err(|e| e.to_string())?;
    drop(testee);

    println!("{}", report.to_text());
    if let Some(path) = &args.report_json {
        let json = report
            .to_json()
            .map_err(|e| format!("cannot serialize the JSON report: {e}"))?;
        write(path, &json)?;
    }
    if let Some(path) = &args.junit {
        write(path, &report.to_junit())?;
    }
    Ok(report.is_success())
}

/// Writes a report, creating its parent directories (CI writes under a fresh `target/`).
fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Builds the reference testee in release mode and returns its path.
fn build_reference_testee() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let root = workspace_root();
    let status = Command::new(&cargo)
        .args(["build", "--release", "--quiet", "-p", "auth-testee"])
        .current_dir(&root)
        .status()
        .map_err(|e| format!("cannot run {}: {e}", cargo.to_string_lossy()))?;
    if !status.success() {
        return Err(format!(
            "`cargo build --release -p auth-testee` failed ({status})"
        ));
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let target = if target.is_relative() {
        root.join(target)
    } else {
        target
    };
    Ok(target
        .join("release")
        .join(format!("auth-testee{}", std::env::consts::EXE_SUFFIX)))
}

fn vectors_lint(vectors: Option<PathBuf>, spec: Option<PathBuf>) -> Result<bool, String> {
    let corpus = load_corpus(vectors)?;
    let spec = spec.unwrap_or_else(workspace_spec_dir);
    let report = lint(&corpus, &spec);
    print!("{report}");
    Ok(report.is_clean())
}
