//! P1 search mode: parameters, filters, sort and paging over the snapshot (contract: api/product.md §2.2).

use std::cmp::Ordering;
use std::collections::HashSet;

use eshop_common::Cause;
use rust_decimal::Decimal;
use uuid::Uuid;

use super::records::ProductRecord;

/// The parameters that switch P1 to search mode; others are ignored.
pub const PARAMETERS: [&str; 10] = [
    "q",
    "sku",
    "category_id",
    "min_price",
    "max_price",
    "in_stock",
    "sort",
    "skip",
    "limit",
    "include_deleted",
];

/// `limit` without the parameter, and its largest value.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;
/// `q` at most this many characters.
pub const Q_MAX_CHARS: usize = 100;

// The literals of the `q` and `limit` parameters below.
const _: () = assert!(DEFAULT_LIMIT == 20 && MAX_LIMIT == 100 && Q_MAX_CHARS == 100);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SortKey {
    Name,
    Price,
    CreatedAt,
}

impl SortKey {
    /// The `sort` values, each key ascending then descending (`-`).
    pub const VALUES: [&'static str; 6] = [
        "name",
        "-name",
        "price",
        "-price",
        "created_at",
        "-created_at",
    ];
}

/// A parsed search (P1 search mode); its parameters in the OpenAPI document. Any of them switches P1 to
/// search mode; unknown parameters are ignored.
#[derive(Clone, Debug, PartialEq, Eq, Hash, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    // Kept lower-cased.
    /// case-insensitive substring of name or SKU
    #[param(nullable = false, min_length = 1, max_length = 100)]
    pub q: Option<String>,
    /// exact SKU
    #[param(nullable = false, min_length = 1)]
    pub sku: Option<String>,
    /// that category and its descendants (an unknown one matches nothing)
    #[param(nullable = false)]
    pub category_id: Option<Uuid>,
    /// digits with an optional decimal point
    #[param(value_type = Option<f64>, nullable = false, minimum = 0)]
    pub min_price: Option<Decimal>,
    /// digits with an optional decimal point; not below min_price
    #[param(value_type = Option<f64>, nullable = false, minimum = 0)]
    pub max_price: Option<Decimal>,
    /// true: quantity > 0
    #[param(required = false, default = false)]
    pub in_stock: bool,
    /// ties by id
    #[param(required = false, schema_with = sort_values)]
    pub sort: SortKey,
    // `-` in front of `sort`.
    #[param(ignore)]
    pub descending: bool,
    #[param(required = false, minimum = 0, default = 0)]
    pub skip: usize,
    #[param(required = false, minimum = 1, maximum = 100, default = 20)]
    pub limit: usize,
    /// true: deleted products too; admin or warehouse_manager only (bearer token)
    #[param(required = false, default = false)]
    pub include_deleted: bool,
}

/// `sort`: one of [`SortKey::VALUES`].
fn sort_values() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(SortKey::VALUES))
        .default(Some(SortKey::VALUES[0].into()))
        .description(Some("ties by id"))
        .build()
}

impl Default for Search {
    fn default() -> Self {
        Search {
            q: None,
            sku: None,
            category_id: None,
            min_price: None,
            max_price: None,
            in_stock: false,
            sort: SortKey::Name,
            descending: false,
            skip: 0,
            limit: DEFAULT_LIMIT,
            include_deleted: false,
        }
    }
}

fn boolean(raw: &str) -> Result<bool, String> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("must be true or false".into()),
    }
}

fn non_negative_decimal(raw: &str) -> Result<Decimal, String> {
    let ok = !raw.is_empty()
        && raw.len() <= 20
        && raw.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && raw.bytes().filter(|b| *b == b'.').count() <= 1;
    ok.then(|| raw.parse::<Decimal>().ok())
        .flatten()
        .ok_or_else(|| "must be a decimal number >= 0".to_string())
}

impl Search {
    /// `None` when no known parameter is present (compat mode); else the search or the field errors.
    pub fn parse(pairs: &[(String, String)]) -> Result<Option<Search>, Vec<Cause>> {
        if !pairs.iter().any(|(k, _)| PARAMETERS.contains(&k.as_str())) {
            return Ok(None);
        }
        let mut search = Search::default();
        let mut causes = Vec::new();
        for (key, raw) in pairs {
            let raw = raw.trim();
            let result: Result<(), String> = match key.as_str() {
                "q" => {
                    let len = raw.chars().count();
                    if (1..=Q_MAX_CHARS).contains(&len) {
                        search.q = Some(raw.to_lowercase());
                        Ok(())
                    } else {
                        Err(format!("must be 1 to {Q_MAX_CHARS} characters"))
                    }
                }
                "sku" if !raw.is_empty() => {
                    search.sku = Some(raw.to_string());
                    Ok(())
                }
                "sku" => Err("must not be empty".into()),
                "category_id" => Uuid::parse_str(raw)
                    .map(|id| search.category_id = Some(id))
                    .map_err(|_| "must be a UUID".into()),
                "min_price" => non_negative_decimal(raw).map(|d| search.min_price = Some(d)),
                "max_price" => non_negative_decimal(raw).map(|d| search.max_price = Some(d)),
                "in_stock" => boolean(raw).map(|b| search.in_stock = b),
                "include_deleted" => boolean(raw).map(|b| search.include_deleted = b),
                "sort" => {
                    let (descending, name) = match raw.strip_prefix('-') {
                        Some(name) => (true, name),
                        None => (false, raw),
                    };
                    let key = match name {
                        "name" => Some(SortKey::Name),
                        "price" => Some(SortKey::Price),
                        "created_at" => Some(SortKey::CreatedAt),
                        _ => None,
                    };
                    match key {
                        Some(key) => {
                            search.sort = key;
                            search.descending = descending;
                            Ok(())
                        }
                        None => Err(
                            "must be one of name, -name, price, -price, created_at, -created_at"
                                .into(),
                        ),
                    }
                }
                "skip" => raw
                    .parse::<usize>()
                    .map(|n| search.skip = n)
                    .map_err(|_| "must be an integer >= 0".into()),
                "limit" => match raw.parse::<usize>() {
                    Ok(n) if (1..=MAX_LIMIT).contains(&n) => {
                        search.limit = n;
                        Ok(())
                    }
                    _ => Err(format!("must be an integer from 1 to {MAX_LIMIT}")),
                },
                _ => Ok(()),
            };
            if let Err(message) = result {
                causes.push(Cause::new(key.clone(), message));
            }
        }
        if let (Some(min), Some(max)) = (search.min_price, search.max_price) {
            if min > max {
                causes.push(Cause::new("min_price", "must not be above max_price"));
            }
        }
        if causes.is_empty() {
            Ok(Some(search))
        } else {
            Err(causes)
        }
    }

