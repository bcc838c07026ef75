//! The body rule (KV5-009): a body is valid when it is empty or one JSON text (RFC 8259), UTF-8.
//!
//! The check validates UTF-8 (serde_json does not decode the strings it ignores), then runs `serde_json` over the
//! text into [`serde::de::IgnoredAny`], which validates the syntax without building a tree: serde_json skips an
//! ignored value iteratively, its only allocation a scratch stack of one byte per nesting level. What that means
//! at the edges, all of it RFC 8259:
//!
//! - whitespace (space, tab, CR, LF) may surround the value; anything else after it is refused, as is a
//!   body of whitespace only (not empty, and no value);
//! - any value is a JSON text (`"a"`, `1`, `null`, not only objects and arrays); duplicate names are allowed;
//! - invalid UTF-8, a byte order mark, comments, trailing commas, single quotes, `NaN` and control characters in
//!   strings are refused;
//! - a number of any size is syntax (`1e400` is valid: it is never converted);
//! - escapes are checked for their syntax only: `"\ud800"` (a lone surrogate, whose meaning RFC 8259 section 8.2
//!   calls unpredictable) is valid, as the grammar says and as Python's `json` reads it;
//! - nesting has no limit (the skipping does not recurse, so a deep body cannot exhaust the stack; serde_json's
//!   depth limit of 128 applies only when it builds values).

/// Whether `body` is empty or one JSON text.
pub fn is_valid_body(body: &[u8]) -> bool {
    // UTF-8 first: serde_json skips the bytes of strings it ignores without decoding them.
    body.is_empty()
        || std::str::from_utf8(body)
            .is_ok_and(|text| serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok())
}

#[cfg(test)]
mod tests {
    use super::is_valid_body;

    #[test]
    fn empty_or_one_json_text() {
        for valid in [
            &b""[..],
            b"{}",
            b" [1, 2.5e-3, true, null]\r\n",
            b"\"text\"",
            b"0",
            br#"{"a":1,"a":2}"#,
            b"1e400",
            "{\"\u{e9}\":\"\u{1f600}\"}".as_bytes(),
            br#""\ud83d\ude00""#,
            br#""\ud800""#,
        ] {
            assert!(is_valid_body(valid), "{:?}", String::from_utf8_lossy(valid));
        }
    }

    #[test]
    fn nesting_depth_is_unlimited() {
        let deep = [&[b'['; 100_000][..], &[b']'; 100_000][..]].concat();
        assert!(is_valid_body(&deep));
        assert!(!is_valid_body(&deep[..deep.len() - 1]));
    }

    #[test]
    fn anything_else_is_refused() {
        for invalid in [
            &b" "[..],
            b"\n",
            b"{} {}",
            b"{},",
            b"a=1&b=2",
            b"{'a':1}",
            b"[1,]",
            b"NaN",
            b"{\"a\":1} // comment",
            b"\xef\xbb\xbf{}",
            b"\"\xff\"",
            b"\"tab\there\"",
            br#""\u00e""#,
            br#""\x41""#,
        ] {
            assert!(
                !is_valid_body(invalid),
                "{:?}",
                String::from_utf8_lossy(invalid)
            );
        }
    }
}
