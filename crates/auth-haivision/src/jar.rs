//! The client's cookie jar (HAIV-003..008): Set-Cookie parsing per RFC 6265 section 5.2 through the `cookie`
//! crate, the storage model of section 5.3 for one host, and the Cookie header of section 5.4.
//!
//! Storage model, for a client that talks to one appliance: the `Domain` attribute is ignored; the path defaults
//! per section 5.1.4; a `Secure` cookie from an `http://` origin is ignored (RFC 6265bis section 5.7); a cookie
//! replaces the one of the same name and path in place (keeping its position, as section 5.3 keeps its
//! creation time); `Max-Age` wins over `Expires`; a cookie whose expiry is not after `now` (`Max-Age <= 0`, an
//! `Expires` in the past) is not stored and removes the one it would replace. Expiry instants are whole seconds
//! (`now` is truncated to the second before `Max-Age` is added).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::InputError;
use crate::time;

/// The `SameSite` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SameSite {
    /// `Strict`.
    Strict,
    /// `Lax`.
    Lax,
    /// `None`.
    None,
}

/// A stored cookie: one entry of the jar JSON
/// `{"name","value","path","secure","http_only","same_site","expires_at"}`. `same_site` is `"Strict"`, `"Lax"`,
/// `"None"` or `null`; `expires_at` RFC 3339 UTC seconds (`...Z`) or `null` for a session cookie.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JarCookie {
    /// The name, as sent (case-sensitive).
    pub name: String,
    /// The value, as sent: surrounding double quotes are kept (RFC 6265 section 5.2), no percent-decoding.
    pub value: String,
    /// The cookie path: the `Path` attribute when it starts with `/`, else the origin's default-path.
    pub path: String,
    /// `Secure`: sent over https only.
    pub secure: bool,
    /// `HttpOnly`.
    pub http_only: bool,
    /// `SameSite`, when given with a known value.
    #[serde(default)]
    pub same_site: Option<SameSite>,
    /// When the cookie expires; `None` for a session cookie.
    #[serde(default, with = "time::option_rfc3339")]
    pub expires_at: Option<Timestamp>,
}

impl JarCookie {
    /// Whether the cookie has expired at `now`: its expiry is not after `now`.
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// `name=value`, as the Cookie header carries it.
    pub fn pair(&self) -> String {
        format!("{}={}", self.name, self.value)
    }
}

/// What [`CookieJar::apply_set_cookie`] did with one Set-Cookie field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetCookieOutcome {
    /// A new cookie was stored.
    Stored,
    /// The cookie of the same name and path was replaced.
    Replaced,
    /// The cookie expires at once (`Max-Age <= 0`, past `Expires`): the one of the same name and path, if any,
    /// was removed (`true`) or there was none (`false`).
    Removed(bool),
    /// The field was ignored: no `name=value` pair, an empty name, or `Secure` from plain http.
    Ignored,
}

/// An `http` or `https` URL, as far as cookies care: the scheme and the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieUrl {
    /// `https`.
    pub secure: bool,
    /// The path, as sent, without query or fragment; `/` when the URL has none.
    pub path: String,
}

impl CookieUrl {
    /// Parses `http://host[:port][/path][?query][#fragment]` (scheme case-insensitive); anything else,
    /// including an empty host, is [`InputError::UrlInvalid`].
    pub fn parse(url: &str) -> Result<Self, InputError> {
        let invalid = || InputError::UrlInvalid(url.to_owned());
        let (scheme, rest) = url.split_once("://").ok_or_else(invalid)?;
        let secure = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else {
            return Err(invalid());
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if authority_end == 0 {
            return Err(invalid());
        }
        let after = &rest[authority_end..];
        let path_end = after.find(['?', '#']).unwrap_or(after.len());
        let path = &after[..path_end];
        Ok(CookieUrl {
            secure,
            path: if path.is_empty() { "/" } else { path }.to_owned(),
        })
    }

    /// The default-path of RFC 6265 section 5.1.4: up to, not including, the right-most `/` of the path, or `/`
    /// when the path has no more than one `/`.
    pub fn default_path(&self) -> String {
        default_path(&self.path).to_owned()
    }
}

fn default_path(uri_path: &str) -> &str {
    if !uri_path.starts_with('/') {
        return "/";
    }
    match uri_path.rfind('/') {
        Some(0) | None => "/",
        Some(index) => &uri_path[..index],
    }
}

/// Path-match of RFC 6265 section 5.1.4: the paths are identical, or `cookie_path` is a prefix of `request_path`
/// that ends in `/` or is followed in `request_path` by `/`.
pub fn path_matches(request_path: &str, cookie_path: &str) -> bool {
    match request_path.strip_prefix(cookie_path) {
        Some("") => true,
        Some(rest) => cookie_path.ends_with('/') || rest.starts_with('/'),
        None => false,
    }
}

/// The `Max-Age` of a Set-Cookie string per RFC 6265 section 5.2.2: the last valid attribute wins; a value
/// whose first character is not a digit or `-`, or whose remainder holds a non-digit, is ignored; an empty value
/// and a lone `-` are ignored too; digits past `i64` saturate. The `cookie` crate reads an empty value as the
/// largest duration, so this one attribute is read here.
fn max_age(set_cookie: &str) -> Option<i64> {
    let mut found = None;
    for attribute in set_cookie.split(';').skip(1) {
        let Some((name, value)) = attribute.split_once('=') else {
            continue;
        };
        if !trim_wsp(name).eq_ignore_ascii_case("max-age") {
            continue;
        }
        let value = trim_wsp(value);
        let (negative, digits) = match value.strip_prefix('-') {
            Some(digits) => (true, digits),
            None => (false, value),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        found = Some(if negative {
            0
        } else {
            digits.parse::<i64>().unwrap_or(i64::MAX)
        });
    }
    found
}

fn trim_wsp(text: &str) -> &str {
    text.trim_matches([' ', '\t'])
}

/// The expiry of a cookie per RFC 6265 section 5.3 step 3: `Max-Age` (added to `now` truncated to the second)
/// wins over `Expires`; `None` for a session cookie. Instants past jiff's range are clamped to it.
fn expiry(parsed: &cookie::Cookie<'_>, set_cookie: &str, now: Timestamp) -> Option<Timestamp> {
    if let Some(delta) = max_age(set_cookie) {
        if delta <= 0 {
            return Some(Timestamp::MIN);
        }
        return Some(time::from_second_clamped(
            now.as_second().saturating_add(delta),
        ));
    }
    parsed
        .expires_datetime()
        .map(|at| time::from_second_clamped(at.unix_timestamp()))
}

/// The cookies of one host, in jar order (insertion order; a replaced cookie keeps its place).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieJar {
    cookies: Vec<JarCookie>,
}

impl CookieJar {
    /// An empty jar.
    pub fn new() -> Self {
        CookieJar::default()
    }

