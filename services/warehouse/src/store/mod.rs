//! SQL per aggregate (contract: api/warehouse.md §4). Functions taking a `PgConnection` run inside the
//! caller's transaction and take their locks in the one global order of §4.6: (1) `processed_events`,
//! (2) the `reservations` row, (3) `products` by id, (4) `warehouses` by id, (5) `warehouse_products` by
//! (product_id, warehouse_id).

pub mod movements;
pub mod outbox;
pub mod products;
pub mod reservations;
pub mod stock;
pub mod warehouses;

/// Serialises an absent id as the nil UUID, as the old fleet did (§2.1 "Movement").
pub(crate) fn nil_if_none<S: serde::Serializer>(
    id: &Option<uuid::Uuid>,
    s: S,
) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&id.unwrap_or_else(uuid::Uuid::nil), s)
}
