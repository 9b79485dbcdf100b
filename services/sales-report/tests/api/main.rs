//! Black-box tests of the sales-report service through HTTP against a fresh PostgreSQL database each
//! (api/sales-report.md §6, issue 9's acceptance checks): events are posted to `/internal/events` as the
//! order service would, admins read the list, the summary and the downloads.

mod access;
mod costs;
mod events;
mod list;
mod plan;
mod reports;
mod rollup;
mod summary;
mod support;
