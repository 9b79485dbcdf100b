//! Counts the DynamoDB reads of the catalogue tables (`product_dynamodb_reads_total`, api/product.md §4.5),
//! through an SDK interceptor so no call site can forget it: a hot catalogue read must not move it. The
//! relay's polling of the outbox table is not a catalogue read and is left out.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use aws_sdk_dynamodb::config::interceptors::BeforeSerializationInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept};
use aws_sdk_dynamodb::operation::{
    batch_get_item::BatchGetItemInput, get_item::GetItemInput, query::QueryInput, scan::ScanInput,
};

/// The metric name of the contract.
pub const READS_METRIC: &str = "product_dynamodb_reads_total";

/// Counts GetItem, BatchGetItem, Query and Scan executions (retries are one call), except on `excluded`.
#[derive(Clone, Debug, Default)]
pub struct ReadCounter {
    reads: Arc<AtomicU64>,
    excluded: Arc<Vec<String>>,
}

impl ReadCounter {
    /// A counter that ignores reads of `excluded` tables (the outbox).
    pub fn excluding(excluded: &[&str]) -> Self {
        ReadCounter {
            reads: Arc::default(),
            excluded: Arc::new(excluded.iter().map(|t| t.to_string()).collect()),
        }
    }

    fn counts(&self, table: Option<&str>) -> bool {
        !table.is_some_and(|t| self.excluded.iter().any(|e| e == t))
    }

    /// Reads made by clients carrying this counter.
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::Relaxed)
    }
}

impl Intercept for ReadCounter {
    fn name(&self) -> &'static str {
        "ReadCounter"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let input = context.input();
        let (operation, table) = if let Some(i) = input.downcast_ref::<GetItemInput>() {
            ("GetItem", i.table_name())
        } else if let Some(i) = input.downcast_ref::<BatchGetItemInput>() {
            let table = i
                .request_items()
                .and_then(|r| r.keys().next())
                .map(String::as_str);
            ("BatchGetItem", table)
        } else if let Some(i) = input.downcast_ref::<QueryInput>() {
            ("Query", i.table_name())
        } else if let Some(i) = input.downcast_ref::<ScanInput>() {
            ("Scan", i.table_name())
        } else {
            return Ok(());
        };
        if !self.counts(table) {
            return Ok(());
        }
        self.reads.fetch_add(1, Ordering::Relaxed);
        metrics::counter!(READS_METRIC, "operation" => operation).increment(1);
        Ok(())
    }
}
