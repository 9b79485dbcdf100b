//! Pure cart rules, free of I/O: the line object, input validation, the add/merge decision and the checkout
//! key (api/cart.md §2–§3). Everything here is unit-tested.

pub mod cached;
pub mod checkout;
pub mod input;
pub mod line;
pub mod merge;
pub mod money;

pub use line::CartLine;
