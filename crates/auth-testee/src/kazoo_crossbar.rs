//! `kazoo-crossbar` ops: the client side (`credentials`, `user-auth-request`, `api-auth-request`,
//! `token-header`, `basic-header`) and the server side (`user-auth`, `api-auth`, `verify-token`,
//! `verify-basic`), mapping protocol inputs onto `auth-kazoo`.
//!
//! Server ops carry the whole server (registry, signing key, meta, `server_time`) in their input, so scenarios
//! chain them without any session state here.

use auth_conformance::protocol::Outcome;
use auth_kazoo::{
    AccountSelector, HashMethod, KazooError, Server, ServerConfig, api_auth_request, basic_header,
    credentials, token_header, user_auth_request,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::input::HttpRequest;
use crate::{refusal, skipped, stage_map};

#[derive(Deserialize)]
pub(crate) struct CredentialsInput {
    username: String,
    password: String,
    method: String,
}

pub(crate) fn credentials_op(input: CredentialsInput) -> Outcome {
    match HashMethod::from_wire(&input.method) {
        Ok(method) => Outcome::Result(
            json!({ "credentials": credentials(&input.username, &input.password, method) }),
        ),
        Err(error) => refusal(&error, Map::new()),
    }
}

#[derive(Deserialize)]
pub(crate) struct UserAuthRequestInput {
    username: String,
    password: String,
    method: String,
    account: Value,
}

pub(crate) fn user_auth_request_op(input: UserAuthRequestInput) -> Outcome {
    let built = HashMethod::from_wire(&input.method).and_then(|method| {
        let account = AccountSelector::from_json(&input.account)?;
        Ok(user_auth_request(
            &input.username,
            &input.password,
            method,
            &account,
        ))
    });
    match built {
        Ok(request) => Outcome::Result(json!({ "request": request.to_json() })),
        Err(error) => refusal(&error, Map::new()),
    }
}

#[derive(Deserialize)]
pub(crate) struct ApiAuthRequestInput {
    api_key: String,
}

pub(crate) fn api_auth_request_op(input: ApiAuthRequestInput) -> Outcome {
    match api_auth_request(&input.api_key) {
        Ok(request) => Outcome::Result(json!({ "request": request.to_json() })),
        Err(error) => refusal(&error, Map::new()),
    }
}

#[derive(Deserialize)]
pub(crate) struct TokenHeaderInput {
    auth_token: String,
}

pub(crate) fn token_header_op(input: TokenHeaderInput) -> Outcome {
    let (name, value) = token_header(&input.auth_token);
    Outcome::Result(json!({ "headers": { name: value } }))
}

#[derive(Deserialize)]
pub(crate) struct BasicHeaderInput {
    account_id: String,
    username: String,
    password: String,
}

pub(crate) fn basic_header_op(input: BasicHeaderInput) -> Outcome {
    let header = basic_header(&input.account_id, &input.username, &input.password);
    let stages = header
        .stages()
        .iter()
        .map(|(name, value)| (*name, (*value).to_owned()))
        .collect();
    Outcome::Result(
        json!({ "headers": { header.name(): header.authorization }, "stages": stage_map(stages) }),
    )
}

#[derive(Deserialize)]
pub(crate) struct ServerInput {
    server: ServerConfig,
    request: HttpRequest,
}

/// Runs a server op: a server that cannot be built from the input is a corpus defect (`skipped`); a rejection is
/// an `error` with the code and Kazoo's envelope.
fn serve(
    input: ServerInput,
    op: impl FnOnce(&Server<auth_core::ManualClock>, &auth_core::Request) -> Result<Value, KazooError>,
) -> Outcome {
    let server = match Server::from_config(&input.server) {
        Ok(server) => server,
        Err(error) => return skipped(format!("server state cannot be built: {error}")),
    };
    match op(&server, &input.request.into_request()) {
        Ok(result) => Outcome::Result(result),
        Err(error) => {
            let mut rest = Map::new();
            rest.insert(
                "response".to_owned(),
                json!({ "status": error.status(), "body": error.envelope(server.meta()) }),
            );
            refusal(&error, rest)
        }
    }
}

fn login(success: auth_kazoo::Success) -> Value {
    let stages = success
        .token
        .stages()
        .iter()
        .map(|(name, value)| (*name, (*value).to_owned()))
        .collect();
    json!({ "response": { "status": success.status, "body": success.body }, "stages": stage_map(stages) })
}

pub(crate) fn user_auth_op(input: ServerInput) -> Outcome {
    serve(input, |server, request| {
        server.user_auth(request).map(login)
    })
}

pub(crate) fn api_auth_op(input: ServerInput) -> Outcome {
    serve(input, |server, request| server.api_auth(request).map(login))
}

pub(crate) fn verify_token_op(input: ServerInput) -> Outcome {
    serve(input, |server, request| {
        server.verify_token(request).map(|principal| {
            json!({ "account_id": principal.account_id, "owner_id": principal.owner_id, "method": principal.method })
        })
    })
}

pub(crate) fn verify_basic_op(input: ServerInput) -> Outcome {
    serve(input, |server, request| {
        server
            .verify_basic(request)
            .map(|principal| json!({ "account_id": principal.account_id, "owner_id": principal.owner_id }))
    })
}
