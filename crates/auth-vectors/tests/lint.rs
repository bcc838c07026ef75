//! The lint rules, each fired by a one-change variation of a clean fixture corpus.

mod common;

use std::path::{Path, PathBuf};

use auth_vectors::{
    Corpus, CorpusFile, Expected, ExpectedError, Finding, FlagList, RetiredList, SpecLocation, lint,
};
use common::{Fixture, SPEC, negative, positive, vector_file};

fn at(file: &str, line: usize) -> SpecLocation {
    SpecLocation {
        file: PathBuf::from(file),
        line,
    }
}

fn basic() -> PathBuf {
    PathBuf::from("kraken-spot/basic.yaml")
}

#[test]
fn baseline_is_clean_and_covers_its_requirements() {
    let report = Fixture::baseline("baseline").lint();
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.files, 1);
    assert_eq!(report.vectors, 2);
    assert_eq!(
        report.coverage.citing("KSPOT-001"),
        ["kraken-spot/basic/one"]
    );
    assert_eq!(
        report.coverage.citing("KSPOT-002"),
        ["kraken-spot/basic/two"]
    );
    assert!(report.coverage.citing("KSPOT-003").is_empty());
    // Mentioned in prose only: a reference, not a definition.
    assert!(!report.requirements.defined.contains_key("KSPOT-004"));
    let r1 = &report.requirements.defined["KSPOT-001"];
    assert_eq!(r1.at, at("kspot.md", 5));
    assert!(r1.vector_testable);
    assert_eq!(r1.text, "A signed request MUST carry API-Key and API-Sign.");
    let r3 = &report.requirements.defined["KSPOT-003"];
    assert!(!r3.vector_testable);
    assert_eq!(r3.text, "The comparison MUST be constant-time.");
}

#[test]
fn duplicate_vector_id() {
    let f = Fixture::baseline("dup-id");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file(
            "kraken-spot",
            "basic",
            &[
                positive("kraken-spot/basic/one", &["KSPOT-001"]),
                negative("kraken-spot/basic/one", &["KSPOT-002"]),
            ],
        ),
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [Finding::DuplicateVectorId {
            id: "kraken-spot/basic/one".into(),
            file: basic(),
            first_file: basic(),
        }]
    );
    assert!(
        report
            .to_string()
            .contains("duplicate vector id kraken-spot/basic/one")
    );
}

#[test]
fn duplicate_vector_id_across_files_of_an_in_memory_corpus() {
    let corpus = Corpus::load(&Fixture::baseline("dup-id-mem").vectors()).unwrap();
    let mut files = corpus.files().to_vec();
    let mut copy = files[0].clone();
    copy.path = PathBuf::from("kraken-spot/copy.yaml");
    copy.file.vectors.truncate(1);
    files.push(copy);
    let merged = Corpus::from_parts(
        corpus.root().to_path_buf(),
        corpus.flags().clone(),
        corpus.retired().clone(),
        files,
    );
    let f = Fixture::baseline("dup-id-mem-spec");
    let report = lint(&merged, &f.spec());
    assert_eq!(
        report.findings,
        [Finding::DuplicateVectorId {
            id: "kraken-spot/basic/one".into(),
            file: PathBuf::from("kraken-spot/copy.yaml"),
            first_file: basic(),
        }]
    );
    // `get` answers the first occurrence.
    assert_eq!(merged.get("kraken-spot/basic/one").unwrap().op, "sign");
    assert_eq!(merged.len(), 3);
}

#[test]
fn undefined_requirement() {
    let f = Fixture::baseline("undefined-req");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file(
            "kraken-spot",
            "basic",
            &[
                positive("kraken-spot/basic/one", &["KSPOT-001", "KSPOT-009"]),
                negative("kraken-spot/basic/two", &["KSPOT-002"]),
            ],
        ),
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [Finding::UndefinedRequirement {
            vector: "kraken-spot/basic/one".into(),
            file: basic(),
            requirement: "KSPOT-009".into(),
        }]
    );
    assert!(report.coverage.citing("KSPOT-009").is_empty());
}

#[test]
fn uncovered_requirement() {
    let f = Fixture::baseline("uncovered");
    f.write(
        "spec/kspot.md",
        &format!("{SPEC}\n- **KSPOT-004** The nonce MUST be canonical decimal.\n"),
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [Finding::UncoveredRequirement {
            id: "KSPOT-004".into(),
            at: at("kspot.md", 11),
        }]
    );
    assert!(!report.is_clean());
}

