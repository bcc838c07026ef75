//! `cargo xtask` end to end: the built binary against a fixture corpus (written to a temporary directory) and the
//! toy Python testee of auth-conformance's tests. Requires python3.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BASIC: &str = r#"
format: 1
scheme: toy-mac
group: basic
description: Toy signatures (see crates/auth-conformance/tests/common/mod.rs).
vectors:
  - id: toy-mac/basic/lower
    description: A lower-case message is upper-cased and reversed.
    requirements: [CORE-001]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: sign
    input: {key: k, message: abc}
    expected:
      result: {headers: {X-Toy-Sig: "k:CBA"}}
    stages:
      - {name: upper, value: ABC}
      - {name: reversed, value: CBA}
      - {name: joined, value: "k:CBA"}
  - id: toy-mac/basic/empty-key
    description: An empty key is refused.
    requirements: [CORE-002]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: sign
    input: {key: "", message: abc}
    expected:
      error: {code: key-empty}
"#;

const SPEC: &str = "# Toy\n\n- **CORE-001** A toy signer MUST reverse.\n- **CORE-002** A toy signer MUST refuse an empty key.\n";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn fixture(name: &str, basic: &str, spec: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("xtask-fixtures")
        .join(name);
    if root.exists() {
        std::fs::remove_dir_all(&root).unwrap();
    }
    std::fs::create_dir_all(root.join("vectors/toy-mac")).unwrap();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::write(root.join("vectors/flags.yaml"), "format: 1\nflags: {}\n").unwrap();
    std::fs::write(
        root.join("vectors/retired.yaml"),
        "format: 1\nretired: []\n",
    )
    .unwrap();
    std::fs::write(root.join("vectors/toy-mac/basic.yaml"), basic).unwrap();
    std::fs::write(root.join("spec/core.md"), spec).unwrap();
    root
}

