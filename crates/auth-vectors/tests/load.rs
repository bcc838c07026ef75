//! Loading: what the loader accepts, in which order, and the error it gives for each broken file.

mod common;

use std::path::PathBuf;

use auth_vectors::{Corpus, Expected, LoadError, ProvenanceKind};
use common::{Fixture, negative, positive, vector_file};

fn basic_path(f: &Fixture) -> PathBuf {
    f.vectors().join("kraken-spot").join("basic.yaml")
}

/// Writes `basic.yaml` with one vector whose text is `vector`, loads, and expects schema violations.
#[allow(clippy::panic)] // test helper
fn schema_violations(name: &str, vector: &str) -> Vec<(String, String, String)> {
    let f = Fixture::baseline(name);
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file("kraken-spot", "basic", &[vector.to_owned()]),
    );
    match f.load() {
        Err(LoadError::Schema { path, violations }) => {
            assert_eq!(path, basic_path(&f));
            violations
                .into_iter()
                .map(|v| (v.pointer, v.keyword, v.message))
                .collect()
        }
        other => panic!("expected a schema error, got {other:?}"),
    }
}

#[test]
fn loads_files_in_sorted_order_with_their_contents() {
    let f = Fixture::baseline("order");
    // Written out of order; a folder without .yaml files and non-YAML files are not part of the corpus.
    f.write(
        "vectors/kraken-spot/zeta.yaml",
        &vector_file(
            "kraken-spot",
            "zeta",
            &[negative("kraken-spot/zeta/z", &["KSPOT-002"])],
        ),
    );
    f.write(
        "vectors/kraken-futures/alpha.yaml",
        &vector_file(
            "kraken-futures",
            "alpha",
            &[positive("kraken-futures/alpha/a", &["KFUT-001"])],
        ),
    );
    f.write("vectors/gen/kraken_spot.py", "print('generator')\n");
    f.write("vectors/README.md", "# corpus\n");
    f.write("vectors/kraken-spot/notes.txt", "notes\n");
    let corpus = f.load().unwrap();

    let ids: Vec<&str> = corpus.vectors().map(|(_, v)| v.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "kraken-futures/alpha/a",
            "kraken-spot/basic/one",
            "kraken-spot/basic/two",
            "kraken-spot/zeta/z",
        ]
    );
    let groups: Vec<&str> = corpus
        .vectors()
        .map(|(file, _)| file.group.as_str())
        .collect();
    assert_eq!(groups, ["alpha", "basic", "basic", "zeta"]);
    assert_eq!(corpus.schemes(), ["kraken-futures", "kraken-spot"]);
    let paths: Vec<PathBuf> = corpus.files().iter().map(|f| f.path.clone()).collect();
    assert_eq!(
        paths,
        [
            PathBuf::from("kraken-futures/alpha.yaml"),
            PathBuf::from("kraken-spot/basic.yaml"),
            PathBuf::from("kraken-spot/zeta.yaml"),
        ]
    );
    assert_eq!(corpus.len(), 4);
    assert!(!corpus.is_empty());
    assert_eq!(corpus.root(), f.vectors());

    let one = corpus.get("kraken-spot/basic/one").unwrap();
    assert_eq!(one.scheme(), "kraken-spot");
    assert!(!one.is_negative());
    assert_eq!(one.provenance.kind, ProvenanceKind::Computed);
    assert_eq!(one.provenance.confirmed_by, ["python3 hashlib"]);
    assert_eq!(one.flags, ["form-body"]);
    assert_eq!(one.input["nonce"], "1616492376594");
    assert_eq!(
        one.expected,
        Expected::Result(serde_json::json!({"headers": {"API-Sign": "abc"}}))
    );
    let stages: Vec<(&str, &str)> = one
        .stages
        .iter()
        .map(|s| (s.name.as_str(), s.value.as_str()))
        .collect();
    assert_eq!(
        stages,
        [
            ("sha256_input", "1616492376594nonce=1616492376594"),
            ("hmac_digest", "00ff")
        ]
    );

    let two = corpus.get("kraken-spot/basic/two").unwrap();
    assert!(two.is_negative());
    match &two.expected {
        Expected::Error(e) => {
            assert_eq!(e.code, "secret-invalid");
            assert_eq!(e.rest["response"], serde_json::json!({"status": 200}));
        }
        Expected::Result(_) => panic!("negative vector"),
    }
    assert!(corpus.get("kraken-spot/basic/three").is_none());

    let flags = corpus.flags();
    assert_eq!(
        flags.flags["form-body"].bug,
        "Hashing a re-encoded body instead of the bytes sent."
    );
    assert!(corpus.retired().retired.is_empty());
}

