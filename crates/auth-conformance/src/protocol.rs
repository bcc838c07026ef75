//! Testee protocol version 1: the message types, exactly as `spec/testee-protocol.md` defines them.
//!
//! UTF-8 JSON Lines over a testee's stdin/stdout. The runner sends a `hello` first, then one request per vector;
//! the testee answers each request with exactly one response line, in order. Every implementation, ours included,
//! is driven through these types and nothing else.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The protocol version this crate speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// The `op` of the handshake request.
pub const HELLO_OP: &str = "hello";

/// A request from the runner to a testee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Sequence number; `0` is the handshake, then 1, 2, ... in order.
    pub seq: u64,
    /// The operation (`hello`, `sign`, `verify`, ...).
    pub op: String,
    /// Protocol version, sent with `hello` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<u32>,
    /// The vector id, for the testee's logs (absent on `hello`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The scheme id (absent on `hello`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// The op's input (absent on `hello`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
}

impl Request {
    /// The handshake request.
    pub fn hello() -> Self {
        Request {
            seq: 0,
            op: HELLO_OP.to_owned(),
            protocol: Some(PROTOCOL_VERSION),
            id: None,
            scheme: None,
            input: None,
        }
    }

    /// A request for one vector.
    pub fn op(seq: u64, id: &str, scheme: &str, op: &str, input: Value) -> Self {
        Request {
            seq,
            op: op.to_owned(),
            protocol: None,
            id: Some(id.to_owned()),
            scheme: Some(scheme.to_owned()),
            input: Some(input),
        }
    }
}

/// A response from a testee: the echoed `seq` and exactly one outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The request's sequence number, echoed.
    pub seq: u64,
    /// What the testee answered.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The three answers a testee may give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The op succeeded; the object is op-specific (for `sign`, `headers` and optional `stages`).
    Result(Value),
    /// The op was refused (a sign-side refusal or a verify-side rejection), with a stable error code.
    Error(ErrorBody),
    /// The testee does not implement this op or input; counted as skipped, never as passed.
    Skipped(Skipped),
}

/// The `error` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable error code from `spec/error-codes.md`.
    pub code: String,
    /// Human-readable message; never compared.
    #[serde(default)]
    pub message: String,
    /// Further op-specific fields (for `verify`, the vendor's wire `response`).
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// The `skipped` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// Why the testee skipped the request.
    pub reason: String,
}

/// The handshake's result: who the testee is and which schemes it implements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Implementation name.
    pub name: String,
    /// Implementation version.
    pub version: String,
    /// Scheme ids the testee implements; vectors of other schemes are not sent and count as skipped.
    pub schemes: Vec<String>,
}
