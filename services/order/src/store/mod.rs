//! SQL per aggregate: orders with their lines, allocations, address and history (`orders`), status
//! transitions with their outbox rows (`transitions`), idempotent checkout keys (`checkouts`).

pub mod checkouts;
pub mod orders;
pub mod transitions;