    /// Whether `p` passes every filter; `categories` = the allowed category ids when `category_id` is set.
    pub fn matches(&self, p: &ProductRecord, categories: Option<&HashSet<Uuid>>) -> bool {
        if !self.include_deleted && !p.is_live() {
            return false;
        }
        if let Some(q) = &self.q {
            if !p.name.to_lowercase().contains(q) && !p.sku.to_lowercase().contains(q) {
                return false;
            }
        }
        if self.sku.as_ref().is_some_and(|sku| *sku != p.sku) {
            return false;
        }
        if let Some(allowed) = categories {
            let in_tree = Uuid::parse_str(&p.category_id)
                .map(|c| allowed.contains(&c))
                .unwrap_or(false);
            if !in_tree {
                return false;
            }
        }
        if self.min_price.is_some_and(|min| p.price < min)
            || self.max_price.is_some_and(|max| p.price > max)
        {
            return false;
        }
        !(self.in_stock && p.quantity <= 0)
    }

    /// The requested order; ties by id.
    pub fn sort(&self, list: &mut [&ProductRecord]) {
        list.sort_by(|a, b| {
            let primary = match self.sort {
                SortKey::Name => by_name(a, b),
                SortKey::Price => a.price.cmp(&b.price),
                SortKey::CreatedAt => a.created_at.cmp(&b.created_at),
            };
            let primary = if self.descending {
                primary.reverse()
            } else {
                primary
            };
            primary.then(a.id.cmp(&b.id))
        });
    }
}

/// Name order (case-insensitive, then exact), the compat list's order with id as the tie-break.
pub fn by_name(a: &ProductRecord, b: &ProductRecord) -> Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.name.cmp(&b.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn product(id: u128, name: &str, price: &str, quantity: i64) -> ProductRecord {
        ProductRecord {
            id: Uuid::from_u128(id),
            sku: format!("SKU-1-0000000{id}"),
            name: name.into(),
            description: String::new(),
            price: price.parse().unwrap(),
            quantity,
            stock_version: 0,
            category_id: Uuid::from_u128(100).to_string(),
            image_key: None,
            image_url: String::new(),
            version: 1,
            created_at: format!("2024-01-0{id}T00:00:00Z"),
            updated_at: String::new(),
            deleted_at: None,
            changed_at: 0,
        }
    }

    #[test]
    fn no_known_parameter_means_compat_mode() {
        assert_eq!(Search::parse(&[]), Ok(None));
        assert_eq!(Search::parse(&pairs(&[("_", "1")])), Ok(None));
        assert!(Search::parse(&pairs(&[("limit", "5")])).unwrap().is_some());
    }

    #[test]
    fn bad_parameters_are_named() {
        for (k, v) in [
            ("limit", "0"),
            ("limit", "101"),
            ("sort", "size"),
            ("category_id", "car"),
            ("skip", "-1"),
            ("q", ""),
            ("in_stock", "yes"),
            ("min_price", "-1"),
        ] {
            let causes = Search::parse(&pairs(&[(k, v)])).unwrap_err();
            assert_eq!(causes[0].field, k, "{k}={v}");
        }
        let causes = Search::parse(&pairs(&[("min_price", "10"), ("max_price", "5")])).unwrap_err();
        assert_eq!(causes[0].field, "min_price");
    }

    #[test]
    fn filters_and_sort_combine() {
        let items = [
            product(1, "Mazda CX-50", "30000", 2),
            product(2, "Honda Civic", "20000", 0),
            product(3, "BMW X5", "60000", 1),
        ];
        let search = Search::parse(&pairs(&[("q", "cx"), ("sort", "-price")]))
            .unwrap()
            .unwrap();
        let found: Vec<_> = items.iter().filter(|p| search.matches(p, None)).collect();
        assert_eq!(found.len(), 1);
        let search = Search::parse(&pairs(&[("in_stock", "true"), ("sort", "-price")]))
            .unwrap()
            .unwrap();
        let mut found: Vec<_> = items.iter().filter(|p| search.matches(p, None)).collect();
        search.sort(&mut found);
        let names: Vec<_> = found.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["BMW X5", "Mazda CX-50"]);
        let search = Search::parse(&pairs(&[("q", "sku-1-00000002")]))
            .unwrap()
            .unwrap();
        assert!(search.matches(&items[1], None));
    }
}
