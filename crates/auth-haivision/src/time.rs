//! Instants on the wire: RFC 3339 in, RFC 3339 UTC out (`Z`; fractional seconds only when not zero).

use jiff::Timestamp;

use crate::InputError;

/// Parses an RFC 3339 date-time with an offset.
pub(crate) fn parse(text: &str) -> Result<Timestamp, InputError> {
    text.parse()
        .map_err(|_| InputError::TimeInvalid(text.to_owned()))
}

/// RFC 3339 UTC, `Z`, fractional seconds only when not zero.
pub(crate) fn format(at: Timestamp) -> String {
    at.to_string()
}

/// The instant `second` after the epoch, clamped to jiff's range.
pub(crate) fn from_second_clamped(second: i64) -> Timestamp {
    let second = second.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    Timestamp::from_second(second).unwrap_or(Timestamp::MAX)
}

/// `at` without its fraction of a second (towards the past).
pub(crate) fn truncate_to_second(at: Timestamp) -> Timestamp {
    from_second_clamped(at.as_second() - i64::from(at.subsec_nanosecond() < 0))
}

/// Serde for `Timestamp` as RFC 3339 text.
pub(crate) mod rfc3339 {
    use jiff::Timestamp;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        at: &Timestamp,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format(*at))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Timestamp, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Serde for `Option<Timestamp>` as RFC 3339 text or `null`.
pub(crate) mod option_rfc3339 {
    use jiff::Timestamp;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        at: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => serializer.serialize_str(&super::format(*at)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| super::parse(&text).map_err(serde::de::Error::custom))
            .transpose()
    }
}
