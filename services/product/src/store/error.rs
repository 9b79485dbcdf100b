//! Store failures as the routes see them: a condition that did not hold, or the store being unavailable.

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use eshop_common::AppError;

#[derive(Debug)]
pub enum StoreError {
    /// A transaction was cancelled; one code per write, in order (`None` = that write was fine).
    Cancelled(Vec<Option<String>>),
    /// A single conditional write failed its condition.
    ConditionFailed,
    /// Anything else: the store is unreachable or answered an error (detail for the log only).
    Unavailable(String),
}

impl StoreError {
    pub fn from_sdk<E, R>(err: SdkError<E, R>) -> StoreError
    where
        E: std::error::Error + ProvideErrorMetadata + Send + Sync + 'static,
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        if err.as_service_error().and_then(|e| e.code()) == Some("ConditionalCheckFailedException")
        {
            return StoreError::ConditionFailed;
        }
        StoreError::Unavailable(DisplayErrorContext(err).to_string())
    }

    pub fn from_transaction<R>(err: SdkError<TransactWriteItemsError, R>) -> StoreError
    where
        R: std::fmt::Debug + Send + Sync + 'static,
    {
        if let Some(TransactWriteItemsError::TransactionCanceledException(ex)) =
            err.as_service_error()
        {
            return StoreError::Cancelled(
                ex.cancellation_reasons()
                    .iter()
                    .map(|r| r.code().filter(|c| *c != "None").map(str::to_string))
                    .collect(),
            );
        }
        StoreError::Unavailable(DisplayErrorContext(err).to_string())
    }

    /// Whether write `index` of a cancelled transaction failed its condition.
    pub fn failed_at(&self, index: usize) -> bool {
        match self {
            StoreError::Cancelled(codes) => codes
                .get(index)
                .is_some_and(|c| c.as_deref() == Some("ConditionalCheckFailed")),
            _ => false,
        }
    }
}

impl From<StoreError> for AppError {
    /// Conditions the route did not turn into a 4xx are a conflict with a concurrent writer; the rest 503.
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Cancelled(codes)
                if codes.iter().flatten().any(|c| c == "TransactionConflict") =>
            {
                AppError::conflict("a concurrent change got there first; try again")
            }
            StoreError::Cancelled(_) | StoreError::ConditionFailed => {
                AppError::conflict("the catalogue changed meanwhile; try again")
            }
            StoreError::Unavailable(detail) => {
                AppError::unavailable("the catalogue store is unavailable", detail)
            }
        }
    }
}
