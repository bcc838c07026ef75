//! `cargo xtask testees install|list` and the differential run `cargo xtask conformance --all-testees`.
//!
//! Every folder `testees/<name>/` with a `testee.yaml` is a testee (format: `spec/conformance-report.md`,
//! section 7). `install` prepares what its runtime needs under `target/testees/<name>/`, from pinned files only:
//! a Python virtual environment from `requirements.txt` (every package pinned, with hashes, installed with
//! `--require-hashes --no-deps`), or `node_modules` from the committed `package-lock.json` (`npm ci
//! --ignore-scripts`). An install is skipped when the pinned file is unchanged since the last one (a copy is
//! kept beside it as the stamp). `--all-testees` runs the reference and every testee over the whole corpus, each
//! with its own expected-failures list and the secret-leak check, and writes the matrix reports.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use auth_conformance::leak::{Leak, LeakWatch, SecretSet};
use auth_conformance::manifest::{Found, Manifest, Runtime, discover};
use auth_conformance::matrix::{Column, Matrix};
use auth_conformance::{ExpectedFailures, Report, RunOptions, Subprocess, run};
use auth_vectors::Corpus;

/// The pinned file that defines a runtime's install, relative to the testee's folder.
fn pinned_files(runtime: Runtime) -> &'static [&'static str] {
    match runtime {
        Runtime::PythonVenv => &["requirements.txt"],
        Runtime::Node => &["package.json", "package-lock.json"],
        Runtime::Python => &[],
    }
}

/// `cargo xtask testees list`.
pub(crate) fn list(root: &Path, target: &Path) -> Result<bool, String> {
    let found = discover(&root.join("testees")).map_err(|e| e.to_string())?;
    for testee in &found {
        let m = &testee.manifest;
        let (_, installed) = m.interpreter(target);
        println!(
            "{:20} {:12} {} {} ({}){}",
            m.name,
            runtime_name(m.runtime),
            m.library.name,
            m.library.version,
            m.library.registry,
            if installed { "" } else { "  [not installed]" }
        );
    }
    Ok(true)
}

fn runtime_name(runtime: Runtime) -> &'static str {
    match runtime {
        Runtime::PythonVenv => "python-venv",
        Runtime::Python => "python",
        Runtime::Node => "node",
    }
}

/// `cargo xtask testees install [NAME]...`: installs the named testees (default: all).
pub(crate) fn install(root: &Path, target: &Path, names: &[String]) -> Result<bool, String> {
    let found = discover(&root.join("testees")).map_err(|e| e.to_string())?;
    for name in names {
        if !found.iter().any(|f| f.manifest.name == *name) {
            return Err(format!("no testee named `{name}` under testees/"));
        }
    }
    let mut ok = true;
    for testee in found
        .iter()
        .filter(|f| names.is_empty() || names.contains(&f.manifest.name))
    {
        match install_one(testee, target) {
            Ok(what) => eprintln!("testee {}: {what}", testee.manifest.name),
            Err(problem) => {
                eprintln!("testee {}: install FAILED: {problem}", testee.manifest.name);
                ok = false;
            }
        }
    }
    Ok(ok)
}

