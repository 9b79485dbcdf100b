//! A small multipart/form-data writer for the tests (the workspace's reqwest is built without its
//! `multipart` feature), with reqwest's `Form`/`Part` names so tests read the same.

/// One part: a name, optional filename and type, and the raw bytes.
pub struct Part {
    bytes: Vec<u8>,
    file_name: Option<String>,
    mime: Option<String>,
}

impl Part {
    pub fn bytes(bytes: Vec<u8>) -> Part {
        Part {
            bytes,
            file_name: None,
            mime: None,
        }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Part {
        self.file_name = Some(name.into());
        self
    }

    pub fn mime_str(mut self, mime: &str) -> Result<Part, std::convert::Infallible> {
        self.mime = Some(mime.to_string());
        Ok(self)
    }
}

#[derive(Default)]
pub struct Form {
    parts: Vec<(String, Part)>,
}

pub const BOUNDARY: &str = "----eshop-test-boundary-7f3a9c";

impl Form {
    pub fn new() -> Form {
        Form::default()
    }

    pub fn text(self, name: &str, value: impl Into<String>) -> Form {
        self.part(name, Part::bytes(value.into().into_bytes()))
    }

    pub fn part(mut self, name: &str, part: Part) -> Form {
        self.parts.push((name.to_string(), part));
        self
    }

    /// The encoded body.
    pub fn body(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, part) in &self.parts {
            out.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{name}\"");
            if let Some(file) = &part.file_name {
                disposition.push_str(&format!("; filename=\"{file}\""));
            }
            out.extend_from_slice(disposition.as_bytes());
            out.extend_from_slice(b"\r\n");
            if let Some(mime) = &part.mime {
                out.extend_from_slice(format!("Content-Type: {mime}\r\n").as_bytes());
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(&part.bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }
}

/// `.multipart(form)` on a request.
pub trait MultipartExt {
    fn multipart(self, form: Form) -> Self;
}

impl MultipartExt for reqwest::RequestBuilder {
    fn multipart(self, form: Form) -> Self {
        self.header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(form.body())
    }
}
