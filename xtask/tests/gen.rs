//! `cargo xtask vectors gen` end to end (issue 7): fresh random batches of every scheme, which the reference
//! implementation and the independent testee `testees/python-spec/testee.py` must both pass in full, and the
//! reproducibility of a seed. Requires python3 and openssl (python-spec signs kraken-v5 with the openssl command).
//!
//! The seed is `AUTHSPEC_SEED` when set, else taken from the clock, and is always printed (straight to stderr, past
//! the test harness's capture), so a failing batch can be regenerated:
//! `AUTHSPEC_SEED=<seed> cargo test -p xtask --test gen`, or
//! `cargo xtask vectors gen --scheme all --seed <seed> --count 60 --out DIR` and
//! `cargo xtask conformance --vectors DIR --testee 'python3 testees/python-spec/testee.py'`.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use auth_conformance::{InProcess, Report, RunOptions, Subprocess, Testee, run};
use auth_vectors::{Corpus, Finding, lint};

const SCHEMES: &[&str] = &[
    "haivision-session",
    "kazoo-crossbar",
    "kraken-futures",
    "kraken-spot",
    "kraken-v5",
];

/// Vectors per scheme in the agreement test.
const COUNT: u64 = 60;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Writes to the real stderr, which the test harness does not capture.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// `AUTHSPEC_SEED`, or a seed from the clock; printed either way.
fn seed(test: &str) -> u64 {
    let seed = match std::env::var("AUTHSPEC_SEED") {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("AUTHSPEC_SEED={text:?} is not an unsigned 64-bit integer")),
        Err(_) => {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            // Keep it short enough to type: the low 48 bits of the nanoseconds.
            (nanos as u64) & 0xffff_ffff_ffff
        }
    };
    say(&format!(
        "{test}: seed {seed} (reproduce with AUTHSPEC_SEED={seed} cargo test -p xtask --test gen)"
    ));
    seed
}

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("xtask-gen")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    dir
}

