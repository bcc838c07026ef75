//! Kraken spot conformance for Rust SDK authors: implement [`KrakenSpot`], call [`assert_conforms`] in a test.
//!
//! ```no_run
//! use auth_conformance::kraken_spot::{KrakenSpot, Refusal, SignInput, Signed, assert_conforms};
//!
//! struct MySdk;
//!
//! impl KrakenSpot for MySdk {
//!     fn sign(&self, input: &SignInput) -> Result<Signed, Refusal> {
//!         // Call your SDK's signer with input.api_key, input.secret, input.path, input.body, input.nonce, ...
//!         // and map its errors to the codes of spec/error-codes.md.
//!         # let _ = input;
//!         Err(Refusal { code: "secret-invalid".into(), message: "not wired yet".into() })
//!     }
//! }
//!
//! #[test]
//! fn my_sdk_conforms_to_kraken_spot() {
//!     assert_conforms("my-sdk", &MySdk);
//! }
//! ```
//!
//! [`assert_conforms`] loads this repository's corpus, runs every `kraken-spot` vector through
//! [`KrakenSpotTestee`] (an ordinary [`Testee`] that speaks protocol version 1 through the same wire types as a
//! subprocess), and panics with the full terminal report when anything fails or when no vector passed. Reporting
//! `stages` in [`Signed`] is optional but turns "the signature differs" into "the HMAC key differs": the report
//! names the first stage, in the spec's order, whose value differs.
//!
//! The `verify` op is optional: the default [`KrakenSpot::verify`] returns `None`, and verify vectors are then
//! answered `skipped` (counted as skipped, never as passed). Ops and schemes the adapter does not know are skipped
//! too. An input the typed structs cannot hold (a corpus defect) is answered with the error code
//! `adapter-input-invalid`, which fails that vector visibly.

use serde_json::{Map, Value, json};

use crate::driver::{DriverError, Testee, exchange_in_process};
use crate::protocol::{self, ErrorBody, Request, Response, Skipped};
use crate::run::RunOptions;

/// The scheme id this module adapts.
pub const SCHEME: &str = "kraken-spot";

/// The error code the adapter answers when a vector's input does not fit the typed structs.
pub const INPUT_INVALID: &str = "adapter-input-invalid";

/// Everything a `sign` vector gives the signer (the protocol's `sign` input, flattened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInput {
    /// `credentials.api_key`, as issued.
    pub api_key: String,
    /// `credentials.secret`, the base64 text as issued (decoding it is the signer's job).
    pub secret: String,
    /// `request.method`.
    pub method: String,
    /// `request.path`.
    pub path: String,
    /// `request.headers` (name, value), in the input's order; empty when absent.
    pub headers: Vec<(String, String)>,
    /// `request.body`, exactly as it will be sent; empty when absent.
    pub body: String,
    /// `nonce`: the decimal nonce to sign with.
    pub nonce: String,
}

/// A successful signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The `API-Key` header value.
    pub api_key: String,
    /// The `API-Sign` header value.
    pub api_sign: String,
    /// Intermediate stages (name, value) in the spec's names and encodings (`hmac_key` hex, ...); may be empty.
    pub stages: Vec<(String, String)>,
}

/// A signer's refusal, with a code from `spec/error-codes.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Stable error code (`secret-invalid`, `nonce-mismatch`, ...).
    pub code: String,
    /// Free-form message; never compared.
    pub message: String,
}

/// A key the verifier knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyKey {
    /// The API key.
    pub api_key: String,
    /// Its secret (base64 text).
    pub secret: String,
    /// Endpoints the key may call; `None` means every endpoint.
    pub permissions: Option<Vec<String>>,
}

/// A nonce the server accepted for a key before the request under test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedNonce {
    /// The key.
    pub api_key: String,
    /// The accepted nonce (decimal).
    pub nonce: String,
}

/// The received request a verifier judges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRequest {
    /// HTTP method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// Headers (name, value), in the input's order.
    pub headers: Vec<(String, String)>,
    /// Body, exactly as received.
    pub body: String,
}

/// Everything a `verify` vector gives the verifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyInput {
    /// The registered keys.
    pub keys: Vec<VerifyKey>,
    /// Nonce window (0 when absent).
    pub nonce_window: u64,
    /// Nonces already accepted, in the order they were accepted.
    pub accepted_nonces: Vec<AcceptedNonce>,
    /// The request to verify.
    pub request: ReceivedRequest,
}