fn toy_testee(mode: &str) -> String {
    let script = repo_root().join("crates/auth-conformance/tests/testees/toy_testee.py");
    format!("python3 '{}' {mode}", script.display())
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn conformance_passes_and_writes_both_reports() {
    let root = fixture("pass", BASIC, SPEC);
    let json = root.join("report.json");
    let junit = root.join("junit.xml");
    let out = xtask(&[
        "conformance",
        "--testee",
        &toy_testee("ok"),
        "--vectors",
        root.join("vectors").to_str().unwrap(),
        "--report-json",
        json.to_str().unwrap(),
        "--junit",
        junit.to_str().unwrap(),
        "--timeout",
        "20",
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.starts_with("testee: toy-py 0.1.0 (schemes: toy-mac), protocol 1\n"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("2 passed, 0 failed, 0 skipped"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(report["success"], true);
    assert_eq!(report["totals"]["passed"], 2);
    let xml = std::fs::read_to_string(junit).unwrap();
    assert!(
        xml.contains("<testsuite name=\"toy-mac\" tests=\"2\" failures=\"0\""),
        "{xml}"
    );
}

#[test]
fn conformance_fails_on_an_unexpected_pass() {
    let root = fixture("unexpected-pass", BASIC, SPEC);
    let list = root.join("expected-failures.yaml");
    std::fs::write(
        &list,
        "- {id: toy-mac/basic/lower, stage: reversed, reason: thought to be broken}\n",
    )
    .unwrap();
    let out = xtask(&[
        "conformance",
        "--testee",
        &toy_testee("ok"),
        "--vectors",
        root.join("vectors").to_str().unwrap(),
        "--expected-failures",
        list.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("UNEXPECTED PASS toy-mac/basic/lower"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("1 passed, 1 failed, 0 skipped"));
}

#[test]
fn conformance_fails_when_the_selection_is_empty_or_the_testee_breaks() {
    let root = fixture("errors", BASIC, SPEC);
    let vectors = root.join("vectors");
    let out = xtask(&[
        "conformance",
        "--testee",
        &toy_testee("ok"),
        "--vectors",
        vectors.to_str().unwrap(),
        "--id",
        "toy-mac/nope/*",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error: no vector matches --id 'toy-mac/nope/*'\n"
    );

    let out = xtask(&[
        "conformance",
        "--testee",
        &toy_testee("bad-exit"),
        "--vectors",
        vectors.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(
            "PROTOCOL ERROR: testee did not finish cleanly at end of input: exit status: 4"
        ),
        "{stdout}"
    );

    let out = xtask(&[
        "conformance",
        "--testee",
        "python3 'unterminated",
        "--vectors",
        vectors.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unterminated single quote"));

    let out = xtask(&[
        "conformance",
        "--testee",
        &toy_testee("ok"),
        "--vectors",
        vectors.to_str().unwrap(),
        "--timeout",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--timeout must be a positive number of seconds"));
}

#[test]
fn conformance_fails_when_the_corpus_does_not_load() {
    let root = fixture("bad-corpus", &BASIC.replace("format: 1", "format: 2"), SPEC);
    let out = xtask(&[
        "conformance",
        "--testee",
        &toy_testee("ok"),
        "--vectors",
        root.join("vectors").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot load the corpus at "),
        "{stderr}"
    );
    assert!(stderr.contains("basic.yaml"), "{stderr}");
}

#[test]
fn vectors_lint_reports_coverage_and_fails_unless_clean() {
    let root = fixture("lint-clean", BASIC, SPEC);
    let args = |root: &Path| {
        vec![
            "vectors".to_owned(),
            "lint".to_owned(),
            "--vectors".to_owned(),
            root.join("vectors").to_str().unwrap().to_owned(),
            "--spec".to_owned(),
            root.join("spec").to_str().unwrap().to_owned(),
        ]
    };
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args(&root))
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("CORE: 2 requirements, 2 vector-testable, 2 covered"),
        "{stdout}"
    );

    // A vector-testable requirement no vector cites.
    let root = fixture(
        "lint-unclean",
        BASIC,
        &format!("{SPEC}- **CORE-003** A toy verifier MUST verify.\n"),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args(&root))
        .output()
        .unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("CORE-003"), "{stdout}");
}

#[test]
fn usage_errors_exit_2() {
    let out = xtask(&["conformance", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

const WITH_SECRET: &str = r#"
format: 1
scheme: toy-mac
group: basic
description: A toy signature whose input carries a secret the toy signer does not need.
vectors:
  - id: toy-mac/basic/lower
    description: A lower-case message is upper-cased and reversed.
    requirements: [CORE-001]
    provenance: {kind: computed, source: worked by hand, confirmed_by: [by hand]}
    op: sign
    input: {key: k, message: abc, secret: toy-secret-0123456789}
    expected:
      result: {headers: {X-Toy-Sig: "k:CBA"}}
"#;

#[test]
fn a_testee_that_shows_a_secret_fails_the_run() {
    let root = fixture("leak", WITH_SECRET, SPEC);
    let vectors = root.join("vectors");
    let json = root.join("report.json");
    let run = |mode: &str| {
        xtask(&[
            "conformance",
            "--testee",
            &toy_testee(mode),
            "--vectors",
            vectors.to_str().unwrap(),
            "--report-json",
            json.to_str().unwrap(),
        ])
    };
    let clean = run("ok");
    assert!(clean.status.success(), "{}", text(&clean.stdout));
    assert!(!text(&clean.stdout).contains("LEAK"));

    let stderr = run("leak-stderr");
    let out = text(&stderr.stdout);
    assert_eq!(stderr.status.code(), Some(1), "{out}");
    assert!(
        out.contains("LEAK stderr at line 1: toy-mac/basic/lower: input.secret (21 characters)"),
        "{out}"
    );

    let answer = run("leak-answer");
    let out = text(&answer.stdout);
    assert_eq!(answer.status.code(), Some(1), "{out}");
    assert!(
        out.contains("LEAK stdout at stdout: answer to toy-mac/basic/lower: result.debug.used"),
        "{out}"
    );
    // The vector itself passed: the leak alone fails the run.
    assert!(out.contains("1 passed, 0 failed, 0 skipped"), "{out}");
    // Nothing the runner prints or writes shows the secret.
    for shown in [
        out,
        text(&answer.stderr),
        std::fs::read_to_string(&json).unwrap(),
    ] {
        assert!(!shown.contains("toy-secret-0123456789"), "{shown}");
    }
}

#[test]
fn fix_rewrites_a_stale_expected_failures_list() {
    let root = fixture("fix", BASIC, SPEC);
    let list = root.join("expected-failures.yaml");
    std::fs::write(
        &list,
        "# Toy list.\n- id: toy-mac/basic/lower\n  reason: thought to fail\n",
    )
    .unwrap();
    let args = |fix: bool| {
        let mut args = vec![
            "conformance".to_owned(),
            "--testee".to_owned(),
            toy_testee("ok"),
            "--vectors".to_owned(),
            root.join("vectors").display().to_string(),
            "--expected-failures".to_owned(),
            list.display().to_string(),
        ];
        if fix {
            args.push("--fix".to_owned());
        }
        args
    };
    let run = |fix: bool| {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(args(fix))
            .output()
            .unwrap()
    };
    let stale = run(false);
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale.stdout));
    let fixed = run(true);
    assert!(fixed.status.success(), "{}", text(&fixed.stderr));
    assert!(
        text(&fixed.stderr).contains("1 removed"),
        "{}",
        text(&fixed.stderr)
    );
    assert_eq!(std::fs::read_to_string(&list).unwrap(), "# Toy list.\n[]\n");
    let again = run(false);
    assert!(again.status.success(), "{}", text(&again.stdout));
}