/// Runs `xtask vectors gen` with `args`, asserting success; returns stdout.
fn xtask_gen(args: &[&str]) -> Vec<u8> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(["vectors", "gen"]).args(args);
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "xtask vectors gen {args:?} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Generates every scheme into a fresh directory.
fn generate(name: &str, seed: u64, count: u64) -> PathBuf {
    let dir = out_dir(name);
    xtask_gen(&[
        "--scheme",
        "all",
        "--seed",
        &seed.to_string(),
        "--count",
        &count.to_string(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    dir
}

fn read(dir: &Path, scheme: &str, seed: u64) -> String {
    std::fs::read_to_string(dir.join(scheme).join(format!("random-{seed}.yaml"))).unwrap()
}

/// Runs `corpus` against `testee` and asserts that every vector passed.
fn assert_all_pass(corpus: &Corpus, testee: &mut dyn Testee, who: &str, seed: u64) -> Report {
    let report = run(corpus, testee, &RunOptions::default())
        .unwrap_or_else(|e| panic!("seed {seed}: the run against {who} failed: {e}"));
    let totals = &report.totals;
    assert!(
        report.is_success()
            && totals.failed == 0
            && totals.skipped == 0
            && totals.passed == corpus.len(),
        "seed {seed}: {who} did not pass every random vector (a disagreement with the reference is a finding: \
         minimise it and check the spec):\n{}",
        report.to_text()
    );
    report
}

#[test]
fn random_batches_pass_the_reference_and_python_spec() {
    let seed = seed("random_batches_pass_the_reference_and_python_spec");
    let started = Instant::now();
    let dir = generate("agree", seed, COUNT);
    let generated = started.elapsed();

    let corpus = Corpus::load(&dir)
        .unwrap_or_else(|e| panic!("seed {seed}: the generated files do not load: {e}"));
    assert_eq!(corpus.files().len(), SCHEMES.len(), "seed {seed}");
    assert_eq!(
        corpus.len() as u64,
        COUNT * SCHEMES.len() as u64,
        "seed {seed}"
    );
    for file in corpus.files() {
        assert_eq!(file.file.group, format!("random-{seed}"));
        assert!(file.file.vectors.iter().all(|v| !v.is_negative()));
    }
    // Every lint rule that applies to a batch; coverage does not (a batch exercises a part of each spec).
    let report = lint(&corpus, &repo_root().join("spec"));
    let findings: Vec<String> = report
        .findings
        .iter()
        .filter(|f| !matches!(f, Finding::UncoveredRequirement { .. }))
        .map(ToString::to_string)
        .collect();
    assert!(
        findings.is_empty(),
        "seed {seed}: lint findings: {findings:#?}"
    );

    let started = Instant::now();
    let mut reference = InProcess::new(auth_testee::handle);
    assert_all_pass(
        &corpus,
        &mut reference,
        "the reference implementation",
        seed,
    );
    let reference_time = started.elapsed();

    let started = Instant::now();
    let mut command = Command::new("python3");
    command.arg(repo_root().join("testees/python-spec/testee.py"));
    let mut python = Subprocess::from_command(command, Duration::from_secs(30)).unwrap();
    assert_all_pass(&corpus, &mut python, "testees/python-spec", seed);
    drop(python);
    say(&format!(
        "seed {seed}: {} vectors generated in {:.2} s, passed by the reference in {:.2} s and by python-spec in \
         {:.2} s",
        corpus.len(),
        generated.as_secs_f64(),
        reference_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    ));
}

#[test]
fn a_seed_always_gives_the_same_bytes_and_another_seed_other_vectors() {
    let seed = seed("a_seed_always_gives_the_same_bytes_and_another_seed_other_vectors");
    let count = 12;
    let first = generate("same-1", seed, count);
    let second = generate("same-2", seed, count);
    for scheme in SCHEMES {
        assert_eq!(
            read(&first, scheme, seed),
            read(&second, scheme, seed),
            "seed {seed}: {scheme} differs between two runs"
        );
    }
    assert_eq!(
        std::fs::read_to_string(first.join("flags.yaml")).unwrap(),
        "format: 1\nflags: {}\n"
    );

    // Without --out: the same file on stdout.
    let stdout = xtask_gen(&[
        "--scheme",
        "kraken-spot",
        "--seed",
        &seed.to_string(),
        "--count",
        &count.to_string(),
    ]);
    assert_eq!(
        String::from_utf8(stdout).unwrap(),
        read(&first, "kraken-spot", seed),
        "seed {seed}"
    );

    // A vector does not depend on the count: a smaller batch holds the same inputs.
    let small = Corpus::load(&generate("small", seed, 10)).unwrap();
    let large = Corpus::load(&first).unwrap();
    for (file, small_file) in large.files().iter().zip(small.files()) {
        for (a, b) in file.file.vectors.iter().zip(&small_file.file.vectors) {
            assert_eq!(
                (&a.id, &a.input, &a.expected),
                (&b.id, &b.input, &b.expected)
            );
        }
    }

    // Another seed: other vectors, none of whose inputs repeats one of the first seed's.
    let other_seed = seed.wrapping_add(1);
    let other = Corpus::load(&generate("other", other_seed, count)).unwrap();
    let inputs = |corpus: &Corpus| -> BTreeSet<String> {
        corpus.vectors().map(|(_, v)| v.input.to_string()).collect()
    };
    let (a, b) = (inputs(&large), inputs(&other));
    assert_eq!(
        a.len() as u64,
        count * SCHEMES.len() as u64,
        "seed {seed}: repeated inputs"
    );
    assert!(
        a.is_disjoint(&b),
        "seeds {seed} and {other_seed} share inputs: {:?}",
        a.intersection(&b).collect::<Vec<_>>()
    );
}

/// 64-bit FNV-1a, to pin generated bytes without a hash dependency.
fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn pinned_seeds_keep_their_bytes() {
    // What a seed generates must not change (spec/vector-format.md, "Fresh random vectors"): a change of the
    // generator that changes these hashes changes every published seed, and needs a new generator version.
    let dir = generate("pinned", 1, 8);
    let hashes: Vec<(&str, String)> = SCHEMES
        .iter()
        .map(|scheme| {
            (
                *scheme,
                format!("{:016x}", fnv1a64(read(&dir, scheme, 1).as_bytes())),
            )
        })
        .collect();
    say(&format!("pinned seed 1, count 8: {hashes:?}"));
    assert_eq!(
        hashes,
        vec![
            ("haivision-session", "98b024c14d6ce872".to_owned()),
            ("kazoo-crossbar", "d219498375552463".to_owned()),
            ("kraken-futures", "e58605404d5a2d6e".to_owned()),
            ("kraken-spot", "76bd31c819474dc8".to_owned()),
            ("kraken-v5", "d189fd2b45ae6242".to_owned()),
        ]
    );
}

#[test]
fn unknown_schemes_and_a_zero_count_are_usage_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "vectors", "gen", "--scheme", "nope", "--seed", "1", "--count", "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown scheme \"nope\""));
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([
            "vectors", "gen", "--scheme", "all", "--seed", "1", "--count", "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