/// An accepted request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The key that signed it.
    pub api_key: String,
    /// The nonce taken from its body.
    pub nonce: String,
}

/// A rejected request: the code, and what the server answers on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Stable error code (`signature-mismatch`, `nonce-stale`, ...).
    pub code: String,
    /// Free-form message; never compared.
    pub message: String,
    /// The HTTP status the server answers (Kraken: 200).
    pub status: u16,
    /// The Kraken error string in the envelope's `error` list (`EAPI:Invalid signature`, ...).
    pub kraken_error: String,
}

/// A Kraken spot implementation under test.
pub trait KrakenSpot {
    /// Signs a private request, or refuses to.
    fn sign(&self, input: &SignInput) -> Result<Signed, Refusal>;

    /// Verifies a received request. `None` (the default) means the implementation has no verifier: verify vectors
    /// are skipped.
    fn verify(&self, input: &VerifyInput) -> Option<Result<Verified, Rejection>> {
        let _ = input;
        None
    }
}

/// A [`KrakenSpot`] implementation behind the testee protocol.
#[derive(Debug)]
pub struct KrakenSpotTestee<'a, K: ?Sized> {
    name: String,
    version: String,
    implementation: &'a K,
}

impl<'a, K: KrakenSpot + ?Sized> KrakenSpotTestee<'a, K> {
    /// Adapts `implementation`; `name` and `version` are what its hello answers.
    pub fn new(name: &str, version: &str, implementation: &'a K) -> Self {
        KrakenSpotTestee {
            name: name.to_owned(),
            version: version.to_owned(),
            implementation,
        }
    }

    /// The response to one request.
    pub fn answer(&self, request: &Request) -> Response {
        let outcome = if request.op == protocol::HELLO_OP {
            protocol::Outcome::Result(
                json!({"name": self.name, "version": self.version, "schemes": [SCHEME]}),
            )
        } else if request.scheme.as_deref() != Some(SCHEME) {
            skipped(format!(
                "scheme `{}` is not implemented",
                request.scheme.as_deref().unwrap_or_default()
            ))
        } else {
            let input = request.input.clone().unwrap_or(Value::Null);
            match request.op.as_str() {
                "sign" => match sign_input(&input) {
                    Ok(input) => match self.implementation.sign(&input) {
                        Ok(signed) => protocol::Outcome::Result(signed_result(signed)),
                        Err(refusal) => error(refusal.code, refusal.message, Map::new()),
                    },
                    Err(problem) => error(INPUT_INVALID.to_owned(), problem, Map::new()),
                },
                "verify" => match verify_input(&input) {
                    Ok(input) => match self.implementation.verify(&input) {
                        None => skipped("verify is not implemented".to_owned()),
                        Some(Ok(verified)) => protocol::Outcome::Result(
                            json!({"api_key": verified.api_key, "nonce": verified.nonce}),
                        ),
                        Some(Err(rejection)) => {
                            let mut rest = Map::new();
                            rest.insert(
                                "response".to_owned(),
                                json!({
                                    "status": rejection.status,
                                    "body": {"error": [rejection.kraken_error], "result": {}}
                                }),
                            );
                            error(rejection.code, rejection.message, rest)
                        }
                    },
                    Err(problem) => error(INPUT_INVALID.to_owned(), problem, Map::new()),
                },
                other => skipped(format!("op `{other}` is not implemented")),
            }
        };
        Response {
            seq: request.seq,
            outcome,
        }
    }
}

impl<K: KrakenSpot + ?Sized> Testee for KrakenSpotTestee<'_, K> {
    fn exchange(&mut self, request: &Request) -> Result<Response, DriverError> {
        exchange_in_process(request, |request| self.answer(request))
    }
}

/// Runs every `kraken-spot` vector of this repository's corpus against `implementation`, and panics with the full
/// terminal report if any vector failed unexpectedly, the testee broke the protocol, or no vector passed.
pub fn assert_conforms(name: &str, implementation: &impl KrakenSpot) {
    let mut testee = KrakenSpotTestee::new(name, "in-process", implementation);
    let options = RunOptions {
        scheme: Some(SCHEME.to_owned()),
        ..RunOptions::default()
    };
    crate::assert_testee_conforms(&mut testee, &options);
}

fn skipped(reason: String) -> protocol::Outcome {
    protocol::Outcome::Skipped(Skipped { reason })
}

fn error(code: String, message: String, rest: Map<String, Value>) -> protocol::Outcome {
    protocol::Outcome::Error(ErrorBody {
        code,
        message,
        rest,
    })
}