    /// A jar holding `cookies` in the order given (the jar JSON of the testee protocol); a later cookie of the
    /// same name and path replaces an earlier one in its place.
    pub fn from_entries(cookies: impl IntoIterator<Item = JarCookie>) -> Self {
        let mut jar = CookieJar::new();
        for cookie in cookies {
            jar.store(cookie);
        }
        jar
    }

    /// The cookies in jar order.
    pub fn iter(&self) -> impl Iterator<Item = &JarCookie> {
        self.cookies.iter()
    }

    /// Number of cookies.
    pub fn len(&self) -> usize {
        self.cookies.len()
    }

    /// Whether the jar is empty.
    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty()
    }

    /// The cookies sorted by name, then path (byte order): the jar JSON's order.
    pub fn entries(&self) -> Vec<JarCookie> {
        let mut entries = self.cookies.clone();
        entries.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));
        entries
    }

    /// [`CookieJar::entries`] as the jar JSON array.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self.entries()).unwrap_or_default()
    }

    fn store(&mut self, cookie: JarCookie) -> bool {
        match self
            .cookies
            .iter_mut()
            .find(|old| old.name == cookie.name && old.path == cookie.path)
        {
            Some(old) => {
                *old = cookie;
                true
            }
            None => {
                self.cookies.push(cookie);
                false
            }
        }
    }

    /// Drops every cookie that has expired at `now` (RFC 6265 section 5.3: expired cookies are evicted).
    pub fn evict_expired(&mut self, now: Timestamp) {
        self.cookies.retain(|cookie| !cookie.is_expired(now));
    }

    /// Receives one Set-Cookie field from `origin` (`https://host/path`) at `now` (HAIV-003..007), then evicts
    /// expired cookies. An unparsable field is [`SetCookieOutcome::Ignored`], never an error; only a malformed
    /// `origin` is.
    pub fn apply_set_cookie(
        &mut self,
        origin: &str,
        set_cookie: &str,
        now: Timestamp,
    ) -> Result<SetCookieOutcome, InputError> {
        let origin = CookieUrl::parse(origin)?;
        let outcome = self.apply_parsed(&origin, set_cookie, now);
        self.evict_expired(now);
        Ok(outcome)
    }

    /// [`CookieJar::apply_set_cookie`] for several fields of one response, in order.
    pub fn apply_set_cookies<'a>(
        &mut self,
        origin: &str,
        set_cookies: impl IntoIterator<Item = &'a str>,
        now: Timestamp,
    ) -> Result<Vec<SetCookieOutcome>, InputError> {
        let origin = CookieUrl::parse(origin)?;
        let outcomes = set_cookies
            .into_iter()
            .map(|set_cookie| self.apply_parsed(&origin, set_cookie, now))
            .collect();
        self.evict_expired(now);
        Ok(outcomes)
    }

    fn apply_parsed(
        &mut self,
        origin: &CookieUrl,
        set_cookie: &str,
        now: Timestamp,
    ) -> SetCookieOutcome {
        // RFC 6265 section 5.2: no '=' in the name-value pair, or an empty name: ignore the whole field.
        let Ok(parsed) = cookie::Cookie::parse(set_cookie) else {
            return SetCookieOutcome::Ignored;
        };
        let secure = parsed.secure().unwrap_or(false);
        if secure && !origin.secure {
            return SetCookieOutcome::Ignored;
        }
        let path = match parsed.path() {
            Some(path) if path.starts_with('/') => path.to_owned(),
            _ => origin.default_path(),
        };
        let expires_at = expiry(&parsed, set_cookie, now).map(time::truncate_to_second);
        let cookie = JarCookie {
            name: parsed.name().to_owned(),
            value: parsed.value().to_owned(),
            path,
            secure,
            http_only: parsed.http_only().unwrap_or(false),
            same_site: parsed.same_site().map(|same_site| match same_site {
                cookie::SameSite::Strict => SameSite::Strict,
                cookie::SameSite::Lax => SameSite::Lax,
                cookie::SameSite::None => SameSite::None,
            }),
            expires_at,
        };
        if cookie.is_expired(now) {
            let before = self.cookies.len();
            self.cookies
                .retain(|old| !(old.name == cookie.name && old.path == cookie.path));
            return SetCookieOutcome::Removed(self.cookies.len() != before);
        }
        if self.store(cookie) {
            SetCookieOutcome::Replaced
        } else {
            SetCookieOutcome::Stored
        }
    }

    /// The cookies to send to `url` at `now` (HAIV-007, HAIV-008): unexpired, path-matching, `Secure` ones only
    /// over https; longer paths first, then jar order.
    pub fn matching(&self, url: &CookieUrl, now: Timestamp) -> Vec<&JarCookie> {
        let mut matching: Vec<&JarCookie> = self
            .cookies
            .iter()
            .filter(|cookie| {
                !cookie.is_expired(now)
                    && (url.secure || !cookie.secure)
                    && path_matches(&url.path, &cookie.path)
            })
            .collect();
        // Longest path first; equal lengths in jar order, which is name then path (spec: HAIV-008), whatever
        // order the cookies were stored in.
        matching.sort_by(|a, b| {
            b.path
                .len()
                .cmp(&a.path.len())
                .then_with(|| (&a.name, &a.path).cmp(&(&b.name, &b.path)))
        });
        matching
    }

    /// The Cookie header value for `url` at `now`: the [`CookieJar::matching`] cookies as `name=value` joined by
    /// `; ` (an empty value is still sent: `DisplayUnsavedWarning=`); `None` when no cookie applies.
    pub fn cookie_header(&self, url: &str, now: Timestamp) -> Result<Option<String>, InputError> {
        let url = CookieUrl::parse(url)?;
        let matching = self.matching(&url, now);
        if matching.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            matching
                .iter()
                .map(|cookie| cookie.pair())
                .collect::<Vec<_>>()
                .join("; "),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_paths() {
        for (path, expected) in [
            ("", "/"),
            ("/", "/"),
            ("/apis", "/"),
            ("/apis/", "/apis"),
            ("/apis/v2/login", "/apis/v2"),
            ("x/y", "/"),
        ] {
            assert_eq!(default_path(path), expected, "{path}");
        }
    }

    #[test]
    fn path_match_rules() {
        assert!(path_matches("/apis/v2", "/apis/v2"));
        assert!(path_matches("/apis/v2/x", "/apis/v2"));
        assert!(path_matches("/apis/v2/x", "/apis/"));
        assert!(path_matches("/anything", "/"));
        assert!(!path_matches("/apis/v20", "/apis/v2"));
        assert!(!path_matches("/api", "/apis"));
        assert!(!path_matches("/APIS/v2", "/apis"));
    }

    #[test]
    fn max_age_rules() {
        assert_eq!(max_age("a=b; Max-Age=10"), Some(10));
        assert_eq!(max_age("a=b; max-age = 10 "), Some(10));
        assert_eq!(max_age("a=b; Max-Age=-3"), Some(0));
        assert_eq!(max_age("a=b; Max-Age=0"), Some(0));
        assert_eq!(max_age("a=b; Max-Age="), None);
        assert_eq!(max_age("a=b; Max-Age=-"), None);
        assert_eq!(max_age("a=b; Max-Age=+5"), None);
        assert_eq!(max_age("a=b; Max-Age=5s"), None);
        assert_eq!(max_age("a=b; Max-Age=5; Max-Age=x"), Some(5));
        assert_eq!(max_age("a=b; Max-Age=5; Max-Age=7"), Some(7));
        assert_eq!(max_age("a=b; Max-Age=99999999999999999999"), Some(i64::MAX));
        assert_eq!(max_age("Max-Age=5"), None);
    }

    #[test]
    fn urls() {
        let url =
            CookieUrl::parse("HTTPS://host:443/apis/v2/x?y=/z#f").unwrap_or_else(|_| CookieUrl {
                secure: false,
                path: String::new(),
            });
        assert_eq!(
            url,
            CookieUrl {
                secure: true,
                path: "/apis/v2/x".into()
            }
        );
        for bad in ["host/x", "ftp://host/", "https:///x", "https://"] {
            assert!(CookieUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
