//! The secret-leak check: did a testee (or a report) show a secret it was given, outside the fields where it
//! belongs? Rules in `spec/conformance-report.md`, section 8.
//!
//! - The secrets of a run ([`SecretSet::from_corpus`]) are the string values of the input members named in
//!   [`SECRET_MEMBERS`] (at any depth) of the corpus's vectors and scenario steps, at least [`MIN_SECRET_LEN`]
//!   characters long (shorter ones would match by accident) and not inside the corpus's public text
//!   ([`public_text`]). A PEM value also contributes each of its base64 body lines, so a testee that prints part
//!   of a key is caught. A scenario step's `${var}` value is not a secret: the testee produced it.
//! - [`LeakWatch`] wraps any [`Testee`] and searches every answer for every secret, except under the answer
//!   paths where the op's result carries a secret by design ([`allowed_paths`]).
//! - [`SecretSet::scan_text`] searches free text: a testee's stderr (where a secret never belongs), and the
//!   written reports (which the runner redacts with [`SecretSet::redact_value`] before rendering: a hit there is a
//!   bug of the runner).
//!
//! A finding names the secret by where it was given (`<vector id>: input.credentials.secret`) and its length,
//! never by its value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::driver::{DriverError, Testee};
use crate::protocol::{Request, Response};

/// Input members whose string values are secrets.
pub const SECRET_MEMBERS: &[&str] = &["secret", "password", "private_key_pem", "signing_key_pem"];

/// Secrets shorter than this many characters are not searched for (they would match unrelated text).
pub const MIN_SECRET_LEN: usize = 8;

/// What replaces a secret in a redacted report.
pub const REDACTED: &str = "[redacted secret]";

/// Answer paths (dotted, from the answer's root) where `scheme`/`op` legitimately carries a secret it was given:
/// haivision-session's `login-request` result is the login request the client sends, password included, and
/// kazoo-crossbar's `hash_input` stage is `username:password` by definition.
pub fn allowed_paths(scheme: &str, op: &str) -> &'static [&'static str] {
    match (scheme, op) {
        ("haivision-session", "login-request") => &["result.request"],
        ("kazoo-crossbar", _) => &["result.stages.hash_input", "error.stages.hash_input"],
        _ => &[],
    }
}

/// The text of `corpus` that reports and conforming answers show anyway: vector, scenario and step ids,
/// descriptions, requirement ids, and the strings of every expected answer outside the op's
/// [`allowed_paths`] (a scenario may pass a cookie text the server sets as a "password", to echo it). Give it to
/// [`SecretSet::with_public`].
pub fn public_text(corpus: &auth_vectors::Corpus) -> Vec<String> {
    let mut public = Vec::new();
    let mut expected = |scheme: &str, op: &str, value: &auth_vectors::model::Expected| {
        if let Ok(value) = serde_json::to_value(value) {
            strings_outside(&value, "", allowed_paths(scheme, op), &mut public);
        }
    };
    for file in corpus.files() {
        let scheme = &file.file.scheme;
        for vector in &file.file.vectors {
            expected(scheme, &vector.op, &vector.expected);
        }
        for scenario in &file.file.scenarios {
            for step in &scenario.steps {
                expected(scheme, &step.op, &step.expected);
            }
        }
    }
    for file in corpus.files() {
        public.push(file.file.description.clone());
        for vector in &file.file.vectors {
            public.push(vector.id.clone());
            public.push(vector.description.clone());
            public.extend(vector.requirements.iter().cloned());
        }
        for scenario in &file.file.scenarios {
            public.push(scenario.id.clone());
            public.push(scenario.description.clone());
            public.extend(scenario.requirements.iter().cloned());
            for step in &scenario.steps {
                public.push(format!("{}#{}", scenario.id, step.name));
            }
        }
    }
    public
}

/// The dotted path of member `name` under `path` (the root's members have no leading dot).
fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Collects the strings of `value` outside the dotted paths `allowed`.
fn strings_outside(value: &Value, path: &str, allowed: &[&str], out: &mut Vec<String>) {
    if allowed.contains(&path) {
        return;
    }
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Object(members) => {
            for (name, member) in members {
                let at = child(path, name);
                strings_outside(member, &at, allowed, out);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| strings_outside(item, path, allowed, out)),
        _ => {}
    }
}

