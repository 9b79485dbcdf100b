//! Add to cart (api/cart.md §3.3 step 2): one line per product, re-adding merges into the total quantity,
//! bounded by the configured maximum and the stock the product service shows.

use eshop_common::AppError;

use crate::config::Limits;

/// The caller's current line for the product, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub quantity: u32,
    pub note: String,
}

/// What the add writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddPlan {
    /// The line's total quantity after the add.
    pub quantity: u32,
    pub note: String,
    pub new_line: bool,
}

/// Why an add is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddRefusal {
    /// 409: a new line while the cart already holds `CART_MAX_LINES` lines.
    CartFull,
    /// 422: the total would exceed `CART_MAX_LINE_QUANTITY`.
    OverMaximum(u32),
    /// 409: the total exceeds the product's shown stock (a hint; checkout decides).
    NotEnoughStock(u64),
}

impl From<AddRefusal> for AppError {
    fn from(refusal: AddRefusal) -> Self {
        match refusal {
            AddRefusal::CartFull => AppError::conflict("cart is full"),
            AddRefusal::OverMaximum(max) => {
                AppError::unprocessable(format!("quantity would exceed {max}"))
            }
            AddRefusal::NotEnoughStock(n) => {
                AppError::conflict(format!("not enough stock: {n} available"))
            }
        }
    }
}

/// The merge rules, in the contract's order: full cart, maximum, stock.
pub fn plan_add(
    existing: Option<&Existing>,
    lines_in_cart: usize,
    requested: u32,
    note: &str,
    stock: u64,
    limits: Limits,
) -> Result<AddPlan, AddRefusal> {
    let (quantity, note, new_line) = match existing {
        Some(line) => {
            // The note is replaced only by a non-empty one.
            let note = if note.is_empty() { &line.note } else { note };
            (
                u64::from(line.quantity) + u64::from(requested),
                note.to_string(),
                false,
            )
        }
        None => {
            if lines_in_cart >= limits.max_lines as usize {
                return Err(AddRefusal::CartFull);
            }
            (u64::from(requested), note.to_string(), true)
        }
    };
    if quantity > u64::from(limits.max_line_quantity) {
        return Err(AddRefusal::OverMaximum(limits.max_line_quantity));
    }
    if quantity > stock {
        return Err(AddRefusal::NotEnoughStock(stock));
    }
    Ok(AddPlan {
        quantity: quantity as u32,
        note,
        new_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        max_lines: 2,
        max_line_quantity: 99,
    };

    fn existing(quantity: u32, note: &str) -> Existing {
        Existing {
            quantity,
            note: note.into(),
        }
    }

    #[test]
    fn re_adding_sums_the_quantity_and_keeps_the_note_unless_a_new_one_is_given() {
        let plan = plan_add(Some(&existing(2, "red")), 1, 3, "", 100, LIMITS).unwrap();
        assert_eq!(
            (plan.quantity, plan.note.as_str(), plan.new_line),
            (5, "red", false)
        );
        let plan = plan_add(Some(&existing(2, "red")), 1, 3, "blue", 100, LIMITS).unwrap();
        assert_eq!(plan.note, "blue");
    }

    #[test]
    fn a_new_line_in_a_full_cart_is_refused_but_a_merge_is_not() {
        assert_eq!(
            plan_add(None, 2, 1, "", 100, LIMITS),
            Err(AddRefusal::CartFull)
        );
        assert!(plan_add(Some(&existing(1, "")), 2, 1, "", 100, LIMITS).is_ok());
    }

    #[test]
    fn the_total_is_bounded_by_the_maximum_then_by_the_stock() {
        assert_eq!(
            plan_add(Some(&existing(98, "")), 1, 2, "", 1000, LIMITS),
            Err(AddRefusal::OverMaximum(99))
        );
        assert_eq!(
            plan_add(Some(&existing(3, "")), 1, 2, "", 4, LIMITS),
            Err(AddRefusal::NotEnoughStock(4))
        );
        assert!(plan_add(None, 0, 99, "", 99, LIMITS).is_ok());
    }
}