fn signed_result(signed: Signed) -> Value {
    let mut result = Map::new();
    result.insert(
        "headers".to_owned(),
        json!({"API-Key": signed.api_key, "API-Sign": signed.api_sign}),
    );
    if !signed.stages.is_empty() {
        let stages: Map<String, Value> = signed
            .stages
            .into_iter()
            .map(|(name, value)| (name, Value::String(value)))
            .collect();
        result.insert("stages".to_owned(), Value::Object(stages));
    }
    Value::Object(result)
}

fn field<'v>(value: &'v Value, path: &str) -> Result<&'v Value, String> {
    path.split('.')
        .try_fold(value, |v, key| v.get(key))
        .ok_or_else(|| format!("input has no `{path}`"))
}

fn string(value: &Value, path: &str) -> Result<String, String> {
    field(value, path)?
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("input `{path}` is not a string"))
}

fn optional_string(value: &Value, path: &str) -> Result<String, String> {
    match field(value, path) {
        Err(_) => Ok(String::new()),
        Ok(_) => string(value, path),
    }
}

fn headers(value: &Value, path: &str) -> Result<Vec<(String, String)>, String> {
    match field(value, path) {
        Err(_) => Ok(Vec::new()),
        Ok(Value::Object(map)) => map
            .iter()
            .map(|(name, v)| {
                v.as_str()
                    .map(|v| (name.clone(), v.to_owned()))
                    .ok_or_else(|| format!("input header `{name}` is not a string"))
            })
            .collect(),
        Ok(_) => Err(format!("input `{path}` is not an object")),
    }
}

fn sign_input(input: &Value) -> Result<SignInput, String> {
    Ok(SignInput {
        api_key: string(input, "credentials.api_key")?,
        secret: string(input, "credentials.secret")?,
        method: string(input, "request.method")?,
        path: string(input, "request.path")?,
        headers: headers(input, "request.headers")?,
        body: optional_string(input, "request.body")?,
        nonce: string(input, "nonce")?,
    })
}

