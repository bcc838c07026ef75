//! The strict RFC 3339 parser (KV5-005, KV5-022): valid and invalid strings one by one, fraction edges, and a
//! property test against jiff's own formatting and arithmetic as the independent expectation.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::cmp::Ordering;

use auth_kraken_v5::timestamp::{self, ExactInstant};
use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

fn nanos(text: &str) -> i128 {
    timestamp::parse(text)
        .map_err(|error| format!("{text:?}: {error}"))
        .unwrap()
        .unix_nanos_floor()
}

#[test]
fn valid_date_times() {
    let base = nanos("2024-11-15T10:06:57Z");
    assert_eq!(base, 1_731_665_217 * 1_000_000_000);
    for (text, delta) in [
        ("2024-11-15t10:06:57z", 0),
        ("2024-11-15T10:06:57.631Z", 631_000_000),
        ("2024-11-15T10:06:57.6Z", 600_000_000),
        ("2024-11-15T10:06:57.000000001Z", 1),
        ("2024-11-15T10:06:57.999999999Z", 999_999_999),
        ("2024-11-15T10:06:57.0Z", 0),
        ("2024-11-15T11:06:57+01:00", 0),
        ("2024-11-15T04:36:57-05:30", 0),
        ("2024-11-15T10:06:57-00:00", 0),
        ("2024-11-15T10:06:57+00:00", 0),
        ("2024-11-16T09:05:57+22:59", 0),
        ("2024-11-14T10:07:57-23:59", 0),
    ] {
        assert_eq!(nanos(text) - base, delta, "{text}");
    }
    // Calendar edges.
    for text in [
        "2024-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "1999-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999999999Z",
        "1969-07-20T20:17:40Z",
    ] {
        assert!(timestamp::parse(text).is_ok(), "{text}");
    }
}

#[test]
fn invalid_date_times() {
    for text in [
        "",
        "2024-11-15",
        "10:06:57Z",
        "2024-11-15T10:06:57",
        "2024-11-15 10:06:57Z",
        "2024-11-15_10:06:57Z",
        "2024-11-15T10:06Z",
        "2024-11-15T10:06:57.Z",
        "2024-11-15T10:06:57,5Z",
        "2024-11-15T10:06:57+0100",
        "2024-11-15T10:06:57+01",
        "2024-11-15T10:06:57+1:00",
        "2024-11-15T10:06:57+24:00",
        "2024-11-15T10:06:57+01:60",
        "2024-11-15T10:06:57UTC",
        "2024-11-15T10:06:57Z ",
        " 2024-11-15T10:06:57Z",
        "2024-11-15T10:06:57ZZ",
        "2024-11-15T10:06:57Z[UTC]",
        "24-11-15T10:06:57Z",
        "+2024-11-15T10:06:57Z",
        "-0001-11-15T10:06:57Z",
        "12024-11-15T10:06:57Z",
        "2024-1-15T10:06:57Z",
        "2024-11-5T10:06:57Z",
        "2024-00-15T10:06:57Z",
        "2024-13-15T10:06:57Z",
        "2024-11-00T10:06:57Z",
        "2024-11-31T10:06:57Z",
        "2023-02-29T10:06:57Z",
        "1900-02-29T10:06:57Z",
        "2024-11-15T24:00:00Z",
        "2024-11-15T10:60:00Z",
        "2024-11-15T10:06:61Z",
        "2016-12-31T23:59:99Z",
        "2024-W46-5T10:06:57Z",
        "20241115T100657Z",
        "2024-11-15T10:06:57.1e3Z",
        "2024-11-15T10:06:57.-1Z",
        "１２３４-11-15T10:06:57Z",
        "1731665217",
    ] {
        assert!(timestamp::parse(text).is_err(), "{text:?}");
    }
}

#[test]
fn a_leap_second_is_second_59_with_its_fraction() {
    assert_eq!(nanos("2016-12-31T23:59:60Z"), nanos("2016-12-31T23:59:59Z"));
    assert_eq!(
        timestamp::parse("2025-06-01T14:00:60.25+02:00").unwrap(),
        timestamp::parse("2025-06-01T12:00:59.25Z").unwrap()
    );
    // At any time of day, as the grammar allows.
    assert!(timestamp::parse("2025-06-01T08:30:60Z").is_ok());
}

