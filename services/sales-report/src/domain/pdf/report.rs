//! The PDF download's layout (api/sales-report.md §2.5): A4 landscape, title "Sales report", the applied
//! filters, the generation time (UTC), the totals of §2.4, a table of the rows (reversals negative) and
//! page numbers.

use chrono::{DateTime, SecondsFormat, Utc};

use super::{fit, text_width, write, Page, PAGE_HEIGHT, PAGE_WIDTH};
use crate::domain::money::two_places;
use crate::domain::summary::Totals;
use crate::domain::SaleRow;

const MARGIN: f32 = 36.0;
const ROW_HEIGHT: f32 = 12.0;
const TABLE_SIZE: f32 = 7.0;
const BOTTOM: f32 = 44.0;

/// Table columns: title, width in points, right-aligned.
const COLUMNS: [(&str, f32, bool); 8] = [
    ("Date", 78.0, false),
    ("Order", 140.0, false),
    ("Product", 170.0, false),
    ("Warehouse", 140.0, false),
    ("Qty", 45.0, true),
    ("Unit price", 62.0, true),
    ("Revenue", 67.0, true),
    ("Margin", 67.0, true),
];

/// What the report shows besides its rows.
pub struct ReportHeader<'a> {
    pub filters: &'a str,
    pub generated_at: DateTime<Utc>,
    pub totals: &'a Totals,
}

/// The totals as the lines printed under the title.
pub fn totals_lines(totals: &Totals) -> Vec<String> {
    let rate = totals
        .margin_rate
        .map(|r| r.to_string())
        .unwrap_or_else(|| "n/a".into());
    vec![
        format!(
            "Total revenue: {}   Total quantity: {}   Total margin: {}   Margin rate: {rate}",
            two_places(totals.revenue),
            totals.quantity,
            two_places(totals.margin),
        ),
        format!(
            "Orders: {}   Reversals: {}   Lines: {}",
            totals.orders, totals.reversals, totals.lines
        ),
    ]
}

fn cells(row: &SaleRow) -> [String; 8] {
    [
        row.created_at.format("%Y-%m-%d %H:%M").to_string(),
        row.order_id.to_string(),
        if row.product_name.is_empty() {
            row.product_id.to_string()
        } else {
            row.product_name.clone()
        },
        row.warehouse_id.to_string(),
        row.product_quantity.to_string(),
        two_places(row.price),
        two_places(row.revenue),
        two_places(row.margin_total),
    ]
}

fn table_row(page: &mut Page, y: f32, values: &[String; 8], bold: bool) {
    let mut x = MARGIN;
    for ((_, width, right), value) in COLUMNS.iter().zip(values) {
        let shown = fit(value, width - 6.0, TABLE_SIZE);
        let at = if *right {
            x + width - 6.0 - text_width(&shown, TABLE_SIZE, bold)
        } else {
            x
        };
        page.text(at, y, TABLE_SIZE, bold, shown);
        x += width;
    }
}

fn table_header(page: &mut Page, y: f32) {
    let titles = COLUMNS.map(|(title, _, _)| title.to_string());
    table_row(page, y, &titles, true);
    page.rules.push((MARGIN, PAGE_WIDTH - MARGIN, y - 3.0));
}

/// The report as PDF bytes.
pub fn render(header: &ReportHeader<'_>, rows: &[SaleRow]) -> Vec<u8> {
    let mut pages = Vec::new();
    let mut page = Page::default();
    let mut y = PAGE_HEIGHT - MARGIN - 14.0;
    page.text(MARGIN, y, 18.0, true, "Sales report");
    y -= 20.0;
    page.text(
        MARGIN,
        y,
        9.0,
        false,
        format!("Filters: {}", header.filters),
    );
    y -= 13.0;
    let generated = header
        .generated_at
        .to_rfc3339_opts(SecondsFormat::Secs, true);
    page.text(
        MARGIN,
        y,
        9.0,
        false,
        format!("Generated at: {generated} (UTC)"),
    );
    for line in totals_lines(header.totals) {
        y -= 15.0;
        page.text(MARGIN, y, 10.0, true, line);
    }
    y -= 24.0;
    table_header(&mut page, y);
    if rows.is_empty() {
        page.text(
            MARGIN,
            y - ROW_HEIGHT - 2.0,
            9.0,
            false,
            "No sales match these filters.",
        );
    }
    for row in rows {
        y -= ROW_HEIGHT;
        if y < BOTTOM {
            pages.push(std::mem::take(&mut page));
            y = PAGE_HEIGHT - MARGIN - 10.0;
            table_header(&mut page, y);
            y -= ROW_HEIGHT;
        }
        table_row(&mut page, y, &cells(row), false);
    }
    pages.push(page);
    let count = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let label = format!("Page {} of {count}", i + 1);
        let x = (PAGE_WIDTH - text_width(&label, 8.0, false)) / 2.0;
        page.text(x, 20.0, 8.0, false, label);
    }
    write(&pages, "Sales report")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn totals_are_printed_with_two_places_and_the_rate() {
        let totals = Totals {
            revenue: Decimal::new(12345, 1),
            quantity: 3,
            margin: Decimal::new(-20, 0),
            orders: 1,
            ..Totals::default()
        }
        .with_rate();
        let lines = totals_lines(&totals);
        assert!(lines[0].contains("Total revenue: 1234.50"), "{lines:?}");
        assert!(lines[0].contains("Total margin: -20.00"));
        assert!(lines[0].contains("Margin rate: -0.0162"));
        assert!(lines[1].contains("Orders: 1"));
    }

    #[test]
    fn an_empty_report_is_one_numbered_page() {
        let totals = Totals::default().with_rate();
        let header = ReportHeader {
            filters: "time zone UTC",
            generated_at: Utc::now(),
            totals: &totals,
        };
        let pdf = String::from_utf8_lossy(&render(&header, &[])).to_string();
        assert!(pdf.contains("/Count 1"));
        assert!(pdf.contains("(Page 1 of 1)"));
        assert!(pdf.contains("Margin rate: n/a"));
    }
}
