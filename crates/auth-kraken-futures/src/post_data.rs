//! What is hashed besides the nonce: postData in either encoding (KFUT-008..010) and endpointPath
//! (KFUT-005, -006). Pure functions over borrowed bytes, with no signing state, so that each is a fuzz target
//! on its own and the signer and the verifier share one reading of a request.
//!
//! Contract:
//! - postData is the query component as sent (without `?`) immediately followed by the body as sent: no
//!   separator, no reordering, no re-encoding (the resolution follows Kraken's own Python sample, which hashes
//!   `query_str + body_str`).
//! - [`Encoding::Current`] hashes those bytes as they are. [`Encoding::Legacy`] (Kraken's form before
//!   2024-02-20) hashes them after percent-decoding, with Python's `urllib.parse.unquote_to_bytes` semantics:
//!   `%XX` (hex of either case) becomes one byte, a `%` not followed by two hex digits stays literal, `+` stays
//!   `+`. Decoding runs over the concatenation, so an escape may start in the query and end in the body.
//! - [`post_data`] yields postData as borrowed chunks and never allocates: the legacy form is decoded on the
//!   fly ([`PercentDecoded`]). [`percent_decode`] is the plain, allocating reference of the same decoding.
//! - The path must start with `/api/` or `/derivatives/api/` and hold no `?` or `#` ([`check_path`]);
//!   endpointPath is the path without a leading `/derivatives` ([`endpoint_path`]).

use auth_core::hex::digit;

/// Which form of postData is hashed (KFUT-009, -010).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// postData exactly as sent, still url-encoded: Kraken's form since 2024-02-20 and the default.
    #[default]
    Current,
    /// postData percent-decoded (`%XX` only, `+` kept): Kraken's form before 2024-02-20.
    Legacy,
}

impl Encoding {
    /// The name the testee protocol and the vectors use: `current` or `legacy`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Encoding::Current => "current",
            Encoding::Legacy => "legacy",
        }
    }

    /// The encoding named `name` (`current` or `legacy`, exactly), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "current" => Some(Encoding::Current),
            "legacy" => Some(Encoding::Legacy),
            _ => None,
        }
    }
}

/// The prefix that [`endpoint_path`] removes (KFUT-006).
pub const DERIVATIVES_PREFIX: &str = "/derivatives";

/// endpointPath (KFUT-006): `path` without its leading `/derivatives` when it starts with `/derivatives/`,
/// otherwise `path` as is. Total: it does not check the path (see [`check_path`]).
pub fn endpoint_path(path: &str) -> &str {
    match path.strip_prefix(DERIVATIVES_PREFIX) {
        Some(rest) if rest.starts_with('/') => rest,
        _ => path,
    }
}

/// Checks the path (KFUT-005): it starts with `/api/` or `/derivatives/api/` and holds no `?` or `#` (the
/// query travels apart). Returns its endpointPath ([`endpoint_path`]), which then always starts with `/api/`.
pub fn check_path(path: &str) -> Option<&str> {
    let endpoint = endpoint_path(path);
    (endpoint.starts_with("/api/") && !path.bytes().any(|b| b == b'?' || b == b'#'))
        .then_some(endpoint)
}

/// postData of a request in `encoding`, as chunks whose concatenation is the hashed bytes. Never allocates.
pub fn post_data<'a>(query: &'a [u8], body: &'a [u8], encoding: Encoding) -> PostData<'a> {
    PostData(match encoding {
        Encoding::Current => Chunks::Current([query, body].into_iter()),
        Encoding::Legacy => Chunks::Legacy(PercentDecoded::new(query, body)),
    })
}

/// The chunks of postData (see [`post_data`]).
#[derive(Debug, Clone)]
pub struct PostData<'a>(Chunks<'a>);

