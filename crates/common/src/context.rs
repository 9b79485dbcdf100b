//! The request's identity, carried through a handler with a task-local: the request id (`x-request-id`) and
//! the W3C trace id, so that error bodies and outgoing calls can name them without threading them by hand.

use std::future::Future;

/// What the current request is known by.
#[derive(Clone, Debug)]
pub struct RequestContext {
    pub request_id: String,
    /// 32 lowercase hex digits (W3C trace-context).
    pub trace_id: String,
}

tokio::task_local! {
    static CONTEXT: RequestContext;
}

impl RequestContext {
    /// A context for work that did not come from a request (relays, jobs).
    pub fn fresh() -> Self {
        RequestContext {
            request_id: uuid::Uuid::new_v4().to_string(),
            trace_id: new_trace_id(),
        }
    }

    /// The context of the request being served, if any.
    pub fn current() -> Option<RequestContext> {
        CONTEXT.try_with(Clone::clone).ok()
    }

    /// Runs `fut` with this context as the current one.
    pub async fn scope<F: Future>(self, fut: F) -> F::Output {
        CONTEXT.scope(self, fut).await
    }

    /// A `traceparent` for an outgoing call: this trace, a new span id.
    pub fn outgoing_traceparent(&self) -> String {
        format!("00-{}-{}-01", self.trace_id, &new_trace_id()[..16])
    }
}

/// The current request id, or `None` outside a request.
pub fn current_request_id() -> Option<String> {
    RequestContext::current().map(|c| c.request_id)
}

pub(crate) fn new_trace_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The trace id of an incoming `traceparent` header (`00-<32 hex>-<16 hex>-<2 hex>`), when well formed.
pub fn trace_id_from_traceparent(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.trim().split('-').collect();
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    if parts.len() == 4
        && hex(parts[0], 2)
        && hex(parts[1], 32)
        && hex(parts[2], 16)
        && hex(parts[3], 2)
    {
        let id = parts[1].to_ascii_lowercase();
        (id != "0".repeat(32)).then_some(id)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_traceparent_gives_its_trace_id() {
        let tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(
            trace_id_from_traceparent(tp).as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
    }

    #[test]
    fn a_malformed_or_zero_traceparent_is_ignored() {
        assert_eq!(trace_id_from_traceparent("garbage"), None);
        assert_eq!(
            trace_id_from_traceparent(&format!("00-{}-00f067aa0ba902b7-01", "0".repeat(32))),
            None
        );
    }
}
