//! X1's consistent reads, coalesced: lookups that arrive while the store is busy share one `BatchGetItem`.
//!
//! Every lookup is still a consistent read issued *after* the lookup arrived, so it sees every write
//! acknowledged before it (api/product.md §2.10 keeps its guarantee). What changes is the number of calls:
//! at most [`IN_FLIGHT`] batches are in flight; lookups arriving meanwhile queue up and leave together in
//! the next batch (up to [`MAX_KEYS`] distinct ids, the `BatchGetItem` limit). An idle service therefore
//! sends each lookup at once, a busy one sends fewer, fuller calls — checkout bursts no longer cost one
//! round trip per cart line or per order.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::Client;
use tokio::sync::{mpsc, oneshot, Semaphore};
use uuid::Uuid;

use super::products;
use super::StoreError;
use crate::domain::records::ProductRecord;

/// The `BatchGetItem` key limit.
pub const MAX_KEYS: usize = 100;
/// Batches in flight at once; further lookups wait and are merged.
pub const IN_FLIGHT: usize = 4;

type Found = Arc<HashMap<Uuid, ProductRecord>>;

struct Pending {
    ids: Vec<Uuid>,
    reply: oneshot::Sender<Result<Found, String>>,
}

/// A handle to the coalescing reader; clones share one queue.
#[derive(Clone)]
pub struct Lookups {
    queue: mpsc::UnboundedSender<Pending>,
}

impl Lookups {
    /// Starts the reader on the current runtime; it stops when the last handle is dropped.
    pub fn start(dynamodb: Client, table: String) -> Lookups {
        let (queue, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(dynamodb, table, rx));
        Lookups { queue }
    }

    /// The products among `ids` (at most [`MAX_KEYS`], distinct) in the order of `ids`, read consistently;
    /// unknown ids are absent, deleted products included.
    pub async fn get(&self, ids: &[Uuid]) -> Result<Vec<ProductRecord>, StoreError> {
        debug_assert!(ids.len() <= MAX_KEYS);
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending {
                ids: ids.to_vec(),
                reply,
            })
            .map_err(|_| StoreError::Unavailable("the lookup reader has stopped".into()))?;
        let found = answer
            .await
            .map_err(|_| StoreError::Unavailable("the lookup reader has stopped".into()))?
            .map_err(StoreError::Unavailable)?;
        Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
    }
}

async fn run(dynamodb: Client, table: String, mut rx: mpsc::UnboundedReceiver<Pending>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut carried: Option<Pending> = None;
    loop {
        let first = match carried.take() {
            Some(p) => p,
            None => match rx.recv().await {
                Some(p) => p,
                None => return,
            },
        };
        // Wait for a free slot *before* collecting: whatever arrives while every slot is busy joins this
        // batch.
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let mut batch = vec![first];
        let mut keys: Vec<Uuid> = Vec::new();
        merge(&mut keys, &batch[0].ids);
        while let Ok(next) = rx.try_recv() {
            if union_len(&keys, &next.ids) > MAX_KEYS {
                carried = Some(next);
                break;
            }
            merge(&mut keys, &next.ids);
            batch.push(next);
        }
        let (dynamodb, table) = (dynamodb.clone(), table.clone());
        tokio::spawn(async move {
            let result = products::batch_get(&dynamodb, &table, &keys)
                .await
                .map(|records| Arc::new(records.into_iter().map(|p| (p.id, p)).collect()))
                .map_err(|e| match e {
                    StoreError::Unavailable(detail) => detail,
                    other => format!("{other:?}"),
                });
            for pending in batch {
                let _ = pending.reply.send(result.clone());
            }
            drop(slot);
        });
    }
}

fn merge(keys: &mut Vec<Uuid>, ids: &[Uuid]) {
    for id in ids {
        if !keys.contains(id) {
            keys.push(*id);
        }
    }
}

fn union_len(keys: &[Uuid], ids: &[Uuid]) -> usize {
    keys.len() + ids.iter().filter(|id| !keys.contains(id)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    #[test]
    fn merged_keys_stay_distinct_and_the_union_is_counted_once() {
        let mut keys = vec![id(1), id(2)];
        assert_eq!(union_len(&keys, &[id(2), id(3)]), 3);
        merge(&mut keys, &[id(2), id(3), id(3)]);
        assert_eq!(keys, [id(1), id(2), id(3)]);
    }
}
