#![doc = include_str!("../README.md")]

mod input;
mod kraken_futures;
mod kraken_spot;

use auth_conformance::protocol::{
    ErrorBody, HELLO_OP, Hello, Outcome, PROTOCOL_VERSION, Request, Response, Skipped,
};
use auth_core::HasErrorCode;
use serde_json::{Map, Value};

/// The name this testee gives in its hello.
pub const NAME: &str = "authspec-reference";

/// The schemes this testee implements.
pub const SCHEMES: &[&str] = &["kraken-spot", "kraken-futures"];

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
            (Some("kraken-spot"), "sign") => kraken_spot::sign(input),
            (Some("kraken-spot"), "verify") => kraken_spot::verify(input),
            (Some("kraken-futures"), "sign") => kraken_futures::sign(input),
            (Some("kraken-futures"), "ws-challenge") => kraken_futures::ws_challenge(input),
            (Some("kraken-futures"), "verify") => kraken_futures::verify(input),
            (Some("kraken-futures"), "ws-verify") => kraken_futures::ws_verify(input),
            (scheme, op) => skipped(format!("{op:?} on scheme {scheme:?} is not implemented")),
        }
    };
    Response {
        seq: request.seq,
        outcome,
    }
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