#[test]
fn not_vector_testable_requirement_is_listed_not_demanded() {
    let report = Fixture::baseline("not-testable").lint();
    assert!(report.is_clean(), "{report}");
    let summary = report.coverage_summary();
    let kspot = &summary.0[0];
    assert_eq!(kspot.prefix, "KSPOT");
    assert_eq!(kspot.requirements, 3);
    assert_eq!(kspot.vector_testable, 2);
    assert_eq!(kspot.covered, 2);
    assert_eq!(kspot.not_vector_testable, ["KSPOT-003"]);
    assert!(kspot.uncovered.is_empty());
}

#[test]
fn misplaced_marker_does_not_exempt() {
    let f = Fixture::baseline("misplaced-marker");
    f.write(
        "spec/kspot.md",
        &SPEC.replace(
            "- **KSPOT-003** *(not vector-testable)* The comparison MUST be constant-time.",
            "- **KSPOT-003** The comparison MUST be constant-time *(not vector-testable)*.",
        ),
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [
            Finding::MisplacedMarker {
                id: "KSPOT-003".into(),
                at: at("kspot.md", 7),
            },
            Finding::UncoveredRequirement {
                id: "KSPOT-003".into(),
                at: at("kspot.md", 7),
            },
        ]
    );
}

#[test]
fn requirement_defined_twice_across_spec_files() {
    let f = Fixture::baseline("dup-req");
    f.write(
        "spec/other.md",
        "# Other\n\n- **KSPOT-002** Defined again.\n",
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [Finding::DuplicateRequirement {
            id: "KSPOT-002".into(),
            first: at("kspot.md", 6),
            second: at("other.md", 3),
        }]
    );
    // The first definition counts.
    assert_eq!(
        report.requirements.defined["KSPOT-002"].at,
        at("kspot.md", 6)
    );
}

#[test]
fn fenced_code_and_indented_items_are_not_definitions() {
    let f = Fixture::baseline("fenced");
    f.write(
        "spec/format.md",
        "# Format\n\n````markdown\n- **KSPOT-005** An example definition.\n```\n- **KSPOT-006** still inside\n````\n\n~~~\n- **KSPOT-007** tilde fence\n~~~\n\n  - **KSPOT-008** indented: a reference\n",
    );
    let report = f.lint();
    assert!(report.is_clean(), "{report}");
    for id in ["KSPOT-005", "KSPOT-006", "KSPOT-007", "KSPOT-008"] {
        assert!(!report.requirements.defined.contains_key(id), "{id}");
    }
}

#[test]
fn malformed_requirement_id_on_a_defining_line() {
    let f = Fixture::baseline("malformed-req");
    f.write(
        "spec/other.md",
        "- **KSPOT-01** Two digits.\n- **KRAKEN-001** Unknown prefix.\n- **Note** Not an id at all.\n",
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [
            Finding::MalformedRequirementId {
                text: "KSPOT-01".into(),
                at: at("other.md", 1),
            },
            Finding::MalformedRequirementId {
                text: "KRAKEN-001".into(),
                at: at("other.md", 2),
            },
        ]
    );
}

#[test]
fn retired_id_reused_and_listed_twice() {
    let f = Fixture::baseline("retired");
    f.write(
        "vectors/retired.yaml",
        "format: 1\nretired:\n  - {id: kraken-spot/basic/two, reason: wrong expected value}\n  - {id: kraken-spot/basic/gone, reason: duplicate}\n  - {id: kraken-spot/basic/gone, reason: duplicate}\n",
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [
            Finding::RetiredListedTwice {
                id: "kraken-spot/basic/gone".into(),
            },
            Finding::RetiredIdReused {
                id: "kraken-spot/basic/two".into(),
                file: basic(),
            },
        ]
    );
}

#[test]
fn undocumented_and_unused_flags() {
    let f = Fixture::baseline("flags");
    f.write(
        "vectors/flags.yaml",
        "format: 1\nflags:\n  json-body:\n    description: JSON body.\n    bug: Re-serializing JSON.\n",
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [
            Finding::UndocumentedFlag {
                flag: "form-body".into(),
                vector: "kraken-spot/basic/one".into(),
                file: basic(),
            },
            Finding::UnusedFlag {
                flag: "json-body".into(),
            },
        ]
    );
}

#[test]
fn computed_vector_without_confirmation() {
    let f = Fixture::baseline("unconfirmed");
    let one = positive("kraken-spot/basic/one", &["KSPOT-001"])
        .replace("      confirmed_by: [\"python3 hashlib\"]\n", "");
    // A vendor-doc vector needs no confirmation; a computed one does.
    let two = negative("kraken-spot/basic/two", &["KSPOT-002"]);
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file("kraken-spot", "basic", &[one, two]),
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [Finding::UnconfirmedComputed {
            vector: "kraken-spot/basic/one".into(),
            file: basic(),
        }]
    );
}

