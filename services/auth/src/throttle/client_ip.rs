//! The client address behind the Next servers (api/auth.md §4.5): the `TRUSTED_PROXY_HOPS`-th entry of
//! `X-Forwarded-For` from the right, or the TCP peer when hops = 0 or the header is absent.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::AppState;

/// The caller's address as the rate limits see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientIp(pub String);

/// Picks the client address. Several `X-Forwarded-For` headers count as one list, in order. With fewer
/// entries than hops the leftmost is used; an entry that is no IP address falls back to the peer.
pub fn client_ip(headers: &HeaderMap, peer: Option<IpAddr>, hops: usize) -> String {
    let peer = || peer.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
    if hops == 0 {
        return peer();
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    if entries.is_empty() {
        return peer();
    }
    let index = entries.len().saturating_sub(hops);
    entries[index]
        .parse::<IpAddr>()
        .map_or_else(|_| peer(), |ip| ip.to_string())
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(client_ip(
            &parts.headers,
            peer,
            state.throttles.trusted_proxy_hops(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append("x-forwarded-for", v.parse().unwrap());
        }
        map
    }

    #[test]
    fn the_nth_address_from_the_right_is_the_client() {
        let peer = Some("10.0.0.9".parse().unwrap());
        let h = headers(&["203.0.113.7, 10.0.0.2"]);
        assert_eq!(client_ip(&h, peer, 1), "10.0.0.2");
        assert_eq!(client_ip(&h, peer, 2), "203.0.113.7");
        assert_eq!(client_ip(&h, peer, 3), "203.0.113.7");
        assert_eq!(client_ip(&h, peer, 0), "10.0.0.9");
        let split = headers(&["198.51.100.1", "203.0.113.7"]);
        assert_eq!(client_ip(&split, peer, 1), "203.0.113.7");
    }

    #[test]
    fn without_a_usable_header_the_peer_is_the_client() {
        let peer = Some("10.0.0.9".parse().unwrap());
        assert_eq!(client_ip(&HeaderMap::new(), peer, 1), "10.0.0.9");
        assert_eq!(client_ip(&headers(&["not-an-ip"]), peer, 1), "10.0.0.9");
        assert_eq!(client_ip(&HeaderMap::new(), None, 1), "unknown");
    }
}