#[test]
fn fraction_digits_beyond_the_nanosecond_are_exact() {
    let whole = timestamp::parse("2024-11-15T10:06:57.123456789Z").unwrap();
    let finer = timestamp::parse("2024-11-15T10:06:57.1234567890000000000001Z").unwrap();
    let zeros = timestamp::parse("2024-11-15T10:06:57.123456789000000000000Z").unwrap();
    assert_eq!(zeros, whole);
    assert_eq!(finer.unix_nanos_floor(), whole.unix_nanos_floor());
    assert!(finer.has_sub_nanosecond_digits());
    let at: Timestamp = "2024-11-15T10:06:57.123456789Z".parse().unwrap();
    assert_eq!(whole.cmp_timestamp(at), Ordering::Equal);
    assert_eq!(finer.cmp_timestamp(at), Ordering::Greater);
    let next = at + SignedDuration::from_nanos(1);
    assert_eq!(finer.cmp_timestamp(next), Ordering::Less);
    assert_eq!(finer.floor(), Some(at));
    assert_eq!(finer.ceil(), Some(next));
    // A thousand digits is still one instant.
    let long = format!("2024-11-15T10:06:57.{}Z", "9".repeat(1_000));
    let long = timestamp::parse(&long).unwrap();
    let second: Timestamp = "2024-11-15T10:06:58Z".parse().unwrap();
    assert_eq!(long.cmp_timestamp(second), Ordering::Less);
    assert_eq!(long.ceil(), Some(second));
}

#[test]
fn errors_say_which_rule_broke() {
    let error = timestamp::parse("2024-11-15T10:06:57+0100").unwrap_err();
    assert_eq!(
        error.to_string(),
        "not an RFC 3339 date-time: expected `:` in the offset"
    );
    assert_eq!(
        "2024-02-30T00:00:00Z"
            .parse::<ExactInstant>()
            .unwrap_err()
            .0,
        "the day does not exist in that month"
    );
}

/// An offset of up to ±23:59, whole minutes.
fn offset() -> impl Strategy<Value = Offset> {
    (-(23 * 60 + 59)..=(23 * 60 + 59))
        .prop_map(|minutes: i32| Offset::from_seconds(minutes * 60).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// jiff formats an instant in RFC 3339 with an offset; parsing it gives back the instant, to the nanosecond.
    #[test]
    fn jiff_formatted_instants_round_trip(
        seconds in -62_000_000_000_i64..253_000_000_000,
        nanos in 0..1_000_000_000_i32,
        offset in offset(),
    ) {
        let at = Timestamp::new(seconds, nanos).unwrap();
        let text = at.display_with_offset(offset).to_string();
        let parsed = timestamp::parse(&text).unwrap();
        prop_assert_eq!(parsed.floor(), Some(at), "{}", text);
        prop_assert!(!parsed.has_sub_nanosecond_digits());
        prop_assert_eq!(parsed.cmp_timestamp(at), Ordering::Equal);
    }

    /// What jiff's own (more lenient) parser reads from a strictly valid text is the same instant.
    #[test]
    fn agrees_with_jiff_on_what_both_accept(
        year in 0..=9999_i16, month in 1..=12_i8, day in 1..=28_i8,
        hour in 0..24_u8, minute in 0..60_u8, second in 0..=60_u8,
        fraction in "[0-9]{0,12}", lower_case in any::<bool>(), offset in offset(),
    ) {
        let fraction = if fraction.is_empty() { String::new() } else { format!(".{fraction}") };
        let sign = if offset.seconds() < 0 { '-' } else { '+' };
        let minutes = offset.seconds().abs() / 60;
        let (t, z) = if lower_case { ('t', 'z') } else { ('T', 'Z') };
        for zone in [format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60), z.to_string()] {
            let text = format!(
                "{year:04}-{month:02}-{day:02}{t}{hour:02}:{minute:02}:{second:02}{fraction}{zone}"
            );
            let ours = timestamp::parse(&text).unwrap();
            if let Ok(theirs) = text.parse::<Timestamp>() {
                // jiff rounds nothing: it refuses more than nine digits, so the two agree to the nanosecond; it
                // folds second 60 onto 59 as the spec does.
                prop_assert_eq!(ours.floor(), Some(theirs), "{}", text);
            }
        }
    }

    /// Whatever the bytes, the parser answers (no panic), and anything it accepts has the grammar's shape.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,40}|[0-9T:.+zZ-]{15,35}") {
        if timestamp::parse(&text).is_ok() {
            prop_assert!(text.len() >= 20);
            prop_assert_eq!(&text[4..5], "-");
        }
    }
}
