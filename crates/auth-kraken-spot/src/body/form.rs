//! Form bodies (WHATWG `application/x-www-form-urlencoded` parsing), without allocating.
//!
//! Pairs split at `&`, name and value at the first `=`; names are percent-decoded (`+` is a space) on the fly
//! before comparing with `nonce`, and the nonce value is returned as sent, to be decoded on the fly by
//! [`BodyNonce::is`] and [`BodyNonce::canonical`].

use auth_core::hex::digit as hex;

use super::{BodyError, BodyNonce};

/// Finds the one `nonce` parameter of a form body; a second one is malformed (KSPOT-012).
pub(super) fn find_nonce(body: &[u8]) -> Result<BodyNonce<'_>, BodyError> {
    let mut found = None;
    for pair in body.split(|&b| b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (name, value) = match pair.iter().position(|&b| b == b'=') {
            Some(eq) => (&pair[..eq], &pair[eq + 1..]),
            None => (pair, &pair[pair.len()..]),
        };
        if decoded_eq(name, b"nonce") {
            if found.is_some() {
                return Err(BodyError::Malformed(
                    "the form body names `nonce` more than once",
                ));
            }
            found = Some(BodyNonce::Form(value));
        }
    }
    found.ok_or(BodyError::NonceMissing)
}

/// Percent-decodes a form component byte by byte (`+` is a space; a `%` not followed by two hex digits is kept
/// as is, as WHATWG's parser does).
pub(super) struct FormDecoder<'a> {
    /// The bytes not decoded yet.
    rest: &'a [u8],
}

impl<'a> FormDecoder<'a> {
    /// A decoder over `raw`, a form name or value as sent.
    pub(super) fn new(raw: &'a [u8]) -> Self {
        FormDecoder { rest: raw }
    }
}

impl Iterator for FormDecoder<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let (&first, rest) = self.rest.split_first()?;
        self.rest = rest;
        match first {
            b'+' => Some(b' '),
            b'%' => match (
                rest.first().and_then(|&b| hex(b)),
                rest.get(1).and_then(|&b| hex(b)),
            ) {
                (Some(high), Some(low)) => {
                    self.rest = &rest[2..];
                    Some(high << 4 | low)
                }
                _ => Some(b'%'),
            },
            other => Some(other),
        }
    }
}

/// Whether the form component `raw` decodes to exactly `expected`.
pub(super) fn decoded_eq(raw: &[u8], expected: &[u8]) -> bool {
    FormDecoder::new(raw).eq(expected.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::super::{BodyKind, find_nonce};
    use super::*;

    #[test]
    fn form_nonce_anywhere_and_percent_encoded_names() {
        let body = b"pair=XBTUSD&non%63e=12&x";
        assert!(find_nonce(body, BodyKind::Form).unwrap().is(b"12"));
        assert_eq!(
            find_nonce(b"nonce=1&nonce=1", BodyKind::Form),
            Err(BodyError::Malformed(
                "the form body names `nonce` more than once"
            ))
        );
        assert_eq!(
            find_nonce(b"nonces=1&xnonce=2", BodyKind::Form),
            Err(BodyError::NonceMissing)
        );
        assert_eq!(
            find_nonce(b"", BodyKind::Form),
            Err(BodyError::NonceMissing)
        );
        // A piece without `=` is a parameter with an empty value.
        assert_eq!(
            find_nonce(b"nonce&a=1", BodyKind::Form),
            Ok(BodyNonce::Form(b""))
        );
        assert_eq!(
            find_nonce(b"a=1&nonce==2", BodyKind::Form),
            Ok(BodyNonce::Form(b"=2"))
        );
    }

    #[test]
    fn form_values_decode_before_comparing() {
        let nonce = find_nonce(b"nonce=%31%32", BodyKind::Form).unwrap();
        assert!(nonce.is(b"12"));
        assert_eq!(nonce.canonical(), Some(12));
        assert_eq!(
            find_nonce(b"nonce=1%zz", BodyKind::Form)
                .unwrap()
                .canonical(),
            None
        );
        assert_eq!(
            find_nonce(b"nonce=", BodyKind::Form).unwrap().canonical(),
            None
        );
        assert_eq!(
            find_nonce(b"nonce=012", BodyKind::Form)
                .unwrap()
                .canonical(),
            None
        );
    }

    #[test]
    fn percent_escapes_decode_or_stay() {
        let decode = |raw: &[u8]| FormDecoder::new(raw).collect::<Vec<u8>>();
        assert_eq!(decode(b"a+b%2c%2C"), b"a b,,");
        assert_eq!(decode(b"%"), b"%");
        assert_eq!(decode(b"%4"), b"%4");
        assert_eq!(decode(b"%4g"), b"%4g");
    }
}