#[test]
fn duplicate_citation_and_duplicate_stage() {
    let f = Fixture::baseline("dup-cite");
    let one = positive("kraken-spot/basic/one", &["KSPOT-001", "KSPOT-001"])
        .replace("name: hmac_digest", "name: sha256_input");
    let two = negative("kraken-spot/basic/two", &["KSPOT-002"]);
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file("kraken-spot", "basic", &[one, two]),
    );
    let report = f.lint();
    assert_eq!(
        report.findings,
        [
            Finding::DuplicateCitation {
                vector: "kraken-spot/basic/one".into(),
                file: basic(),
                requirement: "KSPOT-001".into(),
            },
            Finding::DuplicateStage {
                vector: "kraken-spot/basic/one".into(),
                file: basic(),
                stage: "sha256_input".into(),
            },
        ]
    );
    // Cited twice, counted once.
    assert_eq!(
        report.coverage.citing("KSPOT-001"),
        ["kraken-spot/basic/one"]
    );
}

#[test]
fn in_memory_vectors_the_schema_would_have_refused() {
    let f = Fixture::baseline("in-memory");
    let corpus = f.load().unwrap();
    let mut files: Vec<CorpusFile> = corpus.files().to_vec();
    let vectors = &mut files[0].file.vectors;
    vectors[0].expected = Expected::Result(serde_json::json!("not an object"));
    vectors[1].expected = Expected::Error(ExpectedError {
        code: String::new(),
        rest: serde_json::Map::new(),
    });
    vectors[1].requirements.clear();
    let corpus = Corpus::from_parts(
        PathBuf::from("mem"),
        FlagList {
            format: 1,
            flags: corpus.flags().flags.clone(),
        },
        RetiredList::default(),
        files,
    );
    let report = lint(&corpus, &f.spec());
    assert_eq!(
        report.findings,
        [
            Finding::NoRequirements {
                vector: "kraken-spot/basic/two".into(),
                file: basic(),
            },
            Finding::UncoveredRequirement {
                id: "KSPOT-002".into(),
                at: at("kspot.md", 6),
            },
            Finding::ResultNotObject {
                vector: "kraken-spot/basic/one".into(),
                file: basic(),
            },
            Finding::EmptyErrorCode {
                vector: "kraken-spot/basic/two".into(),
                file: basic(),
            },
        ]
    );
}

#[test]
fn unreadable_spec_dir_is_a_finding() {
    let f = Fixture::baseline("no-spec");
    let corpus = f.load().unwrap();
    let missing = f.dir.join("no-such-spec");
    let report = lint(&corpus, &missing);
    assert!(matches!(
        &report.findings[0],
        Finding::SpecUnreadable { path, .. } if path == Path::new(&missing)
    ));
    // Without a spec every citation is undefined.
    assert_eq!(report.findings.len(), 3, "{report}");
}

/// A file `kraken-spot/flow.yaml` with no vectors and one scenario whose steps are given as YAML text.
fn scenario_file(id: &str, requirements: &str, steps: &str) -> String {
    format!(
        "format: 1
scheme: kraken-spot
group: flow
description: Scenario fixture.
vectors: []
scenarios:
  - id: {id}
    description: A scenario.
    requirements: [{requirements}]
    provenance: {{kind: computed, source: test fixture, confirmed_by: [by hand]}}
    flags: [form-body]
    steps:
{steps}"
    )
}

