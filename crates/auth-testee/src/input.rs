//! Input shapes shared by several schemes' ops (`spec/testee-protocol.md`).
//!
//! A request is rebuilt exactly as the vector gives it: the path stays as written (a `?` in it is the
//! adapter's to refuse, never silently split off), the query is the separate `query` member.

use std::collections::BTreeMap;

use auth_core::{NonceStore, Request};
use serde::Deserialize;

/// `request`: what goes on the wire.
#[derive(Deserialize)]
pub(crate) struct HttpRequest {
    method: String,
    path: String,
    #[serde(default)]
    query: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: String,
}

impl HttpRequest {
    /// The sans-IO request, bytes as given.
    pub(crate) fn into_request(self) -> Request {
        let mut request = Request::new(self.method, self.path);
        request.query = self.query;
        for (name, value) in self.headers {
            request.headers.append(name, value);
        }
        request.body = self.body.into_bytes();
        request
    }
}

/// One of `accepted_nonces`: a nonce the server accepted before the request under test.
#[derive(Deserialize)]
pub(crate) struct AcceptedNonce {
    api_key: String,
    nonce: String,
}

/// Records `accepted` into `store` in order, as the server would have; a nonce the store refuses (or that is
/// not canonical decimal) means the vector's server state is inconsistent, reported as `Err` with the nonce.
pub(crate) fn preload(
    store: &dyn NonceStore,
    accepted: &[AcceptedNonce],
    parse: fn(&[u8]) -> Option<u64>,
) -> Result<(), String> {
    for entry in accepted {
        let recorded = parse(entry.nonce.as_bytes())
            .map(|nonce| store.check_and_record(&entry.api_key, nonce));
        if !matches!(recorded, Some(Ok(()))) {
            return Err(entry.nonce.clone());
        }
    }
    Ok(())
}
