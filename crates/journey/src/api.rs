//! A small HTTP client for the journey: JSON in, the envelope out, with the caller's bearer token.

use std::time::Duration;

use serde_json::Value;

/// One answer: status, headers that matter, and the JSON body (`Value::Null` when not JSON).
#[derive(Debug, Clone)]
pub struct Res {
    pub status: u16,
    pub body: Value,
    pub retry_after: Option<String>,
    pub replayed: bool,
}

impl Res {
    /// `data` of the envelope.
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    /// Panics with the body unless the status is `want`.
    pub fn expect(self, want: u16, what: &str) -> Res {
        assert_eq!(self.status, want, "{what}: {}", self.body);
        self
    }
}

#[derive(Clone)]
pub struct Api {
    client: reqwest::Client,
}

impl Default for Api {
    fn default() -> Self {
        Api::new()
    }
}

impl Api {
    pub fn new() -> Api {
        Api {
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .expect("http client"),
        }
    }

    async fn finish(resp: reqwest::Response) -> Res {
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let replayed = resp
            .headers()
            .get("idempotent-replayed")
            .is_some_and(|v| v == "true");
        let bytes = resp.bytes().await.unwrap_or_default();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res {
            status,
            body,
            retry_after,
            replayed,
        }
    }

    fn with_token(rb: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
        match token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    pub async fn get(&self, url: &str, token: Option<&str>) -> Res {
        let rb = Self::with_token(self.client.get(url), token);
        Self::finish(rb.send().await.expect("GET sent")).await
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        token: Option<&str>,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut rb = Self::with_token(self.client.request(method, url), token).json(body);
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        Self::finish(rb.send().await.expect("request sent")).await
    }

    pub async fn post(&self, url: &str, token: Option<&str>, body: &Value) -> Res {
        self.send(reqwest::Method::POST, url, token, body, &[])
            .await
    }

    pub async fn patch(&self, url: &str, token: Option<&str>, body: &Value) -> Res {
        self.send(reqwest::Method::PATCH, url, token, body, &[])
            .await
    }

    pub async fn put(&self, url: &str, token: Option<&str>, body: &Value) -> Res {
        self.send(reqwest::Method::PUT, url, token, body, &[]).await
    }

    pub async fn delete(&self, url: &str, token: Option<&str>) -> Res {
        let rb = Self::with_token(self.client.delete(url), token);
        Self::finish(rb.send().await.expect("DELETE sent")).await
    }

    /// A `multipart/form-data` request (built by hand: text parts, then file parts).
    pub async fn multipart(
        &self,
        method: reqwest::Method,
        url: &str,
        token: Option<&str>,
        form: &Form,
    ) -> Res {
        let boundary = format!("journey-{}", uuid::Uuid::new_v4().simple());
        let rb = Self::with_token(self.client.request(method, url), token)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(form.encode(&boundary));
        Self::finish(rb.send().await.expect("multipart sent")).await
    }

    /// The raw answer (for file downloads and redirects).
    pub fn raw(&self) -> &reqwest::Client {
        &self.client
    }
}

/// A valid 1×1 PNG (image uploads are checked by content).
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// One part: its name, the file name and content type for a file part, the bytes.
type Part = (String, Option<(String, String)>, Vec<u8>);

/// The parts of a multipart form.
#[derive(Default, Clone)]
pub struct Form {
    parts: Vec<Part>,
}

impl Form {
    pub fn text(mut self, name: &str, value: &str) -> Form {
        self.parts
            .push((name.into(), None, value.as_bytes().to_vec()));
        self
    }

    pub fn file(mut self, name: &str, filename: &str, content_type: &str, bytes: &[u8]) -> Form {
        self.parts.push((
            name.into(),
            Some((filename.into(), content_type.into())),
            bytes.to_vec(),
        ));
        self
    }

    fn encode(&self, boundary: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, file, bytes) in &self.parts {
            out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match file {
                Some((filename, ct)) => out.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {ct}\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => out.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }
}