const GOOD_STEPS: &str = "      - name: login
        op: sign
        input: {nonce: \"1\"}
        expected: {result: {token: t}}
        capture: {token: /result/token}
      - name: call
        op: verify
        input: {token: \"${token}\"}
        expected: {error: {code: token-invalid, echo: \"${token}\"}}
";

#[test]
fn scenarios_join_the_id_namespace_and_count_for_coverage() {
    let f = Fixture::baseline("scenario-clean");
    f.write(
        "vectors/kraken-spot/flow.yaml",
        &scenario_file(
            "kraken-spot/flow/login-then-call",
            "KSPOT-001, KSPOT-002",
            GOOD_STEPS,
        ),
    );
    let report = f.lint();
    assert!(report.is_clean(), "{report}");
    assert_eq!((report.files, report.vectors, report.scenarios), (2, 2, 1));
    assert_eq!(
        report.coverage.citing("KSPOT-001"),
        ["kraken-spot/basic/one", "kraken-spot/flow/login-then-call"]
    );
    assert!(
        report
            .to_string()
            .ends_with("2 vectors and 1 scenario in 2 files; 0 findings\n"),
        "{report}"
    );
    let corpus = f.load().unwrap();
    let (_, scenario) = corpus.scenarios().next().unwrap();
    assert!(scenario.is_negative());
    assert_eq!(corpus.len_scenarios(), 1);
    assert_eq!(corpus.len(), 2);
}

#[test]
fn scenario_rules_fire() {
    let f = Fixture::baseline("scenario-rules");
    f.write(
        "vectors/retired.yaml",
        "format: 1\nretired:\n  - {id: kraken-spot/flow/old, reason: gone}\n",
    );
    let steps = "      - name: call
        op: verify
        input: {token: \"${token}\"}
        expected: {result: {who: \"${user}\"}}
      - name: call
        op: sign
        input: {}
        expected: {result: {}}
        capture: {token: /result/token}
";
    f.write(
        "vectors/kraken-spot/flow.yaml",
        &scenario_file("kraken-spot/flow/old", "KSPOT-009", steps),
    );
    let report = f.lint();
    let file = PathBuf::from("kraken-spot/flow.yaml");
    let scenario = "kraken-spot/flow/old".to_owned();
    for expected in [
        Finding::UndefinedRequirement {
            vector: scenario.clone(),
            file: file.clone(),
            requirement: "KSPOT-009".into(),
        },
        Finding::RetiredIdReused {
            id: scenario.clone(),
            file: file.clone(),
        },
        Finding::DuplicateStepName {
            scenario: scenario.clone(),
            file: file.clone(),
            step: "call".into(),
        },
        Finding::UncapturedVariable {
            scenario: scenario.clone(),
            file: file.clone(),
            step: "call".into(),
            variable: "token".into(),
        },
        Finding::UncapturedVariable {
            scenario: scenario.clone(),
            file: file.clone(),
            step: "call".into(),
            variable: "user".into(),
        },
    ] {
        assert!(
            report.findings.contains(&expected),
            "{expected:?}\n{report}"
        );
    }
    let text = report.to_string();
    assert!(
        text.contains(
            "kraken-spot/flow.yaml: kraken-spot/flow/old step call uses ${token}, which no earlier step captures"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "kraken-spot/flow.yaml: kraken-spot/flow/old has more than one step named call"
        ),
        "{text}"
    );
}

#[test]
fn scenario_ids_collide_with_vector_ids_and_need_confirmation() {
    let f = Fixture::baseline("scenario-dup");
    let file = scenario_file("kraken-spot/flow/x", "KSPOT-001", GOOD_STEPS)
        .replace("confirmed_by: [by hand]", "confirmed_by: []")
        .replace("flags: [form-body]", "flags: [nope]");
    // A scenario may not reuse a vector's id: put one in a file of the same group as a vector.
    f.write("vectors/kraken-spot/flow.yaml", &file);
    f.write(
        "vectors/kraken-spot/flow.yaml",
        &file.replace(
            "vectors: []",
            &format!(
                "vectors:\n{}",
                positive("kraken-spot/flow/x", &["KSPOT-001"])
            ),
        ),
    );
    let report = f.lint();
    let path = PathBuf::from("kraken-spot/flow.yaml");
    for expected in [
        Finding::DuplicateVectorId {
            id: "kraken-spot/flow/x".into(),
            file: path.clone(),
            first_file: path.clone(),
        },
        Finding::UnconfirmedComputed {
            vector: "kraken-spot/flow/x".into(),
            file: path.clone(),
        },
        Finding::UndocumentedFlag {
            flag: "nope".into(),
            vector: "kraken-spot/flow/x".into(),
            file: path.clone(),
        },
    ] {
        assert!(
            report.findings.contains(&expected),
            "{expected:?}\n{report}"
        );
    }
}

#[test]
fn empty_ops_and_empty_steps_are_findings() {
    let f = Fixture::baseline("scenario-empty-op");
    let loaded = f.load().unwrap();
    let mut files = loaded.files().to_vec();
    let file = &mut files[0].file;
    let yaml = scenario_file("kraken-spot/basic/s", "KSPOT-001", GOOD_STEPS);
    let yaml: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
    let parsed: auth_vectors::VectorFile =
        serde_json::from_value(serde_json::to_value(yaml).unwrap()).unwrap();
    let mut scenario = parsed.scenarios[0].clone();
    scenario.steps[0].op = String::new();
    let mut empty = scenario.clone();
    empty.id = "kraken-spot/basic/empty".into();
    empty.steps.clear();
    file.scenarios = vec![scenario, empty];
    let report = lint(
        &Corpus::from_parts(
            loaded.root().to_path_buf(),
            loaded.flags().clone(),
            RetiredList::default(),
            files,
        ),
        &f.spec(),
    );
    assert!(
        report.findings.contains(&Finding::EmptyOp {
            scenario: "kraken-spot/basic/s".into(),
            file: basic(),
            step: "login".into()
        }),
        "{report}"
    );
    assert!(
        report.findings.contains(&Finding::NoSteps {
            scenario: "kraken-spot/basic/empty".into(),
            file: basic(),
        }),
        "{report}"
    );
}
