//! The CSV download's format (api/sales-report.md §2.5): RFC 4180, comma, CRLF, UTF-8 without BOM, money
//! with two places, times RFC 3339 UTC, null as empty, and text cells defused against formula injection.

use chrono::SecondsFormat;

use super::money::two_places;
use super::SaleRow;

/// The header row, without its line end.
pub const HEADER: &str = "sold_at,order_id,user_id,product_id,product_name,sku,warehouse_id,quantity,price,cost_price,revenue,margin_per_product,margin_total,margin_source,kind";

/// A free-text cell: a leading `=`, `+`, `-`, `@`, TAB or CR gets a `'` so spreadsheets do not run it.
pub fn text_cell(value: &str) -> String {
    let defused = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    quoted(&defused)
}

/// Quotes a cell holding a comma, quote, CR or LF, doubling its quotes (RFC 4180).
fn quoted(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The header line with its CRLF.
pub fn header_line() -> String {
    format!("{HEADER}\r\n")
}

/// One row as a CSV line with its CRLF, in the header's column order.
pub fn row_line(row: &SaleRow) -> String {
    let cells = [
        row.created_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        row.order_id.to_string(),
        row.user_id.to_string(),
        row.product_id.to_string(),
        text_cell(&row.product_name),
        text_cell(&row.sku),
        row.warehouse_id.to_string(),
        row.product_quantity.to_string(),
        two_places(row.price),
        row.cost_price.map(two_places).unwrap_or_default(),
        two_places(row.revenue),
        two_places(row.margin_per_product),
        two_places(row.margin_total),
        row.margin_source.as_str().to_string(),
        row.kind.as_str().to_string(),
    ];
    format!("{}\r\n", cells.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_doubled() {
        assert_eq!(text_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text_cell("+1"), "'+1");
        assert_eq!(text_cell("-2"), "'-2");
        assert_eq!(text_cell("@a"), "'@a");
        assert_eq!(text_cell("\tx"), "'\tx");
        assert_eq!(text_cell("a, b"), "\"a, b\"");
        assert_eq!(text_cell("plain"), "plain");
        assert_eq!(text_cell("two\nlines"), "\"two\nlines\"");
    }
}