/// One place a secret was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leak {
    /// Where: `stdout`, `stderr` or a report file name.
    pub source: String,
    /// More precisely: for stdout, the request id and the answer path; for text, the line number.
    pub location: String,
    /// Which secret: where it was given (`<request id>: input.<path>`) and its length; never its value.
    pub secret: String,
}

/// A known secret and where it was first given.
#[derive(Debug, Clone)]
struct Known {
    origin: String,
    chars: usize,
}

/// The secrets of a run, each with where it was first given.
#[derive(Debug, Clone, Default)]
pub struct SecretSet {
    // Secret text -> origin; a BTreeMap so scans and findings are in a stable order.
    secrets: BTreeMap<String, Known>,
    // Text every report shows anyway (vector ids, descriptions): a secret found inside it is not searched for.
    public: Vec<String>,
}

impl SecretSet {
    /// No secrets.
    pub fn new() -> Self {
        SecretSet::default()
    }

    /// No secrets yet; secrets that occur inside any of `public` (the corpus's ids and descriptions, which reports
    /// show anyway: a corpus password `wrong-password` is also a scenario's name) will not be searched for.
    pub fn with_public(public: Vec<String>) -> Self {
        SecretSet {
            secrets: BTreeMap::new(),
            public,
        }
    }

    /// The secrets of `corpus`'s inputs (vectors and scenario steps), minus those inside its public text.
    pub fn from_corpus(corpus: &auth_vectors::Corpus) -> Self {
        let mut set = SecretSet::with_public(public_text(corpus));
        for (_, vector) in corpus.vectors() {
            set.learn(&vector.id, &vector.input);
        }
        for (_, scenario) in corpus.scenarios() {
            for step in &scenario.steps {
                set.learn(&format!("{}#{}", scenario.id, step.name), &step.input);
            }
        }
        set
    }

    /// Learns the secrets of the request `id`'s `input` (a `${var}` of a scenario step is not one).
    pub fn learn(&mut self, id: &str, input: &Value) {
        self.learn_at(id, "input", input, false);
    }

    fn learn_at(&mut self, id: &str, path: &str, value: &Value, secret: bool) {
        match value {
            Value::Object(members) => {
                for (name, member) in members {
                    let is_secret = SECRET_MEMBERS.contains(&name.as_str());
                    self.learn_at(id, &format!("{path}.{name}"), member, is_secret);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.learn_at(id, &format!("{path}[{index}]"), item, secret);
                }
            }
            Value::String(text) if secret && !text.contains("${") => {
                self.add(text, format!("{id}: {path}"));
                if text.contains("-----BEGIN") {
                    // The base64 body lines; not the boundaries nor the RFC 1421 headers (`Proc-Type: ...`).
                    let body = text.lines().map(str::trim).filter(|line| {
                        !line.is_empty()
                            && line.bytes().all(|b| {
                                b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
                            })
                    });
                    for line in body {
                        self.add(line, format!("{id}: {path} (a line of the PEM body)"));
                    }
                }
            }
            _ => {}
        }
    }

    fn add(&mut self, text: &str, origin: String) {
        let chars = text.chars().count();
        if chars >= MIN_SECRET_LEN
            && !self.secrets.contains_key(text)
            && !self.public.iter().any(|public| public.contains(text))
        {
            self.secrets
                .entry(text.to_owned())
                .or_insert(Known { origin, chars });
        }
    }

    /// Adds the secrets of `other` (keeping the first origin of each).
    pub fn extend(&mut self, other: SecretSet) {
        for (secret, known) in other.secrets {
            self.secrets.entry(secret).or_insert(known);
        }
    }

