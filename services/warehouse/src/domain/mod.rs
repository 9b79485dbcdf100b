//! Pure rules of the warehouse (contract: api/warehouse.md §2): zip codes and distance, the allocation of
//! an order over the nearest warehouses, reservation status transitions, and input checks.

pub mod allocation;
pub mod reservation;
pub mod validate;
pub mod zip;