#[derive(Debug, Clone)]
enum Chunks<'a> {
    Current(std::array::IntoIter<&'a [u8], 2>),
    Legacy(PercentDecoded<'a>),
}

impl<'a> Iterator for PostData<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        match &mut self.0 {
            Chunks::Current(parts) => parts.next(),
            Chunks::Legacy(decoded) => decoded.next(),
        }
    }
}

/// Every byte value once, so that a decoded byte can be handed out as a slice borrowed for any lifetime.
static BYTE_VALUES: [u8; 256] = {
    let mut values = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        values[i] = i as u8;
        i += 1;
    }
    values
};

/// The percent-decoding of two byte strings taken as one (`first || second`), as chunks: runs of bytes copied
/// as they are, borrowed from the input, and single decoded bytes. Never allocates.
///
/// The concatenation of the chunks equals [`percent_decode`] of `first || second`.
#[derive(Debug, Clone)]
pub struct PercentDecoded<'a> {
    /// The bytes not decoded yet: `head` first, then `tail` (empty once `head` has moved into it).
    head: &'a [u8],
    tail: &'a [u8],
}

impl<'a> PercentDecoded<'a> {
    /// The decoding of `first || second`.
    pub fn new(first: &'a [u8], second: &'a [u8]) -> Self {
        PercentDecoded {
            head: first,
            tail: second,
        }
    }

    /// The byte `i` positions into what is left, across the boundary.
    fn at(&self, i: usize) -> Option<u8> {
        match i.checked_sub(self.head.len()) {
            None => self.head.get(i).copied(),
            Some(j) => self.tail.get(j).copied(),
        }
    }

    /// Drops `n` bytes of what is left (at most `head.len() + tail.len()`).
    fn advance(&mut self, n: usize) {
        match n.checked_sub(self.head.len()) {
            None => self.head = self.head.get(n..).unwrap_or_default(),
            Some(j) => {
                self.head = self.tail.get(j..).unwrap_or_default();
                self.tail = &[];
            }
        }
    }
}

impl<'a> Iterator for PercentDecoded<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.head.is_empty() {
            self.head = std::mem::take(&mut self.tail);
        }
        let head = self.head;
        let literal = match head.iter().position(|&b| b == b'%') {
            None if head.is_empty() => return None,
            None => head.len(),
            Some(0) => {
                if let (Some(high), Some(low)) =
                    (self.at(1).and_then(digit), self.at(2).and_then(digit))
                {
                    self.advance(3);
                    return Some(std::slice::from_ref(
                        &BYTE_VALUES[usize::from(high << 4 | low)],
                    ));
                }
                // A `%` that starts no escape is a literal byte.
                1
            }
            Some(percent) => percent,
        };
        let (chunk, rest) = head.split_at(literal);
        self.head = rest;
        Some(chunk)
    }
}