#[test]
fn missing_expected() {
    let v = negative("kraken-spot/basic/x", &["KSPOT-002"]);
    let v = &v[..v.find("    expected:").unwrap()];
    let violations = schema_violations("no-expected", v);
    assert_eq!(violations.len(), 1, "{violations:?}");
    let (pointer, keyword, message) = &violations[0];
    assert_eq!(pointer, "/vectors/0");
    assert_eq!(keyword, "#/$defs/vector/required");
    assert!(message.contains("'expected'"), "{message}");
}

#[test]
fn both_result_and_error() {
    let v = negative("kraken-spot/basic/x", &["KSPOT-002"]) + "      result: {}\n";
    let violations = schema_violations("both", &v);
    assert_eq!(violations.len(), 1, "{violations:?}");
    let (pointer, keyword, message) = &violations[0];
    assert_eq!(pointer, "/vectors/0/expected");
    assert_eq!(keyword, "#/$defs/expected/oneOf");
    assert!(message.contains("oneOf failed"), "{message}");
}

#[test]
fn neither_result_nor_error() {
    let v = negative("kraken-spot/basic/x", &["KSPOT-002"]);
    let v = format!(
        "{}    expected: {{}}\n",
        &v[..v.find("    expected:").unwrap()]
    );
    let violations = schema_violations("neither", &v);
    assert_eq!(violations.len(), 1, "{violations:?}");
    let (pointer, keyword, message) = &violations[0];
    assert_eq!(pointer, "/vectors/0/expected");
    assert_eq!(keyword, "#/$defs/expected/oneOf");
    assert!(
        message.contains("'result'") && message.contains("'error'"),
        "{message}"
    );
}

#[test]
fn bad_id_pattern() {
    let violations = schema_violations(
        "bad-id",
        &negative("kraken-spot/basic/Bad_Name", &["KSPOT-002"]),
    );
    assert_eq!(violations.len(), 1, "{violations:?}");
    let (pointer, keyword, message) = &violations[0];
    assert_eq!(pointer, "/vectors/0/id");
    assert_eq!(keyword, "#/$defs/vectorId/pattern");
    assert!(message.contains("Bad_Name"), "{message}");
}

#[test]
fn unknown_field() {
    let v = negative("kraken-spot/basic/x", &["KSPOT-002"]) + "    nonsense: 1\n";
    let violations = schema_violations("unknown-field", &v);
    assert_eq!(violations.len(), 1, "{violations:?}");
    let (pointer, _, message) = &violations[0];
    assert_eq!(pointer, "/vectors/0");
    assert!(message.contains("'nonsense'"), "{message}");
}

#[test]
fn bad_requirement_id_error_code_and_provenance_kind() {
    let v = negative("kraken-spot/basic/x", &["KSPOT-2"])
        .replace("code: secret-invalid", "code: Secret_Invalid")
        .replace("kind: vendor-doc", "kind: folklore");
    let pointers: Vec<String> = schema_violations("bad-values", &v)
        .into_iter()
        .map(|(pointer, _, _)| pointer)
        .collect();
    assert_eq!(pointers.len(), 3, "{pointers:?}");
    for expected in [
        "/vectors/0/requirements/0",
        "/vectors/0/provenance/kind",
        "/vectors/0/expected/error/code",
    ] {
        assert!(
            pointers.iter().any(|p| p == expected),
            "{expected} in {pointers:?}"
        );
    }
}

#[test]
fn expected_error_must_not_carry_a_message() {
    let v = negative("kraken-spot/basic/x", &["KSPOT-002"]) + "        message: Invalid secret\n";
    let violations = schema_violations("error-message", &v);
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].0, "/vectors/0/expected/error/message");
}

#[test]
fn numeric_stage_value_is_refused() {
    let v =
        positive("kraken-spot/basic/x", &["KSPOT-001"]).replace("value: \"00ff\"", "value: 1234");
    let violations = schema_violations("stage-number", &v);
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].0, "/vectors/0/stages/1/value");
}

