//! `ErrorCode` mirrors the table under "## Codes" in `spec/error-codes.md`, row for row and in order, so that
//! the spec and the code cannot drift apart.

use auth_core::ErrorCode;

#[test]
fn error_codes_match_the_spec_table() {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/error-codes.md"
    ))
    .unwrap();
    let table = spec
        .split("\n## Codes")
        .nth(1)
        .expect("spec/error-codes.md has a '## Codes' section");
    let table = table.split("\n## ").next().unwrap();
    let codes: Vec<&str> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let ours: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.as_str()).collect();
    assert_eq!(codes, ours);
}
