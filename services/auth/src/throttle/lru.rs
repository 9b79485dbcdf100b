//! A map bounded to a number of keys that evicts the least recently used one, so counters keyed by
//! client-chosen values cannot grow without bound (api/auth.md §4.5: ≤ 100 000 keys).

use std::collections::{BTreeMap, HashMap};

pub struct BoundedMap<V> {
    capacity: usize,
    tick: u64,
    entries: HashMap<String, (u64, V)>,
    by_use: BTreeMap<u64, String>,
}

impl<V: Default> BoundedMap<V> {
    pub fn new(capacity: usize) -> Self {
        BoundedMap {
            capacity: capacity.max(1),
            tick: 0,
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
        }
    }

    /// The value of `key` (created empty when missing), marked as just used.
    pub fn entry(&mut self, key: &str) -> &mut V {
        self.tick += 1;
        let tick = self.tick;
        if let Some((used, _)) = self.entries.get(key) {
            self.by_use.remove(used);
        } else if self.entries.len() >= self.capacity {
            if let Some((_, oldest)) = self.by_use.pop_first() {
                self.entries.remove(&oldest);
            }
        }
        self.by_use.insert(tick, key.to_string());
        let slot = self
            .entries
            .entry(key.to_string())
            .or_insert_with(|| (tick, V::default()));
        slot.0 = tick;
        &mut slot.1
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key).map(|(_, v)| v)
    }

    pub fn remove(&mut self, key: &str) {
        if let Some((used, _)) = self.entries.remove(key) {
            self.by_use.remove(&used);
        }
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_recently_used_key_is_evicted_at_capacity() {
        let mut map = BoundedMap::<u32>::new(2);
        *map.entry("a") = 1;
        *map.entry("b") = 2;
        *map.entry("a") += 1; // "b" is now the least recently used
        *map.entry("c") = 3;
        assert_eq!(map.len(), 2);
        assert_eq!(map.get("a"), Some(&2));
        assert_eq!(map.get("b"), None);
        assert_eq!(map.get("c"), Some(&3));
        map.remove("a");
        assert_eq!(map.len(), 1);
    }
}
