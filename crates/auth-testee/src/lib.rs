#![doc = include_str!("../README.md")]

mod haivision_session;
mod input;
mod kazoo_crossbar;
mod kraken_futures;
mod kraken_spot;
mod kraken_v5;

use auth_conformance::protocol::{
    ErrorBody, HELLO_OP, Hello, Outcome, PROTOCOL_VERSION, Request, Response, Skipped,
};
use auth_core::HasErrorCode;
use serde_json::{Map, Value};

/// The name this testee gives in its hello.
pub const NAME: &str = "authspec-reference";

/// The schemes this testee implements.
pub const SCHEMES: &[&str] = &[
    "kraken-spot",
    "kraken-futures",
    "kraken-v5",
    "kazoo-crossbar",
    "haivision-session",
];

/// The hello result.
pub fn hello() -> Hello {
    Hello {
        name: NAME.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        schemes: SCHEMES.iter().map(|scheme| (*scheme).to_owned()).collect(),
    }
}

/// Answers one protocol request.
pub fn handle(request: &Request) -> Response {
    let outcome = if request.op == HELLO_OP {
        match request.protocol {
            Some(PROTOCOL_VERSION) => serde_json::to_value(hello()).map_or_else(
                |error| skipped(format!("cannot encode hello: {error}")),
                Outcome::Result,
            ),
            other => skipped(format!(
                "unsupported protocol version {other:?}; this testee speaks {PROTOCOL_VERSION}"
            )),
        }
    } else {
        let input = request.input.clone().unwrap_or(Value::Null);
        match (request.scheme.as_deref(), request.op.as_str()) {
            (Some("kraken-spot"), "sign") => with_input(input, kraken_spot::sign),
            (Some("kraken-spot"), "verify") => with_input(input, kraken_spot::verify),
            (Some("kraken-futures"), "sign") => with_input(input, kraken_futures::sign),
            (Some("kraken-futures"), "ws-challenge") => {
                with_input(input, kraken_futures::ws_challenge)
            }
            (Some("kraken-futures"), "verify") => with_input(input, kraken_futures::verify),
            (Some("kraken-futures"), "ws-verify") => with_input(input, kraken_futures::ws_verify),
            (Some("kraken-v5"), "sign") => with_input(input, kraken_v5::sign),
            (Some("kraken-v5"), "verify") => with_input(input, kraken_v5::verify),
            (Some("kazoo-crossbar"), op) => kazoo(op, input),
            (Some("haivision-session"), op) => haivision(op, input),
            (scheme, op) => skipped(format!("{op:?} on scheme {scheme:?} is not implemented")),
        }
    };
    Response {
        seq: request.seq,
        outcome,
    }
}

/// The kazoo-crossbar ops.
fn kazoo(op: &str, input: Value) -> Outcome {
    use kazoo_crossbar as k;
    match op {
        "credentials" => with_input(input, k::credentials_op),
        "user-auth-request" => with_input(input, k::user_auth_request_op),
        "api-auth-request" => with_input(input, k::api_auth_request_op),
        "token-header" => with_input(input, k::token_header_op),
        "basic-header" => with_input(input, k::basic_header_op),
        "user-auth" => with_input(input, k::user_auth_op),
        "api-auth" => with_input(input, k::api_auth_op),
        "verify-token" => with_input(input, k::verify_token_op),
        "verify-basic" => with_input(input, k::verify_basic_op),
        other => skipped(format!(
            "{other:?} on scheme \"kazoo-crossbar\" is not implemented"
        )),
    }
}

/// The haivision-session ops.
fn haivision(op: &str, input: Value) -> Outcome {
    use haivision_session as h;
    match op {
        "login-request" => with_input(input, h::login_request_op),
        "parse-set-cookie" => with_input(input, h::parse_set_cookie_op),
        "cookie-header" => with_input(input, h::cookie_header_op),
        "login" => with_input(input, h::login_op),
        "authorize" => with_input(input, h::authorize_op),
        "logout" => with_input(input, h::logout_op),
        other => skipped(format!(
            "{other:?} on scheme \"haivision-session\" is not implemented"
        )),
    }
}

/// Reads an op's input into its typed shape and runs the op. An input that does not fit is answered `skipped`
/// with the reason: a corpus defect, which the `cargo test` run catches since the reference must skip nothing.
fn with_input<T: serde::de::DeserializeOwned>(input: Value, op: fn(T) -> Outcome) -> Outcome {
    match serde_json::from_value(input) {
        Ok(input) => op(input),
        Err(error) => skipped(format!("malformed input: {error}")),
    }
}

/// The `sign` result: the header fields to add, and the stages by their spec names.
fn signed(headers: &auth_core::Headers, stages: Vec<(&'static str, String)>) -> Outcome {
    let headers: Map<String, Value> = headers
        .iter()
        .map(|(name, value)| (name.to_owned(), Value::from(value)))
        .collect();
    Outcome::Result(serde_json::json!({ "headers": headers, "stages": stage_map(stages) }))
}

/// Stages by their spec names, as a result's `stages` object.
fn stage_map(stages: Vec<(&'static str, String)>) -> Map<String, Value> {
    stages
        .into_iter()
        .map(|(name, value)| (name.to_owned(), Value::from(value)))
        .collect()
}

/// A `skipped` outcome.
fn skipped(reason: String) -> Outcome {
    Outcome::Skipped(Skipped { reason })
}

/// An `error` outcome for a typed adapter error, with optional further fields.
fn refusal<E: HasErrorCode + std::fmt::Display>(error: &E, rest: Map<String, Value>) -> Outcome {
    Outcome::Error(ErrorBody {
        code: error.code().as_str().to_owned(),
        message: error.to_string(),
        rest,
    })
}