    /// How many distinct secrets are known.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// Whether no secret is known.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    fn describe(&self, secret: &str) -> String {
        self.secrets.get(secret).map_or_else(String::new, |known| {
            format!("{} ({} characters)", known.origin, known.chars)
        })
    }

    /// The known secrets that occur in `text`, in a stable order.
    fn found_in<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a String> + 'a {
        self.secrets
            .keys()
            .filter(move |secret| text.contains(secret.as_str()))
    }

    /// The leaks of the secrets found in `text`, each reported at `location`.
    fn leaks_in(&self, source: &str, location: &str, text: &str) -> Vec<Leak> {
        self.found_in(text)
            .map(|secret| Leak {
                source: source.to_owned(),
                location: location.to_owned(),
                secret: self.describe(secret),
            })
            .collect()
    }

    /// The secrets found in `text`, one finding per line and secret (`source` names the text).
    pub fn scan_text(&self, source: &str, text: &str) -> Vec<Leak> {
        text.lines()
            .enumerate()
            .flat_map(|(number, line)| self.leaks_in(source, &format!("line {}", number + 1), line))
            .collect()
    }

    /// The secrets found in the strings of `value` (and its member names), outside the dotted paths `allowed`;
    /// `root` is the path of `value` itself (empty for an answer's root, whose members are then `result`, ...).
    pub fn scan_value(
        &self,
        source: &str,
        root: &str,
        value: &Value,
        allowed: &[&str],
    ) -> Vec<Leak> {
        let mut leaks = Vec::new();
        self.scan_value_at(source, root, value, allowed, &mut leaks);
        leaks
    }

    fn scan_value_at(
        &self,
        source: &str,
        path: &str,
        value: &Value,
        allowed: &[&str],
        leaks: &mut Vec<Leak>,
    ) {
        if allowed.contains(&path) {
            return;
        }
        match value {
            Value::String(text) => leaks.extend(self.leaks_in(source, path, text)),
            Value::Object(members) => {
                for (name, member) in members {
                    let at = child(path, name);
                    leaks.extend(self.leaks_in(source, &at, name));
                    self.scan_value_at(source, &at, member, allowed, leaks);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.scan_value_at(source, &format!("{path}[{index}]"), item, allowed, leaks);
                }
            }
            _ => {}
        }
    }

    /// Replaces every known secret inside the strings of `value` with [`REDACTED`].
    pub fn redact_value(&self, value: &mut Value) {
        match value {
            Value::String(text) => {
                if let Some(redacted) = self.redact_str(text) {
                    *text = redacted;
                }
            }
            Value::Object(members) => {
                let keys: Vec<String> = members.keys().cloned().collect();
                for key in keys {
                    if let Some(mut member) = members.remove(&key) {
                        self.redact_value(&mut member);
                        let key = self.redact_str(&key).unwrap_or(key);
                        members.insert(key, member);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.redact_value(item)),
            _ => {}
        }
    }

    /// Replaces every known secret inside `data` (anything that serializes to JSON and back: a report, a matrix)
    /// with [`REDACTED`]; `data` is left as it is when it holds none.
    pub fn redact_data<T: Serialize + serde::de::DeserializeOwned>(&self, data: &mut T) {
        if self.is_empty() {
            return;
        }
        let Ok(mut value) = serde_json::to_value(&*data) else {
            return;
        };
        let before = value.clone();
        self.redact_value(&mut value);
        if value != before
            && let Ok(redacted) = serde_json::from_value(value)
        {
            *data = redacted;
        }
    }

    /// `text` with every known secret replaced, or `None` when it holds none. Longer secrets go first, so a PEM is
    /// redacted whole before its lines are.
    pub fn redact_str(&self, text: &str) -> Option<String> {
        let mut found: Vec<&String> = self.found_in(text).collect();
        if found.is_empty() {
            return None;
        }
        found.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
        let mut out = text.to_owned();
        for secret in found {
            out = out.replace(secret.as_str(), REDACTED);
        }
        Some(out)
    }
}

/// A [`Testee`] wrapper that learns each request's secrets and searches each answer for them.
pub struct LeakWatch<'a> {
    inner: &'a mut dyn Testee,
    secrets: SecretSet,
    leaks: Vec<Leak>,
}

impl std::fmt::Debug for LeakWatch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LeakWatch")
            .field("secrets", &self.secrets.len())
            .field("leaks", &self.leaks.len())
            .finish_non_exhaustive()
    }
}

impl<'a> LeakWatch<'a> {
    /// Watches `inner` for `secrets` (usually [`SecretSet::from_corpus`]).
    pub fn new(inner: &'a mut dyn Testee, secrets: SecretSet) -> Self {
        LeakWatch {
            inner,
            secrets,
            leaks: Vec::new(),
        }
    }

    /// The secrets watched for and the leaks found in the answers.
    pub fn finish(self) -> (SecretSet, Vec<Leak>) {
        (self.secrets, self.leaks)
    }
}

