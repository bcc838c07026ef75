//! The schema file in `spec/` is the one the crate embeds, compiles, and states the contract's patterns.

use auth_vectors::schema::{CorpusSchema, Document, SCHEMA_ID, SCHEMA_JSON};
use auth_vectors::workspace_spec_dir;
use serde_json::{Value, json};

#[allow(clippy::unwrap_used)] // test helper
fn schema() -> Value {
    serde_json::from_str(SCHEMA_JSON).unwrap()
}

#[test]
fn embedded_schema_is_the_spec_file() {
    let on_disk = std::fs::read_to_string(workspace_spec_dir().join("vector.schema.json")).unwrap();
    assert_eq!(on_disk, SCHEMA_JSON);
}

#[test]
fn schema_compiles_and_declares_draft_2020_12() {
    CorpusSchema::new().unwrap();
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["$id"], SCHEMA_ID);
}

#[test]
fn patterns_are_the_contract_s() {
    let s = schema();
    // The brief's patterns, verbatim.
    assert_eq!(
        s["$defs"]["vectorId"]["pattern"],
        "^[a-z0-9-]+/[a-z0-9-]+/[a-z0-9][a-z0-9-]*$"
    );
    assert_eq!(
        s["$defs"]["requirementId"]["pattern"],
        "^(CORE|KSPOT|KFUT|KV5|KAZOO|HAIV)-[0-9]{3}$"
    );
    assert_eq!(s["$defs"]["errorCode"]["pattern"], "^[a-z][a-z0-9-]*$");
    assert_eq!(
        s["$defs"]["provenance"]["properties"]["kind"]["enum"],
        json!(["vendor-doc", "third-party-test", "computed"])
    );
}

#[test]
fn minimal_documents_validate() {
    let schema = CorpusSchema::new().unwrap();
    let file = json!({
        "format": 1, "scheme": "kraken-spot", "group": "official", "description": "d",
        "vectors": [{
            "id": "kraken-spot/official/a", "description": "d", "requirements": ["KSPOT-001"],
            "provenance": {"kind": "vendor-doc", "source": "s"},
            "op": "sign", "input": {}, "expected": {"result": {}}
        }]
    });
    schema.validate(Document::VectorFile, &file).unwrap();
    schema
        .validate(Document::Flags, &json!({"format": 1, "flags": {}}))
        .unwrap();
    schema
        .validate(Document::Retired, &json!({"format": 1}))
        .unwrap();
    // A vector file is not a flags file and vice versa.
    assert!(schema.validate(Document::Flags, &file).is_err());
    assert!(
        schema
            .validate(Document::VectorFile, &json!({"format": 1, "flags": {}}))
            .is_err()
    );
}

#[test]
fn requirement_id_pattern_accepts_and_refuses() {
    let schema = CorpusSchema::new().unwrap();
    let with = |req: &str| {
        json!({
            "format": 1, "scheme": "s", "group": "g", "description": "d",
            "vectors": [{
                "id": "s/g/a", "description": "d", "requirements": [req],
                "provenance": {"kind": "computed", "source": "s", "confirmed_by": ["x"]},
                "op": "verify", "input": {}, "expected": {"error": {"code": "nonce-stale"}}
            }]
        })
    };
    for good in [
        "CORE-001",
        "KSPOT-032",
        "KFUT-100",
        "KV5-007",
        "KAZOO-999",
        "HAIV-000",
    ] {
        assert!(
            schema.validate(Document::VectorFile, &with(good)).is_ok(),
            "{good}"
        );
    }
    for bad in [
        "KSPOT-01",
        "KSPOT-0001",
        "kspot-001",
        "KRAKEN-001",
        "KSPOT001",
        " KSPOT-001",
    ] {
        let violations = schema
            .validate(Document::VectorFile, &with(bad))
            .unwrap_err();
        assert_eq!(violations[0].pointer, "/vectors/0/requirements/0", "{bad}");
    }
}