#[test]
fn schema_error_display_names_file_pointer_and_message() {
    let f = Fixture::baseline("display");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file(
            "kraken-spot",
            "basic",
            &[negative("kraken-spot/basic/Bad", &["KSPOT-002"])],
        ),
    );
    let text = f.load().unwrap_err().to_string();
    let path = basic_path(&f);
    assert!(
        text.starts_with(&format!("{}: does not match", path.display())),
        "{text}"
    );
    assert!(text.contains("\n  at /vectors/0/id: "), "{text}");
    assert!(text.contains("does not match pattern"), "{text}");
}

#[test]
fn group_differs_from_file_name() {
    let f = Fixture::baseline("group");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file(
            "kraken-spot",
            "signing",
            &[negative("kraken-spot/signing/x", &["KSPOT-002"])],
        ),
    );
    match f.load() {
        Err(LoadError::GroupMismatch { path, group, stem }) => {
            assert_eq!(path, basic_path(&f));
            assert_eq!(group, "signing");
            assert_eq!(stem, "basic");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn scheme_differs_from_folder() {
    let f = Fixture::baseline("scheme");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file(
            "kraken-futures",
            "basic",
            &[negative("kraken-futures/basic/x", &["KSPOT-002"])],
        ),
    );
    match f.load() {
        Err(LoadError::SchemeMismatch { scheme, folder, .. }) => {
            assert_eq!(scheme, "kraken-futures");
            assert_eq!(folder, "kraken-spot");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn id_outside_its_file() {
    let f = Fixture::baseline("id-prefix");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file(
            "kraken-spot",
            "basic",
            &[
                negative("kraken-spot/basic/x", &["KSPOT-002"]),
                negative("kraken-spot/other/y", &["KSPOT-002"]),
            ],
        ),
    );
    match f.load() {
        Err(LoadError::IdPrefix { id, prefix, .. }) => {
            assert_eq!(id, "kraken-spot/other/y");
            assert_eq!(prefix, "kraken-spot/basic/");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unsupported_format() {
    let f = Fixture::baseline("format");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file(
            "kraken-spot",
            "basic",
            &[negative("kraken-spot/basic/x", &["KSPOT-002"])],
        )
        .replace("format: 1", "format: 2"),
    );
    match f.load() {
        Err(e @ LoadError::UnsupportedFormat { found: 2, .. }) => {
            assert!(e.to_string().contains("format 2 is not supported"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn invalid_yaml() {
    let f = Fixture::baseline("yaml");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        "format: 1\nscheme: [unclosed\n",
    );
    match f.load() {
        Err(LoadError::Yaml { path, .. }) => assert_eq!(path, basic_path(&f)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn duplicate_yaml_keys_are_refused() {
    let f = Fixture::baseline("yaml-dup-key");
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file(
            "kraken-spot",
            "basic",
            &[negative("kraken-spot/basic/x", &["KSPOT-002"])],
        )
        .replace("group: basic\n", "group: basic\ngroup: basic\n"),
    );
    assert!(
        matches!(f.load(), Err(LoadError::Yaml { .. })),
        "{:?}",
        f.load()
    );

    // Also inside the verbatim `input`, where a silently dropped key would change what is signed.
    let f = Fixture::baseline("yaml-dup-input-key");
    let v = negative("kraken-spot/basic/x", &["KSPOT-002"]).replace(
        "      nonce: \"1\"\n",
        "      nonce: \"1\"\n      nonce: \"2\"\n",
    );
    f.write(
        "vectors/kraken-spot/basic.yaml",
        &vector_file("kraken-spot", "basic", &[v]),
    );
    match f.load() {
        Err(e @ LoadError::Yaml { .. }) => assert!(e.to_string().contains("duplicate"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn yaml_without_a_json_equivalent() {
    for (name, from, to, pointer) in [
        (
            "int-key",
            "response: {status: 200}",
            "response: {200: ok}",
            "/vectors/0/expected/error/response",
        ),
        (
            "tag",
            "code: secret-invalid",
            "code: !code secret-invalid",
            "/vectors/0/expected/error/code",
        ),
        (
            "nan",
            "status: 200",
            "status: .nan",
            "/vectors/0/expected/error/response/status",
        ),
    ] {
        let f = Fixture::baseline(name);
        let v = negative("kraken-spot/basic/x", &["KSPOT-002"]).replace(from, to);
        f.write(
            "vectors/kraken-spot/basic.yaml",
            &vector_file("kraken-spot", "basic", &[v]),
        );
        match f.load() {
            Err(LoadError::NotJson { pointer: p, .. }) => assert_eq!(p, pointer, "{name}"),
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn missing_flags_file() {
    let f = Fixture::baseline("no-flags");
    f.remove("vectors/flags.yaml");
    match f.load() {
        Err(LoadError::Io { path, source }) => {
            assert_eq!(path, f.vectors().join("flags.yaml"));
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn flags_and_retired_files_are_validated() {
    let f = Fixture::baseline("flags-schema");
    f.write(
        "vectors/flags.yaml",
        "format: 1\nflags:\n  form-body:\n    description: no bug given\n",
    );
    match f.load() {
        Err(LoadError::Schema { path, violations }) => {
            assert_eq!(path, f.vectors().join("flags.yaml"));
            assert_eq!(violations[0].pointer, "/flags/form-body");
            assert!(violations[0].message.contains("'bug'"));
        }
        other => panic!("{other:?}"),
    }

    let f = Fixture::baseline("retired-schema");
    f.write(
        "vectors/retired.yaml",
        "format: 1\nretired:\n  - {id: not-an-id, reason: x}\n",
    );
    match f.load() {
        Err(LoadError::Schema { path, violations }) => {
            assert_eq!(path, f.vectors().join("retired.yaml"));
            assert_eq!(violations[0].pointer, "/retired/0/id");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn misplaced_yaml_files_are_errors_not_skipped() {
    let f = Fixture::baseline("yml");
    f.write("vectors/kraken-spot/extra.yml", "format: 1\n");
    assert!(
        matches!(f.load(), Err(LoadError::UnexpectedFile { ref path, .. }) if path.ends_with("extra.yml")),
        "{:?}",
        f.load()
    );

    let f = Fixture::baseline("stray");
    f.write("vectors/official.yaml", "format: 1\n");
    assert!(
        matches!(f.load(), Err(LoadError::UnexpectedFile { ref path, .. }) if path.ends_with("official.yaml")),
        "{:?}",
        f.load()
    );
}

#[test]
fn empty_corpus_loads() {
    let f = Fixture::baseline("empty");
    f.remove("vectors/kraken-spot/basic.yaml");
    let corpus = Corpus::load(&f.vectors()).unwrap();
    assert!(corpus.is_empty());
    assert!(corpus.schemes().is_empty());
}

#[test]
fn scenario_files_load_and_their_ids_are_placed() {
    let f = Fixture::baseline("scenario-load");
    let file = "format: 1
scheme: kraken-spot
group: flow
description: d
vectors: []
scenarios:
  - id: kraken-spot/flow/s
    description: d
    requirements: [KSPOT-001]
    provenance: {kind: vendor-doc, source: s}
    steps:
      - {name: one, op: sign, input: {}, expected: {result: {}}, capture: {t: /result/t}}
";
    f.write("vectors/kraken-spot/flow.yaml", file);
    let corpus = f.load().unwrap();
    assert_eq!(corpus.len_scenarios(), 1);
    assert!(corpus.get_scenario("kraken-spot/flow/s").is_some());

    f.write(
        "vectors/kraken-spot/flow.yaml",
        &file.replace("id: kraken-spot/flow/s", "id: kraken-spot/other/s"),
    );
    assert!(
        matches!(f.load(), Err(LoadError::IdPrefix { ref id, .. }) if id == "kraken-spot/other/s"),
        "{:?}",
        f.load()
    );

    // No vectors and no scenarios: refused (by the schema, before the loader's own check).
    f.write(
        "vectors/kraken-spot/flow.yaml",
        "format: 1\nscheme: kraken-spot\ngroup: flow\ndescription: d\nvectors: []\n",
    );
    assert!(
        matches!(f.load(), Err(LoadError::Schema { .. })),
        "{:?}",
        f.load()
    );

    // Bad step name, capture name and pointer: schema violations.
    for (from, to) in [
        ("name: one", "name: One"),
        ("capture: {t: /result/t}", "capture: {T: /result/t}"),
        ("capture: {t: /result/t}", "capture: {t: result/t}"),
        ("capture: {t: /result/t}", "extra: 1"),
    ] {
        f.write("vectors/kraken-spot/flow.yaml", &file.replace(from, to));
        assert!(
            matches!(f.load(), Err(LoadError::Schema { .. })),
            "{to}: {:?}",
            f.load()
        );
    }
}
