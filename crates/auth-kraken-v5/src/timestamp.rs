//! A strict RFC 3339 `date-time` parser (KV5-005, KV5-022) and the exact instants it yields, separate from the
//! signing and verification logic so that it can be tested and fuzzed on its own.
//!
//! The grammar is RFC 3339 section 5.6 as `spec/kraken-v5.md` restates it, nothing more and nothing less:
//!
//! ```text
//! date-time   = full-date ("T" / "t") full-time
//! full-date   = 4DIGIT "-" 2DIGIT "-" 2DIGIT          ; month 01-12, day valid for the month and year
//! full-time   = 2DIGIT ":" 2DIGIT ":" 2DIGIT ["." 1*DIGIT] time-offset
//! time-offset = "Z" / "z" / ("+" / "-") 2DIGIT ":" 2DIGIT  ; hours 00-23, minutes 00-59
//! ```
//!
//! Hours are 00-23, minutes 00-59, seconds 00-60. No whitespace, no ISO 8601 extensions (no week dates, no
//! `+hhmm`, no missing seconds, no comma fraction), no year outside `0000`-`9999`; the day must exist in the
//! proleptic Gregorian calendar. `-00:00` is an offset of zero.
//!
//! A leap second (`60`) is accepted at any time of day and denotes the instant of second `59` with the same
//! fraction (the spec's R7, and what jiff does): RFC 3339 allows `60` only at real leap seconds, which would need
//! a table that changes over time, and the fold keeps the instant within a second of the truth on a clock
//! without leap seconds.
//!
//! The fraction may have any number of digits, and instants are exact ([`ExactInstant`]): the first nine
//! fraction digits as nanoseconds, and every later digit kept, so two instants compare exactly whatever their
//! precision (`…:00.0000000001Z` is after `…:00Z`, not equal to it). The arithmetic is on 128-bit integers, so
//! every date-time of the grammar has its instant, including those (after `9999-12-30T22:00Z`) that
//! [`jiff::Timestamp`] cannot represent.

use std::cmp::Ordering;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// An instant at full decimal precision: nanoseconds since 1970-01-01T00:00:00Z plus the decimal digits below
/// the nanosecond. Ordered as instants. Built by [`parse`] from RFC 3339 text, or from a [`Timestamp`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExactInstant {
    /// Nanoseconds since the epoch, the fraction truncated after nine digits (a floor: fractions are never
    /// negative).
    unix_nanos: i128,
    /// The fraction's digits after the ninth, ASCII, trailing zeros removed: empty for a whole nanosecond.
    /// Compared as bytes, these order like the decimal fractions they denote (no trailing zeros, same base).
    below_nanos: Box<[u8]>,
}

/// Why a text is not an RFC 3339 `date-time`: the first rule it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an RFC 3339 date-time: {0}")]
pub struct TimestampError(pub &'static str);

impl ExactInstant {
    /// Nanoseconds since the Unix epoch, the fraction truncated after nine digits.
    pub const fn unix_nanos_floor(&self) -> i128 {
        self.unix_nanos
    }

    /// The fraction's digits after the ninth, trailing zeros removed (`""` for a whole nanosecond).
    pub fn sub_nanosecond_digits(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.below_nanos).unwrap_or_default()
    }

    /// Whether the instant is not a whole nanosecond.
    pub fn has_sub_nanosecond_digits(&self) -> bool {
        !self.below_nanos.is_empty()
    }

    /// This instant moved by `duration` (exact: whole nanoseconds are added, finer digits kept).
    pub fn shifted(&self, duration: SignedDuration) -> ExactInstant {
        ExactInstant {
            unix_nanos: self.unix_nanos + duration.as_nanos(),
            below_nanos: self.below_nanos.clone(),
        }
    }

    /// Compares this instant with `other`, exactly.
    pub fn cmp_timestamp(&self, other: Timestamp) -> Ordering {
        self.cmp(&ExactInstant::from(other))
    }

    /// The latest [`Timestamp`] not after this instant, or `None` outside jiff's range.
    pub fn floor(&self) -> Option<Timestamp> {
        Timestamp::from_nanosecond(self.unix_nanos).ok()
    }

    /// The earliest [`Timestamp`] not before this instant, or `None` outside jiff's range.
    pub fn ceil(&self) -> Option<Timestamp> {
        let up = i128::from(self.has_sub_nanosecond_digits());
        Timestamp::from_nanosecond(self.unix_nanos + up).ok()
    }
}

