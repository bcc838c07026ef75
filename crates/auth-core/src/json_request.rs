//! [`JsonRequest`]: a request a client is to send whose body is JSON, kept as a value so that conformance can
//! compare bodies structurally (key order and whitespace are the serializer's business, not the scheme's).

use serde_json::{Map, Value, json};

use crate::Request;

/// A request to send: method, path, headers and the JSON body as a value.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonRequest {
    /// The method (`POST`, `PUT`).
    pub method: &'static str,
    /// The path.
    pub path: &'static str,
    /// The headers, `Content-Type: application/json` first.
    pub headers: Vec<(&'static str, String)>,
    /// The body as a JSON value.
    pub json: Value,
}

impl JsonRequest {
    /// A request with `Content-Type: application/json` and `json` as its body.
    pub fn new(method: &'static str, path: &'static str, json: Value) -> Self {
        JsonRequest {
            method,
            path,
            headers: vec![("Content-Type", "application/json".to_owned())],
            json,
        }
    }

    /// The testee-protocol shape: `{"method","path","headers":{..},"json":..}`.
    pub fn to_json(&self) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Value::from(value.as_str())))
            .collect();
        json!({"method": self.method, "path": self.path, "headers": headers, "json": self.json})
    }

    /// The request with its body serialized as compact JSON.
    pub fn to_request(&self) -> Request {
        let mut request = Request::new(self.method, self.path);
        for (name, value) in &self.headers {
            request.headers.append(*name, value.as_str());
        }
        request.body = self.json.to_string().into_bytes();
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_and_shape() {
        let request = JsonRequest::new("PUT", "/v2/x", json!({"data": {"a": 1}}));
        assert_eq!(
            request.to_json()["headers"],
            json!({"Content-Type": "application/json"})
        );
        let wire = request.to_request();
        assert_eq!(wire.body, br#"{"data":{"a":1}}"#);
        assert_eq!(wire.media_type().as_deref(), Some("application/json"));
    }
}
