//! The SDK-author API (`auth_conformance::kraken_spot`) end to end on the real corpus, with an implementation that
//! refuses everything: its verdicts follow from the vectors alone.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions: a failure is a test failure"
)]

use auth_conformance::compare::Outcome;
use auth_conformance::kraken_spot::{
    KrakenSpot, KrakenSpotTestee, Refusal, SignInput, Signed, assert_conforms,
};
use auth_conformance::{RunOptions, run};
use auth_vectors::{Corpus, Expected, workspace_vectors_dir};

/// Refuses every signature with `secret-invalid`; has no verifier.
struct RefuseAll;

impl KrakenSpot for RefuseAll {
    fn sign(&self, _input: &SignInput) -> Result<Signed, Refusal> {
        Err(Refusal {
            code: "secret-invalid".into(),
            message: "refuses everything".into(),
        })
    }
}

#[test]
fn verdicts_follow_from_the_vectors() {
    let corpus = Corpus::load(&workspace_vectors_dir()).unwrap();
    let mut testee = KrakenSpotTestee::new("refuse-all", "0", &RefuseAll);
    let options = RunOptions {
        scheme: Some("kraken-spot".into()),
        ..RunOptions::default()
    };
    let report = run(&corpus, &mut testee, &options).unwrap();
    assert!(!report.is_success());
    let (mut passed, mut skipped) = (0, 0);
    for result in &report.vectors {
        let vector = corpus.get(&result.id).unwrap();
        match (vector.op.as_str(), &vector.expected, &result.outcome) {
            ("verify", _, Outcome::Skipped { reason }) => {
                assert_eq!(reason, "testee skipped it: verify is not implemented");
                skipped += 1;
            }
            ("sign", Expected::Error(e), Outcome::Pass) if e.code == "secret-invalid" => {
                passed += 1
            }
            ("sign", Expected::Error(e), Outcome::Fail(f)) if e.code != "secret-invalid" => {
                assert!(
                    f.reason.starts_with("wrong error code"),
                    "{}: {}",
                    result.id,
                    f.reason
                );
            }
            ("sign", Expected::Result(_), Outcome::Fail(f)) => {
                assert_eq!(
                    f.reason, "refused what must be signed: answered error `secret-invalid`",
                    "{}",
                    result.id
                );
            }
            (op, _, outcome) => panic!("{} ({op}): unexpected verdict {outcome:?}", result.id),
        }
    }
    assert!(
        passed > 0 && skipped > 0,
        "passed {passed}, skipped {skipped}"
    );
    assert_eq!(
        (report.totals.passed, report.totals.skipped),
        (passed, skipped)
    );
}

#[test]
#[should_panic(
    expected = "conformance run failed:\ntestee: refuse-all in-process (schemes: kraken-spot), protocol 1"
)]
fn assert_conforms_panics_with_the_report() {
    assert_conforms("refuse-all", &RefuseAll);
}