/// The percent-decoding of `bytes` (`%XX` of either case becomes one byte; anything else, `+` included, is
/// kept): Python's `urllib.parse.unquote_to_bytes`. The plain, allocating reference of [`PercentDecoded`].
pub fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escape = match (
            byte,
            bytes.get(i + 1).copied().and_then(digit),
            bytes.get(i + 2).copied().and_then(digit),
        ) {
            (b'%', Some(high), Some(low)) => Some(high << 4 | low),
            _ => None,
        };
        match escape {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(first: &[u8], second: &[u8]) -> Vec<u8> {
        PercentDecoded::new(first, second)
            .flatten()
            .copied()
            .collect()
    }

    #[test]
    fn endpoint_path_drops_only_a_whole_derivatives_segment() {
        assert_eq!(
            endpoint_path("/derivatives/api/v3/sendorder"),
            "/api/v3/sendorder"
        );
        assert_eq!(
            endpoint_path("/api/history/v2/history"),
            "/api/history/v2/history"
        );
        assert_eq!(
            endpoint_path("/derivativesx/api/v3"),
            "/derivativesx/api/v3"
        );
        assert_eq!(endpoint_path("/derivatives"), "/derivatives");
        // Only one prefix is removed.
        assert_eq!(
            endpoint_path("/derivatives/derivatives/api/x"),
            "/derivatives/api/x"
        );
    }

    #[test]
    fn path_rules() {
        assert_eq!(
            check_path("/derivatives/api/v3/sendorder"),
            Some("/api/v3/sendorder")
        );
        assert_eq!(
            check_path("/api/v3/openpositions"),
            Some("/api/v3/openpositions")
        );
        assert_eq!(check_path("/api/"), Some("/api/"));
        for bad in [
            "",
            "/",
            "/api",
            "api/v3/x",
            "/API/v3/x",
            "/derivatives/api",
            "/derivatives/v3/x",
            "/derivatives/derivatives/api/x",
            "/0/private/Balance",
            "/api/v3/x?symbol=PI_XBTUSD",
            "/api/v3/x#frag",
            "/derivatives/api/v3/x?",
        ] {
            assert_eq!(check_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn unquote_semantics() {
        assert_eq!(
            percent_decode(b"greeting=hello%20world"),
            b"greeting=hello world"
        );
        assert_eq!(percent_decode(b"a+b%2c%2C%7e"), b"a+b,,~");
        assert_eq!(percent_decode(b"%"), b"%");
        assert_eq!(percent_decode(b"%4"), b"%4");
        assert_eq!(percent_decode(b"%4g%g4%%41"), b"%4g%g4%A");
        assert_eq!(percent_decode(b"%ff%00"), [0xff, 0x00]);
        // Decoding happens once: `%2541` is `%41`, not `A`.
        assert_eq!(percent_decode(b"%2541"), b"%41");
    }

    #[test]
    fn streaming_matches_the_reference_at_every_split() {
        let samples: [&[u8]; 6] = [
            b"orderType=lmt&symbol=PI_XBTUSD",
            b"greeting=hello%20world&x=%E2%82%AC",
            b"%%%41%4%4g%",
            b"a%2",
            b"%25%32%35",
            b"",
        ];
        for sample in samples {
            let expected = percent_decode(sample);
            for split in 0..=sample.len() {
                let (first, second) = sample.split_at(split);
                assert_eq!(
                    streamed(first, second),
                    expected,
                    "{sample:?} split at {split}"
                );
            }
        }
    }

    #[test]
    fn an_escape_may_span_query_and_body() {
        assert_eq!(streamed(b"a=%4", b"1&b=2"), b"a=A&b=2");
        assert_eq!(streamed(b"a=%", b"41"), b"a=A");
        assert_eq!(streamed(b"a=%", b"4"), b"a=%4");
        assert_eq!(streamed(b"", b"%41"), b"A");
    }

    #[test]
    fn decoded_bytes_are_single_chunks_and_literals_are_borrowed() {
        let query = b"a=%41bc";
        let chunks: Vec<&[u8]> = PercentDecoded::new(query, b"").collect();
        assert_eq!(chunks, [&b"a="[..], b"A", b"bc"]);
        assert!(std::ptr::eq(chunks[0].as_ptr(), query.as_ptr()));
    }

    #[test]
    fn post_data_is_query_then_body() {
        let join = |query: &[u8], body: &[u8], encoding| -> Vec<u8> {
            post_data(query, body, encoding)
                .flatten()
                .copied()
                .collect()
        };
        assert_eq!(join(b"a=1", b"b=2", Encoding::Current), b"a=1b=2");
        assert_eq!(join(b"", b"b=%20", Encoding::Current), b"b=%20");
        assert_eq!(join(b"b=%20", b"", Encoding::Legacy), b"b= ");
        assert_eq!(join(b"", b"", Encoding::Legacy), b"");
    }

    #[test]
    fn encoding_names() {
        for encoding in [Encoding::Current, Encoding::Legacy] {
            assert_eq!(Encoding::from_name(encoding.as_str()), Some(encoding));
        }
        assert_eq!(Encoding::from_name("decoded"), None);
        assert_eq!(Encoding::default(), Encoding::Current);
    }
}