impl From<Timestamp> for ExactInstant {
    fn from(at: Timestamp) -> Self {
        ExactInstant {
            unix_nanos: at.as_nanosecond(),
            below_nanos: Box::default(),
        }
    }
}

impl std::str::FromStr for ExactInstant {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, TimestampError> {
        parse(text)
    }
}

/// Parses `text` as an RFC 3339 `date-time` (see the module doc for the exact grammar) into the instant it names.
pub fn parse(text: &str) -> Result<ExactInstant, TimestampError> {
    let mut cursor = Cursor(text.as_bytes());
    let year = cursor.digits(4, "the year is not 4 digits")?;
    cursor.expect(b"-", "expected `-` after the year")?;
    let month = cursor.digits(2, "the month is not 2 digits")?;
    cursor.expect(b"-", "expected `-` after the month")?;
    let day = cursor.digits(2, "the day is not 2 digits")?;
    cursor.expect(b"Tt", "expected `T` or `t` between date and time")?;
    let hour = cursor.digits(2, "the hour is not 2 digits")?;
    cursor.expect(b":", "expected `:` after the hour")?;
    let minute = cursor.digits(2, "the minute is not 2 digits")?;
    cursor.expect(b":", "expected `:` after the minute")?;
    let second = cursor.digits(2, "the second is not 2 digits")?;
    let (nanos, below_nanos) = cursor.fraction()?;
    let offset_seconds = cursor.offset()?;
    if !cursor.0.is_empty() {
        return Err(TimestampError("unexpected text after the offset"));
    }

    let date = civil_date(year, month, day)?;
    if hour > 23 {
        return Err(TimestampError("the hour is above 23"));
    }
    if minute > 59 {
        return Err(TimestampError("the minute is above 59"));
    }
    if second > 60 {
        return Err(TimestampError("the second is above 60"));
    }
    // A leap second is second 59 with the same fraction (R7).
    let second = second.min(59);
    // Whole days between two civil dates: exact, and within jiff's civil range for every year 0000-9999.
    let date_seconds = date.duration_since(jiff::civil::date(1970, 1, 1)).as_secs();
    let seconds = i128::from(date_seconds)
        + i128::from(hour) * 3_600
        + i128::from(minute) * 60
        + i128::from(second)
        - i128::from(offset_seconds);
    Ok(ExactInstant {
        unix_nanos: seconds * NANOS_PER_SECOND + i128::from(nanos),
        below_nanos,
    })
}

/// The calendar date, validated for the month's length and leap years (jiff's proleptic Gregorian calendar).
fn civil_date(year: u32, month: u32, day: u32) -> Result<Date, TimestampError> {
    if !(1..=12).contains(&month) {
        return Err(TimestampError("the month is not 01-12"));
    }
    // At most 4 and 2 digits: the conversions cannot fail.
    let (Ok(year), Ok(month), Ok(day)) =
        (i16::try_from(year), i8::try_from(month), i8::try_from(day))
    else {
        return Err(TimestampError("date field out of range"));
    };
    Date::new(year, month, day).map_err(|_| TimestampError("the day does not exist in that month"))
}

/// The unparsed rest of the text.
struct Cursor<'t>(&'t [u8]);

