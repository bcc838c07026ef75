//! Snapshots of the lint report's text for a small fixture corpus: the coverage summary the xtask prints, and
//! the full report with findings. The expected text is written by hand from the fixture below.

mod common;

use common::{FLAGS, Fixture, RETIRED, negative, positive, vector_file};

fn fixture() -> Fixture {
    let f = Fixture::empty("snapshot");
    f.write("vectors/flags.yaml", FLAGS);
    f.write("vectors/retired.yaml", RETIRED);
    f.write(
        "spec/core.md",
        "# Core\n\n- **CORE-001** Secrets MUST be zeroized. \n- **CORE-002** *(not vector-testable)* Keys MUST NOT be logged.\n",
    );
    f.write(
        "spec/kspot.md",
        "# Spot\n\n- **KSPOT-001** a\n- **KSPOT-002** b\n- **KSPOT-003** *(not vector-testable)* c\n- **KSPOT-004** d\n- **KSPOT-005** e\n",
    );
    f.write(
        "vectors/kraken-spot/signing.yaml",
        &vector_file(
            "kraken-spot",
            "signing",
            &[
                positive("kraken-spot/signing/one", &["KSPOT-001", "CORE-001"]),
                negative("kraken-spot/signing/two", &["KSPOT-002", "KSPOT-001"]),
                negative("kraken-spot/signing/three", &["KSPOT-004"]),
            ],
        ),
    );
    f
}

#[test]
fn coverage_summary() {
    let report = fixture().lint();
    insta::assert_snapshot!(report.coverage_summary().to_string(), @r"
    CORE: 2 requirements, 1 vector-testable, 1 covered
      not vector-testable: CORE-002
    KSPOT: 5 requirements, 4 vector-testable, 3 covered
      uncovered: KSPOT-005
      not vector-testable: KSPOT-003
    ");
}

#[test]
fn full_report() {
    let report = fixture().lint();
    assert_eq!(
        report.coverage.citing("KSPOT-001"),
        ["kraken-spot/signing/one", "kraken-spot/signing/two"]
    );
    insta::assert_snapshot!(report.to_string(), @r"
    kspot.md:7: KSPOT-005 is cited by no vector (add one, or mark it *(not vector-testable)* if no vector can exercise it)

    CORE: 2 requirements, 1 vector-testable, 1 covered
      not vector-testable: CORE-002
    KSPOT: 5 requirements, 4 vector-testable, 3 covered
      uncovered: KSPOT-005
      not vector-testable: KSPOT-003
    3 vectors in 1 file; 1 finding
    ");
}