impl Testee for LeakWatch<'_> {
    fn exchange(&mut self, request: &Request) -> Result<Response, DriverError> {
        let id = request.id.as_deref().unwrap_or("hello");
        let response = self.inner.exchange(request)?;
        if !self.secrets.is_empty() {
            let answer = serde_json::to_value(&response.outcome).unwrap_or(Value::Null);
            let allowed = match (&request.scheme, &request.op) {
                (Some(scheme), op) => allowed_paths(scheme, op),
                _ => &[],
            };
            let root = format!("stdout: answer to {id}:");
            let mut found = self.secrets.scan_value("stdout", "", &answer, allowed);
            for leak in &mut found {
                leak.location = format!("{root} {}", leak.location);
            }
            self.leaks.extend(found);
        }
        Ok(response)
    }

    fn close(&mut self) -> Result<(), DriverError> {
        self.inner.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SECRET: &str =
        "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

    fn set() -> SecretSet {
        let mut set = SecretSet::new();
        set.learn(
            "v/1",
            &json!({"credentials": {"api_key": "public", "secret": SECRET}, "password": "short"}),
        );
        set
    }

    #[test]
    fn learns_named_members_at_any_depth_but_not_short_ones() {
        let set = set();
        assert_eq!(set.len(), 1, "`short` is below the minimum length");
        let leaks = set.scan_text("stderr", &format!("debug\nkey={SECRET}\n"));
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].location, "line 2");
        assert_eq!(
            leaks[0].secret,
            "v/1: input.credentials.secret (88 characters)"
        );
        assert!(!leaks[0].secret.contains(SECRET));
    }

    #[test]
    fn secrets_inside_public_text_are_not_searched() {
        let mut set =
            SecretSet::with_public(vec!["kazoo-crossbar/scenarios/wrong-password".into()]);
        set.learn(
            "s#login",
            &json!({"password": "wrong-password", "secret": SECRET}),
        );
        assert_eq!(set.len(), 1);
        assert!(set.scan_text("r", "wrong-password").is_empty());
    }

    #[test]
    fn pem_lines_are_secrets_too() {
        let mut set = SecretSet::new();
        let pem = "-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQ\n-----END PRIVATE KEY-----\n";
        set.learn("v5/1", &json!({"credentials": {"private_key_pem": pem}}));
        assert_eq!(set.len(), 3);
        let leaks = set.scan_text("stderr", "key line BKcwggSjAgEAAoIBAQ seen");
        assert_eq!(leaks.len(), 1);
        assert!(leaks[0].secret.contains("a line of the PEM body"));
        let redacted = set.redact_str(&format!("x{pem}y")).unwrap();
        assert_eq!(redacted, format!("x{REDACTED}y"));
    }

    #[test]
    fn answers_are_scanned_outside_allowed_paths() {
        let set = set();
        let answer = json!({"result": {"headers": {"API-Sign": "x"}, "body": format!("{{\"p\":\"{SECRET}\"}}"),
                                       "stages": {"hmac_key": SECRET}}});
        let leaks = set.scan_value("stdout", "", &answer, &[]);
        let at: Vec<&str> = leaks.iter().map(|l| l.location.as_str()).collect();
        assert_eq!(at, ["result.body", "result.stages.hmac_key"]);
        let leaks = set.scan_value("stdout", "", &answer, &["result.body"]);
        assert_eq!(leaks.len(), 1);
    }

    #[test]
    fn redaction_reaches_every_string() {
        let set = set();
        let mut value = json!({"a": [format!("pre {SECRET} post")], SECRET: 1});
        set.redact_value(&mut value);
        assert_eq!(
            value,
            json!({"a": [format!("pre {REDACTED} post")], REDACTED: 1})
        );
        assert!(set.scan_value("report", "", &value, &[]).is_empty());
    }

    #[test]
    fn the_watch_finds_a_leaking_answer() {
        use crate::driver::InProcess;
        use crate::protocol::{Outcome, PROTOCOL_VERSION};
        let mut leaky = InProcess::new(|request: &Request| Response {
            seq: request.seq,
            outcome: Outcome::Result(json!({"echo": request.input})),
        });
        let input = json!({"credentials": {"secret": SECRET}});
        let mut secrets = SecretSet::new();
        secrets.learn("kraken-spot/x/y", &input);
        let mut watch = LeakWatch::new(&mut leaky, secrets);
        let request = Request::op(1, "kraken-spot/x/y", "kraken-spot", "sign", input);
        watch.exchange(&request).unwrap();
        let (secrets, leaks) = watch.finish();
        assert_eq!(secrets.len(), 1);
        assert_eq!(leaks.len(), 1);
        assert_eq!(
            leaks[0].location,
            "stdout: answer to kraken-spot/x/y: result.echo.credentials.secret"
        );
        assert_eq!(PROTOCOL_VERSION, 1);
    }
}
