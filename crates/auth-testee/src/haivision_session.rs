//! `haivision-session` ops: the client side (`login-request`, `parse-set-cookie`, `cookie-header`) and the
//! server side (`login`, `authorize`, `logout`), mapping protocol inputs onto `auth-haivision`.
//!
//! Server ops build their server from the input (users, the session store as the scenario carries it, `now`);
//! the request's `scheme` says whether it came over HTTPS.

use std::collections::BTreeMap;
use std::str::FromStr;

use auth_conformance::protocol::Outcome;
use auth_core::Request;
use auth_haivision::{
    CookieJar, HaivError, JarCookie, Role, Server, ServerConfig, login_request, parse_time,
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::{refusal, skipped};

#[derive(Deserialize)]
pub(crate) struct LoginRequestInput {
    username: String,
    password: String,
}

pub(crate) fn login_request_op(input: LoginRequestInput) -> Outcome {
    Outcome::Result(json!({ "request": login_request(&input.username, &input.password).to_json() }))
}

#[derive(Deserialize)]
pub(crate) struct ParseSetCookieInput {
    origin: String,
    set_cookie: Vec<String>,
    #[serde(default)]
    jar: Vec<JarCookie>,
    now: String,
}

pub(crate) fn parse_set_cookie_op(input: ParseSetCookieInput) -> Outcome {
    let Ok(now) = parse_time(&input.now) else {
        return skipped(format!("now {:?} is not RFC 3339", input.now));
    };
    let mut jar = CookieJar::from_entries(input.jar);
    match jar.apply_set_cookies(
        &input.origin,
        input.set_cookie.iter().map(String::as_str),
        now,
    ) {
        Ok(_) => Outcome::Result(json!({ "jar": jar.to_json() })),
        Err(error) => skipped(format!("input the jar cannot take: {error}")),
    }
}

#[derive(Deserialize)]
pub(crate) struct CookieHeaderInput {
    url: String,
    jar: Vec<JarCookie>,
    now: String,
}

pub(crate) fn cookie_header_op(input: CookieHeaderInput) -> Outcome {
    let Ok(now) = parse_time(&input.now) else {
        return skipped(format!("now {:?} is not RFC 3339", input.now));
    };
    match CookieJar::from_entries(input.jar).cookie_header(&input.url, now) {
        Ok(Some(value)) => Outcome::Result(json!({ "headers": { "Cookie": value } })),
        Ok(None) => Outcome::Result(json!({ "headers": {} })),
        Err(error) => skipped(format!("input the jar cannot take: {error}")),
    }
}

/// A received request as the haivision server ops describe it: the transport `scheme` and a body that may be
/// null.
#[derive(Deserialize)]
pub(crate) struct ServerRequest {
    method: String,
    path: String,
    scheme: String,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<String>,
}

impl ServerRequest {
    fn into_parts(self) -> (Request, bool) {
        let mut request = Request::new(self.method, self.path);
        for (name, value) in self.headers {
            request.headers.append(name, value);
        }
        request.body = self.body.unwrap_or_default().into_bytes();
        (request, self.scheme == "https")
    }
}

#[derive(Deserialize)]
pub(crate) struct ServerInput {
    server: ServerConfig,
    request: ServerRequest,
    #[serde(default)]
    required_role: Option<String>,
}

/// Runs a server op; a server that cannot be built from the input is a corpus defect (`skipped`), a rejection
/// is an `error` with the code and the answer.
fn serve(
    input: ServerInput,
    op: impl FnOnce(
        &Server<auth_haivision::MemorySessionStore, auth_core::ManualClock>,
        &Request,
        bool,
        Option<Role>,
    ) -> Result<Value, HaivError>,
) -> Outcome {
    let server = match Server::from_config(&input.server) {
        Ok(server) => server,
        Err(error) => return skipped(format!("server state cannot be built: {error}")),
    };
    let required = match input.required_role.as_deref().map(Role::from_str) {
        None => None,
        Some(Ok(role)) => Some(role),
        Some(Err(_)) => return skipped(format!("unknown required_role {:?}", input.required_role)),
    };
    let (request, secure) = input.request.into_parts();
    match op(&server, &request, secure, required) {
        Ok(result) => Outcome::Result(result),
        Err(error) => {
            let mut rest = Map::new();
            rest.insert("response".to_owned(), error.response().to_json());
            refusal(&error, rest)
        }
    }
}

pub(crate) fn login_op(input: ServerInput) -> Outcome {
    serve(input, |server, request, secure, _| {
        server
            .login(request, secure)
            .map(|ok| json!({ "response": ok.response.to_json(), "session": ok.session.to_json() }))
    })
}

pub(crate) fn authorize_op(input: ServerInput) -> Outcome {
    serve(input, |server, request, secure, required| {
        server.authorize(request, secure, required.unwrap_or(Role::User)).map(|ok| {
            json!({ "username": ok.username, "role": ok.role, "session": ok.session.to_json() })
        })
    })
}

pub(crate) fn logout_op(input: ServerInput) -> Outcome {
    serve(input, |server, request, secure, _| {
        server.logout(request, secure).map(|ok| {
            json!({ "response": ok.response.to_json(), "session_dropped": ok.session_dropped })
        })
    })
}
