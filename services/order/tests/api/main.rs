//! Black-box tests of the order service (api/order.md §7, issue 7): the real service on port 0 against a
//! fresh PostgreSQL database, with product, warehouse and sales-report stood up as small stubs.

mod access;
mod checkout;
mod lifecycle;
mod listing;
mod outbox;
mod payments;
mod stubs;
mod support;
mod sweeper;
mod warehouse_stub;
