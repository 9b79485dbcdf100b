//! Spreading an order over the nearest warehouses (contract: api/warehouse.md §2.5 X1): per product, live
//! warehouses holding stock sorted by distance (ties: main first, then smaller id), taking
//! min(available, remaining) from each; all or nothing.

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

use super::zip::CustomerZip;

/// One requested line: `items[index]` of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub index: usize,
    pub product_id: Uuid,
    pub quantity: i32,
}

/// A stock row that may serve a product: its warehouse and what it has available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub warehouse_id: Uuid,
    pub zip_code: String,
    pub is_main: bool,
    pub available: i32,
}

/// One part of an order served by one warehouse (the wire shape of `data.allocations[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Allocation {
    pub product_id: Uuid,
    pub warehouse_id: Uuid,
    #[schema(pattern = "^[0-9]{5}$")]
    pub warehouse_zip_code: String,
    #[schema(minimum = 1)]
    pub quantity: i32,
}

/// Why an item cannot be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    /// Unknown or deleted product.
    Unavailable,
    /// Less available than requested.
    Insufficient { available: i64 },
}

/// A failing item, reported as one 409 cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Short {
    pub wanted: Wanted,
    pub shortfall: Shortfall,
}

impl Short {
    /// The cause `{field: "items[i]", message, product_id, requested, available}` (§2.5).
    pub fn cause(&self) -> serde_json::Value {
        let (message, available) = match self.shortfall {
            Shortfall::Unavailable => ("product unavailable", 0),
            Shortfall::Insufficient { available } => ("insufficient stock", available),
        };
        serde_json::json!({
            "field": format!("items[{}]", self.wanted.index),
            "message": message,
            "product_id": self.wanted.product_id,
            "requested": self.wanted.quantity,
            "available": available,
        })
    }
}

/// Sorts `sources` nearest first: distance, then the main warehouse, then the smaller id (§2.2).
pub fn nearest_first(zip: CustomerZip, sources: &mut [Source]) {
    sources.sort_by(|a, b| {
        (zip.distance_to(&a.zip_code), !a.is_main, a.warehouse_id).cmp(&(
            zip.distance_to(&b.zip_code),
            !b.is_main,
            b.warehouse_id,
        ))
    });
}

/// The allocations of `wanted` (by product id, then nearest first), or every failing item. `sources` holds
/// the live rows of each servable product; a product missing from it is unavailable.
pub fn allocate(
    zip: CustomerZip,
    wanted: &[Wanted],
    sources: &HashMap<Uuid, Vec<Source>>,
) -> Result<Vec<Allocation>, Vec<Short>> {
    let mut items = wanted.to_vec();
    items.sort_by_key(|w| w.product_id);
    let mut allocations = Vec::new();
    let mut shorts = Vec::new();
    for item in &items {
        let Some(rows) = sources.get(&item.product_id) else {
            shorts.push(Short {
                wanted: *item,
                shortfall: Shortfall::Unavailable,
            });
            continue;
        };
        let mut rows: Vec<Source> = rows.iter().filter(|r| r.available > 0).cloned().collect();
        nearest_first(zip, &mut rows);
        let total: i64 = rows.iter().map(|r| i64::from(r.available)).sum();
        if total < i64::from(item.quantity) {
            shorts.push(Short {
                wanted: *item,
                shortfall: Shortfall::Insufficient { available: total },
            });
            continue;
        }
        let mut remaining = item.quantity;
        for row in rows {
            if remaining == 0 {
                break;
            }
            let take = remaining.min(row.available);
            remaining -= take;
            allocations.push(Allocation {
                product_id: item.product_id,
                warehouse_id: row.warehouse_id,
                warehouse_zip_code: row.zip_code,
                quantity: take,
            });
        }
    }
    if shorts.is_empty() {
        Ok(allocations)
    } else {
        shorts.sort_by_key(|s| s.wanted.index);
        Err(shorts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: u128, zip: &str, main: bool, available: i32) -> Source {
        Source {
            warehouse_id: Uuid::from_u128(id),
            zip_code: zip.into(),
            is_main: main,
            available,
        }
    }

    fn want(index: usize, product: u128, quantity: i32) -> Wanted {
        Wanted {
            index,
            product_id: Uuid::from_u128(product),
            quantity,
        }
    }

    #[test]
    fn the_nearest_warehouses_serve_first() {
        let p = Uuid::from_u128(1);
        let sources = HashMap::from([(
            p,
            vec![
                source(10, "10250", true, 5),
                source(11, "15000", false, 5),
                source(12, "40000", false, 5),
            ],
        )]);
        let got = allocate(CustomerZip(15326), &[want(0, 1, 8)], &sources).unwrap();
        let parts: Vec<(u128, i32)> = got
            .iter()
            .map(|a| (a.warehouse_id.as_u128(), a.quantity))
            .collect();
        assert_eq!(parts, vec![(11, 5), (10, 3)]);
        assert_eq!(got[0].warehouse_zip_code, "15000");
    }

    #[test]
    fn a_tie_picks_the_main_warehouse_then_the_smaller_id() {
        let p = Uuid::from_u128(1);
        let sources = HashMap::from([(
            p,
            vec![
                source(3, "10000", false, 1),
                source(9, "20000", true, 1),
                source(2, "20000", false, 1),
            ],
        )]);
        let got = allocate(CustomerZip(15000), &[want(0, 1, 1)], &sources).unwrap();
        assert_eq!(got[0].warehouse_id.as_u128(), 9);
        let mut rows = sources[&p].clone();
        nearest_first(CustomerZip(30000), &mut rows);
        let order: Vec<u128> = rows.iter().map(|r| r.warehouse_id.as_u128()).collect();
        assert_eq!(order, vec![9, 2, 3]);
    }

    #[test]
    fn any_short_item_fails_the_whole_order_with_one_cause_each() {
        let sources = HashMap::from([
            (Uuid::from_u128(1), vec![source(10, "10250", true, 5)]),
            (Uuid::from_u128(2), vec![source(10, "10250", true, 2)]),
        ]);
        let shorts = allocate(
            CustomerZip(1),
            &[want(0, 1, 3), want(1, 2, 4), want(2, 3, 1)],
            &sources,
        )
        .unwrap_err();
        assert_eq!(shorts.len(), 2);
        assert_eq!(
            shorts[0].shortfall,
            Shortfall::Insufficient { available: 2 }
        );
        assert_eq!(shorts[0].cause()["field"], "items[1]");
        assert_eq!(shorts[0].cause()["requested"], 4);
        assert_eq!(shorts[1].shortfall, Shortfall::Unavailable);
        assert_eq!(shorts[1].cause()["message"], "product unavailable");
    }

    #[test]
    fn allocations_come_by_product_id() {
        let sources = HashMap::from([
            (Uuid::from_u128(2), vec![source(10, "10250", true, 5)]),
            (Uuid::from_u128(1), vec![source(10, "10250", true, 5)]),
        ]);
        let got = allocate(CustomerZip(1), &[want(0, 2, 1), want(1, 1, 1)], &sources).unwrap();
        assert_eq!(got[0].product_id.as_u128(), 1);
        assert_eq!(got[1].product_id.as_u128(), 2);
    }
}
