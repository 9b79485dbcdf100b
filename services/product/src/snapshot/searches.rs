//! P1 search-mode bodies, kept per snapshot generation (contract: api/product.md §2.2, §4.5): a search is a
//! pure function of the catalogue and its parameters, so a repeated query (the shop's popular searches,
//! every page of a category) is answered with the bytes built the first time until the catalogue changes.
//! Bounded by total size; when full it starts over.

use std::collections::HashMap;

use bytes::Bytes;

use crate::domain::search::Search;

/// At most this many body bytes are kept (a full 100-product page is about 60 KiB).
pub const MAX_BYTES: usize = 2 * 1024 * 1024;

#[derive(Default)]
pub struct SearchBodies {
    generation: u64,
    bytes: usize,
    bodies: HashMap<Search, Bytes>,
}

impl SearchBodies {
    /// The body kept for `search` at `generation`, if any.
    pub fn get(&mut self, generation: u64, search: &Search) -> Option<Bytes> {
        if generation != self.generation {
            self.reset(generation);
            return None;
        }
        self.bodies.get(search).cloned()
    }

    /// Keeps `body` for `search` if it was built from `generation` (the current one).
    pub fn put(&mut self, generation: u64, search: Search, body: Bytes) {
        if generation != self.generation {
            if generation < self.generation {
                return;
            }
            self.reset(generation);
        }
        if body.len() > MAX_BYTES {
            return;
        }
        if self.bytes + body.len() > MAX_BYTES {
            self.reset(generation);
        }
        self.bytes += body.len();
        if let Some(old) = self.bodies.insert(search, body) {
            self.bytes -= old.len();
        }
    }

    fn reset(&mut self, generation: u64) {
        self.generation = generation;
        self.bytes = 0;
        self.bodies.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> Search {
        Search {
            q: Some(q.into()),
            ..Search::default()
        }
    }

    #[test]
    fn a_body_is_served_only_for_its_generation_and_parameters() {
        let mut kept = SearchBodies::default();
        kept.put(1, query("car"), Bytes::from_static(b"cars"));
        assert_eq!(kept.get(1, &query("car")).as_deref(), Some(&b"cars"[..]));
        assert_eq!(kept.get(1, &query("bike")), None);
        assert_eq!(
            kept.get(2, &query("car")),
            None,
            "a new generation drops it"
        );
        kept.put(1, query("car"), Bytes::from_static(b"old"));
        assert_eq!(
            kept.get(2, &query("car")),
            None,
            "a body of an older generation is not kept"
        );
    }

    #[test]
    fn the_total_size_stays_bounded() {
        let mut kept = SearchBodies::default();
        let page = Bytes::from(vec![b'x'; MAX_BYTES / 3 + 1]);
        for q in ["a", "b", "c", "d"] {
            kept.put(1, query(q), page.clone());
            assert!(kept.bytes <= MAX_BYTES);
        }
        assert!(kept.get(1, &query("d")).is_some());
        assert!(kept.get(1, &query("a")).is_none(), "started over when full");
    }
}