fn verify_input(input: &Value) -> Result<VerifyInput, String> {
    let keys = field(input, "keys")?
        .as_array()
        .ok_or("input `keys` is not an array")?
        .iter()
        .map(|key| {
            let permissions = match key.get("permissions") {
                None => None,
                Some(Value::Array(list)) => Some(
                    list.iter()
                        .map(|p| {
                            p.as_str()
                                .map(str::to_owned)
                                .ok_or("a permission is not a string")
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                ),
                Some(_) => return Err("input `permissions` is not an array".to_owned()),
            };
            Ok(VerifyKey {
                api_key: string(key, "api_key")?,
                secret: string(key, "secret")?,
                permissions,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let nonce_window = match input.get("nonce_window") {
        None => 0,
        Some(window) => window
            .as_u64()
            .ok_or("input `nonce_window` is not a non-negative integer")?,
    };
    let accepted_nonces = match input.get("accepted_nonces") {
        None => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|entry| {
                Ok(AcceptedNonce {
                    api_key: string(entry, "api_key")?,
                    nonce: string(entry, "nonce")?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?,
        Some(_) => return Err("input `accepted_nonces` is not an array".to_owned()),
    };
    Ok(VerifyInput {
        keys,
        nonce_window,
        accepted_nonces,
        request: ReceivedRequest {
            method: string(input, "request.method")?,
            path: string(input, "request.path")?,
            headers: headers(input, "request.headers")?,
            body: optional_string(input, "request.body")?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;

    impl KrakenSpot for Fixed {
        fn sign(&self, input: &SignInput) -> Result<Signed, Refusal> {
            if input.secret.is_empty() {
                return Err(Refusal {
                    code: "secret-empty".into(),
                    message: "empty".into(),
                });
            }
            Ok(Signed {
                api_key: input.api_key.clone(),
                api_sign: format!(
                    "{}|{}|{}|{}",
                    input.method, input.path, input.nonce, input.body
                ),
                stages: vec![(
                    "sha256_input".into(),
                    format!("{}{}", input.nonce, input.body),
                )],
            })
        }
    }

    fn sign_request(input: Value) -> Request {
        Request::op(1, "kraken-spot/t/v", SCHEME, "sign", input)
    }

    #[test]
    fn hello_names_the_scheme() {
        let mut testee = KrakenSpotTestee::new("fixed", "1.0", &Fixed);
        let response = testee.exchange(&Request::hello()).unwrap();
        assert_eq!(
            response.outcome,
            protocol::Outcome::Result(
                json!({"name": "fixed", "version": "1.0", "schemes": ["kraken-spot"]})
            )
        );
    }

    #[test]
    fn sign_maps_input_and_result() {
        let mut testee = KrakenSpotTestee::new("fixed", "1.0", &Fixed);
        let input = json!({
            "credentials": {"api_key": "K", "secret": "c2VjcmV0"},
            "request": {"method": "POST", "path": "/0/private/Balance", "headers": {"Content-Type": "x"}, "body": "nonce=5"},
            "nonce": "5"
        });
        let response = testee.exchange(&sign_request(input)).unwrap();
        assert_eq!(
            response.outcome,
            protocol::Outcome::Result(json!({
                "headers": {"API-Key": "K", "API-Sign": "POST|/0/private/Balance|5|nonce=5"},
                "stages": {"sha256_input": "5nonce=5"}
            }))
        );
    }

    #[test]
    fn refusals_become_errors_and_bad_input_is_visible() {
        let mut testee = KrakenSpotTestee::new("fixed", "1.0", &Fixed);
        let input = json!({
            "credentials": {"api_key": "K", "secret": ""},
            "request": {"method": "POST", "path": "/0/private/Balance"},
            "nonce": "5"
        });
        let response = testee.exchange(&sign_request(input)).unwrap();
        let protocol::Outcome::Error(e) = response.outcome else {
            panic!("not an error")
        };
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("secret-empty", "empty")
        );

        let response = testee
            .exchange(&sign_request(json!({"credentials": {}})))
            .unwrap();
        let protocol::Outcome::Error(e) = response.outcome else {
            panic!("not an error")
        };
        assert_eq!(e.code, INPUT_INVALID);
        assert_eq!(e.message, "input has no `credentials.api_key`");
    }

    #[test]
    fn unimplemented_ops_and_schemes_are_skipped() {
        let mut testee = KrakenSpotTestee::new("fixed", "1.0", &Fixed);
        let verify = json!({
            "keys": [{"api_key": "K", "secret": "c2VjcmV0", "permissions": ["Balance"]}],
            "nonce_window": 3,
            "accepted_nonces": [{"api_key": "K", "nonce": "1"}],
            "request": {"method": "POST", "path": "/0/private/Balance", "headers": {}, "body": "nonce=2"}
        });
        let response = testee
            .exchange(&Request::op(1, "kraken-spot/v/x", SCHEME, "verify", verify))
            .unwrap();
        assert!(
            matches!(response.outcome, protocol::Outcome::Skipped(_)),
            "{response:?}"
        );
        let response = testee
            .exchange(&Request::op(
                2,
                "kraken-spot/v/x",
                SCHEME,
                "frobnicate",
                json!({}),
            ))
            .unwrap();
        assert!(matches!(response.outcome, protocol::Outcome::Skipped(_)));
        let response = testee
            .exchange(&Request::op(
                3,
                "kraken-v5/v/x",
                "kraken-v5",
                "sign",
                json!({}),
            ))
            .unwrap();
        assert!(matches!(response.outcome, protocol::Outcome::Skipped(_)));
    }

    #[test]
    fn verify_input_is_parsed_in_full() {
        let input = json!({
            "keys": [{"api_key": "K", "secret": "S", "permissions": ["Balance"]}, {"api_key": "L", "secret": "T"}],
            "nonce_window": 3,
            "accepted_nonces": [{"api_key": "K", "nonce": "1"}],
            "request": {"method": "POST", "path": "/0/private/Balance", "headers": {"API-Key": "K"}, "body": "nonce=2"}
        });
        let parsed = verify_input(&input).unwrap();
        assert_eq!(parsed.keys[0].permissions, Some(vec!["Balance".to_owned()]));
        assert_eq!(parsed.keys[1].permissions, None);
        assert_eq!(parsed.nonce_window, 3);
        assert_eq!(
            parsed.accepted_nonces,
            vec![AcceptedNonce {
                api_key: "K".into(),
                nonce: "1".into()
            }]
        );
        assert_eq!(
            parsed.request.headers,
            vec![("API-Key".to_owned(), "K".to_owned())]
        );
        let minimal = json!({"keys": [], "request": {"method": "POST", "path": "/p"}});
        let parsed = verify_input(&minimal).unwrap();
        assert_eq!(
            (
                parsed.nonce_window,
                parsed.accepted_nonces.len(),
                parsed.request.body.as_str()
            ),
            (0, 0, "")
        );
    }
}
