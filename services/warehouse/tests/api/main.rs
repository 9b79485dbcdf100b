//! Black-box tests of the warehouse service through HTTP (issue 5's acceptance checks and
//! api/warehouse.md §7): each test has its own database, token issuer and stub product service.

mod access;
mod conservation;
mod events;
mod lists;
mod movements;
mod relay;
mod reservations;
mod support;
mod warehouses;
