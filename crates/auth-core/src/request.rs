//! The sans-IO request model: what a signer signs and a verifier verifies, with no connection attached.
//!
//! Paths and queries are kept exactly as they go on the wire (no normalization, no decoding): schemes sign
//! bytes, and a model that "helpfully" re-encodes would sign something else than what is sent.

/// Whether `text` is non-empty visible ASCII (0x21-0x7E): what a credential id sent in a header (an API key, a
/// client id) must be, so that it can neither break nor inject a header field.
pub fn is_visible_ascii(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// An ordered list of header fields. Names compare case-insensitively (RFC 9110); order and duplicates
/// are kept as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// Appends a field (an existing one of the same name is kept).
    pub fn append(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Replaces every field named `name` with one field.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.0.push((name, value.into()));
    }

    /// The first value of `name`, compared case-insensitively.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Headers {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Headers(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        )
    }
}

/// An HTTP request as a signer or verifier sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The method, as sent (`POST`); methods are case-sensitive.
    pub method: String,
    /// The path component, as sent (percent-encoding untouched), without query or fragment.
    pub path: String,
    /// The query component without the `?`, as sent; `None` when the URL has no `?`.
    pub query: Option<String>,
    /// Header fields.
    pub headers: Headers,
    /// The body bytes, exactly as sent.
    pub body: Vec<u8>,
}

impl Request {
    /// A request with no headers and no body.
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        Request {
            method: method.into(),
            path: path.into(),
            ..Request::default()
        }
    }

    /// Splits a request target (`/path?query`) into path and query, leaving both as sent.
    pub fn with_target(method: impl Into<String>, target: &str) -> Self {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned())),
            None => (target, None),
        };
        Request {
            method: method.into(),
            path: path.to_owned(),
            query,
            ..Request::default()
        }
    }

    /// Sets a header (builder style).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.set(name, value);
        self
    }

    /// Sets the body (builder style).
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// The media type of `Content-Type`, lowercased, without parameters (`application/json`).
    pub fn media_type(&self) -> Option<String> {
        let value = self.headers.get("content-type")?;
        let media = value.split(';').next().unwrap_or_default().trim();
        Some(media.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_ascii_only() {
        assert!(is_visible_ascii("authspec-test-key+/="));
        for bad in ["", "a b", "a\r\nX-Evil: 1", "clé", "\u{7f}", "\t"] {
            assert!(!is_visible_ascii(bad), "{bad:?}");
        }
    }

    #[test]
    fn headers_are_case_insensitive_and_ordered() {
        let mut headers = Headers::new();
        headers.append("API-Key", "a");
        headers.append("api-key", "b");
        assert_eq!(headers.get("API-KEY"), Some("a"));
        assert_eq!(headers.get_all("api-key").collect::<Vec<_>>(), ["a", "b"]);
        headers.set("Api-Key", "c");
        assert_eq!(headers.iter().collect::<Vec<_>>(), [("Api-Key", "c")]);
    }

    #[test]
    fn target_keeps_query_as_sent() {
        let request = Request::with_target("GET", "/api/v3/x?a=hello%20world&b=1");
        assert_eq!(request.path, "/api/v3/x");
        assert_eq!(request.query.as_deref(), Some("a=hello%20world&b=1"));
        assert_eq!(
            Request::with_target("GET", "/x?").query.as_deref(),
            Some("")
        );
    }

    #[test]
    fn media_type_ignores_parameters_and_case() {
        let request =
            Request::new("POST", "/").header("Content-Type", "Application/JSON; charset=utf-8");
        assert_eq!(request.media_type().as_deref(), Some("application/json"));
        assert_eq!(Request::new("POST", "/").media_type(), None);
    }
}
