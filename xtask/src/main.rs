//! Repository tasks, run as `cargo xtask <task>` (alias in `.cargo/config.toml`).
//!
//! - `cargo xtask conformance`: load the corpus, run it against a testee (by default the reference testee, built
//!   with `cargo build --release -p auth-testee`), print the terminal report, write the requested JSON / JUnit
//!   files, and exit 1 when the run failed (an unexpected failure or pass, a protocol violation, nothing executed,
//!   a selection or expected-failure entry that matches nothing, a corpus that does not load, a secret the testee
//!   showed outside its fields). `--fix` rewrites the `--expected-failures` list to match the run.
//! - `cargo xtask vectors lint`: load the corpus, lint it against the spec, print the findings and the
//!   requirement coverage, and exit 1 unless clean.
//! - `cargo xtask vectors gen --scheme S --seed N --count K [--out DIR]`: fresh random valid vectors from a seed,
//!   expected values from the reference (`spec/vector-format.md`, section 13).
//! - `cargo xtask conformance --all-testees [--fix]`: run the reference and every testee under `testees/` over the
//!   whole corpus, each with its expected-failures list and the secret-leak check, and write the matrix reports
//!   (`target/conformance/matrix.{json,xml,html}`).
//! - `cargo xtask testees install [NAME]...` / `cargo xtask testees list`: install the testees' pinned runtimes
//!   under `target/testees/`, or list the testees.
//! - `cargo xtask bench [-p PACKAGE]... [-- CRITERION ARGS]`: run the criterion benches and print each as a
//!   ratio to its scheme's SHA-2 compression bound measured in the same run.
//!
//! Exit status: 0 success, 1 failure, 2 usage error (clap).

// The reports are this program's output: they go to stdout so they can be piped and redirected; diagnostics go to
// stderr.
#![allow(clippy::print_stdout)]

mod bench;
mod r#gen;
mod testees;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use auth_conformance::{ExpectedFailures, RunOptions, Subprocess};
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
    /// Install or list the testees under testees/ (third-party libraries behind the testee protocol).
    Testees {
        #[command(subcommand)]
        task: TesteesTask,
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

#[derive(Debug, Subcommand)]
enum TesteesTask {
    /// Install the pinned runtime of each testee (default: all) under target/testees/<name>/.
    Install {
        /// Install only these testees.
        names: Vec<String>,
    },
    /// List the testees, their libraries and whether they are installed.
    List,
}

#[derive(Debug, Args)]
struct ConformanceArgs {
    /// Run the reference and every testee under testees/ over the whole corpus, each with its own
    /// expected-failures list, and write the matrix reports (JSON, JUnit, HTML) to --matrix-dir.
    #[arg(long, conflicts_with_all = ["testee", "expected_failures", "report_json", "junit", "scheme", "id_glob"])]
    all_testees: bool,
    /// Where --all-testees writes matrix.json, matrix.xml and matrix.html. Default: target/conformance.
    #[arg(long, value_name = "DIR", requires = "all_testees")]
    matrix_dir: Option<PathBuf>,
    /// Rewrite the expected-failures list(s) to match this run: entries that now pass are removed, changed
    /// failures updated, new failures added (marked NEW, to be explained; the run then still fails).
    #[arg(long)]
    fix: bool,
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
    /// Generate fresh random valid vectors of a scheme from a seed (spec/vector-format.md, "Fresh random vectors").
    Gen(r#gen::GenArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Conformance(args) => conformance(args),
        Task::Vectors {
            task: VectorsTask::Lint { vectors, spec },
        } => vectors_lint(vectors, spec),
        Task::Vectors {
            task: VectorsTask::Gen(args),
        } => r#gen::run(&args),
        Task::Testees {
            task: TesteesTask::Install { names },
        } => testees::install(&workspace_root(), &target_dir(), &names),
        Task::Testees {
            task: TesteesTask::List,
        } => testees::list(&workspace_root(), &target_dir()),
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
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero())
        .ok_or_else(|| {
            format!(
                "--timeout must be a positive number of seconds, not {}",
                args.timeout
            )
        })?;
    if args.all_testees {
        let out = testees::MatrixOutput {
            dir: args
                .matrix_dir
                .unwrap_or_else(|| target_dir().join("conformance")),
            fix: args.fix,
            timeout,
        };
        let reference = Command::new(build_reference_testee()?);
        return testees::all_testees(&workspace_root(), &target_dir(), &corpus, reference, &out);
    }
    if args.fix && args.expected_failures.is_none() {
        return Err("--fix rewrites an expected-failures list: give --expected-failures FILE (or use --all-testees)".to_owned());
    }
    let expected_failures = match &args.expected_failures {
        Some(path) if args.fix && !path.exists() => ExpectedFailures::none(),
        Some(path) => ExpectedFailures::load(path).map_err(|e| e.to_string())?,
        None => ExpectedFailures::none(),
    };
    let testee = match &args.testee {
        Some(command_line) => {
            Subprocess::spawn(command_line, timeout).map_err(|e| e.to_string())?
        }
        None => Subprocess::from_command(Command::new(build_reference_testee()?), timeout)
            .map_err(|e| e.to_string())?,
    };
    let options = RunOptions {
        scheme: args.scheme,
        id_glob: args.id_glob,
        expected_failures: expected_failures.clone(),
    };
    let checked = testees::run_checked(&corpus, testee, &options)?;
    let report = checked.report;

    println!("{}", report.to_text());
    let mut leaks = checked.leaks;
    if let Some(path) = &args.report_json {
        let json = report
            .to_json()
            .map_err(|e| format!("cannot serialize the JSON report: {e}"))?;
        write(path, &json)?;
        leaks.extend(checked.secrets.scan_text("--report-json", &json));
    }
    if let Some(path) = &args.junit {
        let junit = report.to_junit();
        write(path, &junit)?;
        leaks.extend(checked.secrets.scan_text("--junit", &junit));
    }
    for leak in &leaks {
        println!("LEAK {} at {}: {}", leak.source, leak.location, leak.secret);
    }
    if !leaks.is_empty() {
        println!("result: FAILED ({} secret leaks)", leaks.len());
    }
    if let (true, Some(path)) = (args.fix, &args.expected_failures) {
        // The list now describes this run: success means nothing is left for a human to explain.
        let explained = testees::fix_list(&expected_failures, path, &report)?;
        return Ok(explained
            && leaks.is_empty()
            && report.protocol_error.is_none()
            && report.totals.executed() > 0);
    }
    Ok(report.is_success() && leaks.is_empty())
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

/// The cargo target directory (`CARGO_TARGET_DIR`, else `target/` in the workspace).
fn target_dir() -> PathBuf {
    let root = workspace_root();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    if target.is_relative() {
        root.join(target)
    } else {
        target
    }
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
    Ok(target_dir()
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
