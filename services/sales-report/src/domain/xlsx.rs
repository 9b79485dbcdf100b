//! The XLSX download's sheet (api/sales-report.md §2.5, compat): one sheet `Sheet1`, a bold header row,
//! the seven old columns first, then the new ones; money as numbers formatted `$#,##0.00`, times as Excel
//! datetimes in UTC.

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::SaleRow;

/// The header row.
pub const HEADER: [&str; 16] = [
    "no",
    "user_id",
    "order_id",
    "product_id",
    "quantity",
    "margin_per_product",
    "created_at",
    "product_name",
    "sku",
    "warehouse_id",
    "price",
    "cost_price",
    "revenue",
    "margin_total",
    "margin_source",
    "kind",
];

/// Days since Excel's epoch (1899-12-30), with the time of day as the fraction.
pub fn excel_serial(at: DateTime<Utc>) -> f64 {
    let epoch = Utc.with_ymd_and_hms(1899, 12, 30, 0, 0, 0).unwrap();
    let micros = (at - epoch).num_microseconds().unwrap_or_default();
    micros as f64 / 86_400_000_000.0
}

fn money(value: Decimal) -> f64 {
    value.to_f64().unwrap_or_default()
}

/// The workbook's bytes.
pub fn workbook(rows: &[SaleRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money_format = Format::new().set_num_format("$#,##0.00");
    let time_format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let sheet = book.add_worksheet();
    sheet.set_name("Sheet1")?;
    for (col, title) in (0u16..).zip(HEADER) {
        sheet.write_string_with_format(0, col, title, &bold)?;
    }
    sheet.set_column_width(6, 20)?;
    for (r, row) in (1u32..).zip(rows) {
        sheet.write_number(r, 0, r)?;
        sheet.write_string(r, 1, row.user_id.to_string())?;
        sheet.write_string(r, 2, row.order_id.to_string())?;
        sheet.write_string(r, 3, row.product_id.to_string())?;
        sheet.write_number(r, 4, row.product_quantity)?;
        sheet.write_number_with_format(r, 5, money(row.margin_per_product), &money_format)?;
        sheet.write_number_with_format(r, 6, excel_serial(row.created_at), &time_format)?;
        sheet.write_string(r, 7, &row.product_name)?;
        sheet.write_string(r, 8, &row.sku)?;
        sheet.write_string(r, 9, row.warehouse_id.to_string())?;
        sheet.write_number_with_format(r, 10, money(row.price), &money_format)?;
        if let Some(cost) = row.cost_price {
            sheet.write_number_with_format(r, 11, money(cost), &money_format)?;
        }
        sheet.write_number_with_format(r, 12, money(row.revenue), &money_format)?;
        sheet.write_number_with_format(r, 13, money(row.margin_total), &money_format)?;
        sheet.write_string(r, 14, row.margin_source.as_str())?;
        sheet.write_string(r, 15, row.kind.as_str())?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_count_days_from_1899_12_30() {
        let noon = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
        assert!((excel_serial(noon) - 45658.5).abs() < 1e-9);
    }
}