impl Cursor<'_> {
    /// Exactly `count` ASCII digits, as a number.
    fn digits(&mut self, count: usize, error: &'static str) -> Result<u32, TimestampError> {
        let Some((digits, rest)) = self.0.split_at_checked(count) else {
            return Err(TimestampError(error));
        };
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(TimestampError(error));
        }
        self.0 = rest;
        Ok(digits
            .iter()
            .fold(0, |value, &digit| value * 10 + u32::from(digit - b'0')))
    }

    /// One byte out of `allowed`.
    fn expect(&mut self, allowed: &[u8], error: &'static str) -> Result<u8, TimestampError> {
        match self.0.split_first() {
            Some((&byte, rest)) if allowed.contains(&byte) => {
                self.0 = rest;
                Ok(byte)
            }
            _ => Err(TimestampError(error)),
        }
    }

    /// An optional `.` and one or more digits: the first nine as nanoseconds, and the later ones without their
    /// trailing zeros.
    fn fraction(&mut self) -> Result<(u32, Box<[u8]>), TimestampError> {
        if self.expect(b".", "").is_err() {
            return Ok((0, Box::default()));
        }
        let count = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return Err(TimestampError("no digit after the decimal point"));
        }
        let (digits, rest) = self.0.split_at(count);
        self.0 = rest;
        let mut nanos = 0;
        for position in 0..9 {
            let digit = digits.get(position).map_or(0, |&d| u32::from(d - b'0'));
            nanos = nanos * 10 + digit;
        }
        let below = digits.get(9..).unwrap_or_default();
        let significant = below.iter().rposition(|&d| d != b'0').map_or(0, |i| i + 1);
        Ok((nanos, below[..significant].into()))
    }

    /// `Z`, `z` or `±hh:mm`, as seconds east of UTC.
    fn offset(&mut self) -> Result<i32, TimestampError> {
        let sign = self.expect(b"Zz+-", "expected an offset: `Z`, `z` or `±hh:mm`")?;
        if sign == b'Z' || sign == b'z' {
            return Ok(0);
        }
        let hours = self.digits(2, "the offset hour is not 2 digits")?;
        self.expect(b":", "expected `:` in the offset")?;
        let minutes = self.digits(2, "the offset minute is not 2 digits")?;
        if hours > 23 || minutes > 59 {
            return Err(TimestampError("the offset is not 00:00-23:59"));
        }
        // At most 23 * 3600 + 59 * 60: fits.
        let seconds = i32::try_from(hours * 3_600 + minutes * 60).unwrap_or(0);
        Ok(if sign == b'-' { -seconds } else { seconds })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> ExactInstant {
        parse(text).unwrap()
    }

    #[test]
    fn epoch_and_offsets() {
        for text in [
            "1970-01-01T00:00:00Z",
            "1970-01-01t00:00:00z",
            "1970-01-01T01:00:00+01:00",
            "1969-12-31T23:00:00-01:00",
            "1970-01-01T00:00:00-00:00",
        ] {
            assert_eq!(instant(text).unix_nanos_floor(), 0, "{text}");
        }
        assert_eq!(
            instant("1969-12-31T23:59:59.5Z").unix_nanos_floor(),
            -500_000_000
        );
    }

    #[test]
    fn agrees_with_jiff_where_jiff_can_represent_the_instant() {
        for text in [
            "2024-11-15T10:06:57.631Z",
            "2000-02-29T23:59:59.999999999+05:30",
            "0000-01-01T00:00:00+23:59",
            "1600-03-01T12:00:00-12:00",
            "9999-12-30T21:00:00Z",
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60.5Z",
        ] {
            let expected: Timestamp = text.parse().unwrap();
            assert_eq!(instant(text).floor(), Some(expected), "{text}");
        }
    }

    #[test]
    fn leap_seconds_fold_onto_59() {
        assert_eq!(
            instant("2025-06-01T08:30:60.25Z"),
            instant("2025-06-01T08:30:59.25Z")
        );
        assert!(parse("2025-06-01T08:30:61Z").is_err());
    }

    #[test]
    fn instants_beyond_jiff_still_exist() {
        let late = instant("9999-12-31T23:59:59.999999999-23:59");
        assert_eq!(late.floor(), None);
        assert_eq!(late.cmp_timestamp(Timestamp::MAX), Ordering::Greater);
    }

    #[test]
    fn digits_below_the_nanosecond_order_exactly() {
        let whole = instant("2024-01-01T00:00:00.123456789Z");
        let finer = instant("2024-01-01T00:00:00.1234567891Z");
        let finest = instant("2024-01-01T00:00:00.12345678905Z");
        assert_eq!(instant("2024-01-01T00:00:00.123456789000Z"), whole);
        assert_eq!(
            instant("2024-01-01T00:00:00.12345678910Z"),
            finer,
            "trailing zeros"
        );
        assert!(whole < finest && finest < finer);
        assert_eq!(finer.sub_nanosecond_digits(), "1");
        assert_eq!(finest.sub_nanosecond_digits(), "05");
        assert_eq!(whole.floor(), whole.ceil());
        assert_eq!(
            finer.ceil().unwrap().as_nanosecond() - finer.floor().unwrap().as_nanosecond(),
            1
        );
        let shifted = finer.shifted(SignedDuration::from_secs(-300));
        assert_eq!(shifted.sub_nanosecond_digits(), "1");
        assert_eq!(
            finer.unix_nanos_floor() - shifted.unix_nanos_floor(),
            300_000_000_000
        );
    }

    #[test]
    fn refusals_name_the_rule() {
        assert_eq!(
            parse("2024-02-30T00:00:00Z"),
            Err(TimestampError("the day does not exist in that month"))
        );
        assert_eq!(
            parse("2024-01-01T00:00:61Z"),
            Err(TimestampError("the second is above 60"))
        );
        assert_eq!(
            parse("2024-01-01T00:00:00"),
            Err(TimestampError("expected an offset: `Z`, `z` or `±hh:mm`"))
        );
    }
}