fn install_one(testee: &Found, target: &Path) -> Result<String, String> {
    let m = &testee.manifest;
    let dest = m.install_dir(target);
    let pinned = pinned_files(m.runtime);
    let mut contents = Vec::new();
    for file in pinned {
        let path = testee.dir.join(file);
        let text =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        contents.push(text);
    }
    let (_, installed) = m.interpreter(target);
    let stamp_current = pinned.iter().zip(&contents).all(|(file, text)| {
        std::fs::read(dest.join(format!("{file}.installed"))).is_ok_and(|old| old == *text)
    });
    match m.runtime {
        Runtime::Python => {
            check(
                Command::new("python3")
                    .arg("--version")
                    .stdout(std::process::Stdio::null()),
                "python3 --version",
            )?;
            return Ok("uses the machine's python3; nothing to install".to_owned());
        }
        _ if installed && stamp_current => return Ok("up to date".to_owned()),
        _ => {}
    }
    if dest.exists() {
        std::fs::remove_dir_all(&dest)
            .map_err(|e| format!("cannot remove {}: {e}", dest.display()))?;
    }
    std::fs::create_dir_all(&dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
    match m.runtime {
        Runtime::PythonVenv => {
            let venv = dest.join("venv");
            check(
                Command::new("python3").arg("-m").arg("venv").arg(&venv),
                "python3 -m venv",
            )?;
            check(
                Command::new(venv.join("bin/python"))
                    .args([
                        "-m",
                        "pip",
                        "install",
                        "--quiet",
                        "--disable-pip-version-check",
                        "--no-input",
                        "--require-hashes",
                        "--no-deps",
                        // A source-only package (kazoo-sdk) builds with the venv's own setuptools, not with
                        // build tools fetched unpinned into an isolated environment.
                        "--no-build-isolation",
                        "-r",
                    ])
                    .arg(testee.dir.join("requirements.txt")),
                "pip install --require-hashes",
            )?;
        }
        Runtime::Node => {
            for (file, text) in pinned.iter().zip(&contents) {
                std::fs::write(dest.join(file), text)
                    .map_err(|e| format!("cannot write {}: {e}", dest.join(file).display()))?;
            }
            check(
                Command::new("npm")
                    .args([
                        "ci",
                        "--ignore-scripts",
                        "--no-audit",
                        "--no-fund",
                        "--loglevel=error",
                    ])
                    .current_dir(&dest),
                "npm ci",
            )?;
        }
        Runtime::Python => {}
    }
    for (file, text) in pinned.iter().zip(&contents) {
        let stamp = dest.join(format!("{file}.installed"));
        std::fs::write(&stamp, text)
            .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    }
    Ok(format!(
        "installed {} {} into {}",
        m.library.name,
        m.library.version,
        dest.display()
    ))
}

fn check(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// One testee's run with the leak check: the report (redacted), the secrets it was given, and the leaks found
/// in its answers and its stderr.
pub(crate) struct Checked {
    /// The run's report, secrets redacted.
    pub(crate) report: Report,
    /// Every secret the run gave the testee.
    pub(crate) secrets: SecretSet,
    /// Secrets found in its answers (outside their fields) and its stderr.
    pub(crate) leaks: Vec<Leak>,
}

/// Runs `corpus` against the subprocess `testee` under `options`, watching for leaked secrets.
pub(crate) fn run_checked(
    corpus: &Corpus,
    mut testee: Subprocess,
    options: &RunOptions,
) -> Result<Checked, String> {
    let mut watch = LeakWatch::new(&mut testee, SecretSet::from_corpus(corpus));
    let result = run(corpus, &mut watch, options);
    let (secrets, mut leaks) = watch.finish();
    let mut report = result.map_err(|e| {
        secrets
            .redact_str(&e.to_string())
            .unwrap_or_else(|| e.to_string())
    })?;
    leaks.extend(secrets.scan_text("stderr", &testee.stderr_text()));
    drop(testee);
    report.redact(&secrets);
    Ok(Checked {
        report,
        secrets,
        leaks,
    })
}

/// What `--all-testees` writes, and where.
pub(crate) struct MatrixOutput {
    /// The folder for `matrix.json`, `matrix.xml` and `matrix.html`.
    pub(crate) dir: PathBuf,
    /// Rewrite each testee's expected-failures list to match its run.
    pub(crate) fix: bool,
    /// Per-response timeout.
    pub(crate) timeout: Duration,
}

/// `cargo xtask conformance --all-testees`: the reference and every testee over the whole corpus.
pub(crate) fn all_testees(
    root: &Path,
    target: &Path,
    corpus: &Corpus,
    reference: Command,
    out: &MatrixOutput,
) -> Result<bool, String> {
    let found = discover(&root.join("testees")).map_err(|e| e.to_string())?;
    let mut runs: Vec<(Column, Option<Report>)> = Vec::new();
    let mut secrets = SecretSet::from_corpus(corpus);
    let mut fix_failed = false;

    let started = Subprocess::from_command(reference, out.timeout).map_err(|e| e.to_string())?;
    let reference = run_checked(corpus, started, &RunOptions::default())?;
    eprintln!("reference: {}", last_line(&reference.report.to_text()));
    let column = Column::ran(
        "reference",
        None,
        None,
        &ExpectedFailures::none(),
        &reference.report,
        reference.leaks,
    );
    secrets.extend(reference.secrets);
    runs.push((column, Some(reference.report)));

    for testee in &found {
        let m: &Manifest = &testee.manifest;
        let list_path = testee.expected_failures();
        let relative = list_path
            .strip_prefix(root)
            .unwrap_or(&list_path)
            .display()
            .to_string();
        let list = if list_path.is_file() {
            ExpectedFailures::load(&list_path).map_err(|e| e.to_string())?
        } else {
            ExpectedFailures::none()
        };
        let shown = list_path.is_file().then(|| relative.clone());
        let started = m.command(&testee.dir, target).and_then(|command| {
            Subprocess::from_command(command, out.timeout).map_err(|e| e.to_string())
        });
        let checked = started.and_then(|started| {
            let options = RunOptions {
                expected_failures: list.clone(),
                ..RunOptions::default()
            };
            run_checked(corpus, started, &options)
        });
        match checked {
            Ok(checked) => {
                eprintln!("{}: {}", m.name, last_line(&checked.report.to_text()));
                if out.fix {
                    fix_failed |= !fix_list(&list, &list_path, &checked.report)?;
                }
                let column = Column::ran(
                    &m.name,
                    Some(m.clone()),
                    shown,
                    &list,
                    &checked.report,
                    checked.leaks,
                );
                secrets.extend(checked.secrets);
                runs.push((column, Some(checked.report)));
            }
            Err(problem) => {
                eprintln!("{}: not run: {problem}", m.name);
                runs.push((
                    Column::not_run(&m.name, Some(m.clone()), shown, problem),
                    None,
                ));
            }
        }
    }

    let reports: Vec<Report> = runs.iter().filter_map(|(_, r)| r.clone()).collect();
    let mut matrix = Matrix::new(corpus, runs);
    matrix.redact(&secrets);
    let report_refs: Vec<&Report> = reports.iter().collect();
    let files = [
        (
            "matrix.json",
            matrix
                .to_json()
                .map_err(|e| format!("cannot serialize the matrix: {e}"))?,
        ),
        ("matrix.xml", matrix.to_junit(&report_refs)),
        ("matrix.html", matrix.to_html()),
    ];
    let mut report_leaks = Vec::new();
    for (name, text) in &files {
        let path = out.dir.join(name);
        crate::write(&path, text)?;
        report_leaks.extend(secrets.scan_text(name, text));
    }
    println!("{}", matrix.to_text());
    for leak in &report_leaks {
        println!(
            "LEAK in the runner's own report {}: {}: {}",
            leak.source, leak.location, leak.secret
        );
    }
    println!(
        "wrote {}/matrix.{{json,xml,html}}",
        out.dir.strip_prefix(root).unwrap_or(&out.dir).display()
    );
    let columns_ok = if out.fix {
        // With --fix the lists now describe this run: what must still hold is that every testee ran cleanly.
        matrix.testees.iter().all(|c| {
            c.leaks.is_empty()
                && c.run
                    .as_ref()
                    .is_some_and(|r| r.protocol_error.is_none() && r.totals.executed() > 0)
        })
    } else {
        matrix.is_success()
    };
    Ok(columns_ok && report_leaks.is_empty() && !fix_failed)
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

/// `--fix`: rewrites `list_path` so that `report`'s run would succeed; prints what changed. Returns false when
/// the new list has entries a human must explain.
pub(crate) fn fix_list(
    list: &ExpectedFailures,
    list_path: &Path,
    report: &Report,
) -> Result<bool, String> {
    let (entries, summary) = list.fix(&report.vectors);
    if summary.is_empty() {
        return Ok(true);
    }
    let header = std::fs::read_to_string(list_path)
        .map(|text| auth_conformance::leading_comments(&text))
        .unwrap_or_default();
    let text = auth_conformance::render_file(&header, &entries)?;
    crate::write(list_path, &text)?;
    eprintln!(
        "--fix: {}: {} removed, {} changed, {} globs split, {} added",
        list_path.display(),
        summary.removed.len(),
        summary.changed.len(),
        summary.split.len(),
        summary.added.len()
    );
    for id in &summary.added {
        eprintln!("  added (explain it): {id}");
    }
    Ok(summary.added.is_empty())
}
