//! The downloads (api/sales-report.md §2.5, §6 checks 13–15; issue 9 check 3): the CSV parses back to the
//! listed rows, the PDF is a well-formed PDF whose text holds the totals, the XLSX keeps the old sheet.

use std::io::Read;
use std::str::FromStr;

use rust_decimal::Decimal;
use sales_report::SalesSettings;
use serde_json::{json, Value};

use crate::support::{id, item, sale, App, Res};

fn two_places(v: &Value) -> String {
    let mut d = Decimal::from_str(&v.to_string()).unwrap();
    d.rescale(2);
    d.to_string()
}

async fn seeded() -> App {
    let app = App::spawn().await;
    let mut odd = item(id(), id(), 3, 1234.5);
    odd["product_name"] = json!("=HYPERLINK(\"x\")");
    odd["sku"] = json!("A,B \"quoted\"");
    app.apply(
        &sale("2025-03-01T10:00:00Z", vec![odd, item(id(), id(), 1, 0.1)]),
        2,
    )
    .await;
    app.apply(
        &sale("2025-03-02T11:30:00.250Z", vec![item(id(), id(), 2, 99.99)]),
        1,
    )
    .await;
    app.apply(
        &sale("2025-04-01T00:00:00Z", vec![item(id(), id(), 1, 5.0)]),
        1,
    )
    .await;
    app
}

fn assert_download(res: &Res, content_type: &str, ext: &str) {
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.header("content-type"), content_type);
    assert_eq!(
        res.header("content-disposition"),
        format!("attachment; filename=sales-report.{ext}")
    );
    assert_eq!(res.header("cache-control"), "no-store");
}

#[tokio::test]
async fn the_csv_parses_back_to_the_listed_rows() {
    let app = seeded().await;
    let query = "from=2025-03-01&to=2025-03-31";
    let res = app
        .admin_get(&format!("/v1/sales/csv-report?{query}"))
        .await;
    assert_download(&res, "text/csv; charset=utf-8", "csv");
    let text = String::from_utf8(res.bytes.clone()).unwrap();
    assert!(!text.starts_with('\u{feff}'));
    assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
    assert!(text.ends_with("\r\n"));
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(
        lines.len(),
        5,
        "header, 3 rows, nothing after the last CRLF"
    );
    assert!(
        lines[..4].iter().all(|l| l.ends_with('\r')),
        "CRLF line ends"
    );
    let listed = app
        .admin_get(&format!("/v1/sales?limit=1000&{query}"))
        .await
        .body["data"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(listed.len(), 3);
    let mut reader = csv::ReaderBuilder::new().from_reader(res.bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header.join(","),
        "sold_at,order_id,user_id,product_id,product_name,sku,warehouse_id,quantity,price,cost_price,revenue,margin_per_product,margin_total,margin_source,kind"
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), listed.len());
    for (record, row) in records.iter().zip(&listed) {
        let name = row["product_name"].as_str().unwrap();
        let expected_name = if name.starts_with('=') {
            format!("'{name}")
        } else {
            name.to_string()
        };
        let expected = [
            row["created_at"].as_str().unwrap().to_string(),
            row["order_id"].as_str().unwrap().to_string(),
            row["user_id"].as_str().unwrap().to_string(),
            row["product_id"].as_str().unwrap().to_string(),
            expected_name,
            row["sku"].as_str().unwrap().to_string(),
            row["warehouse_id"].as_str().unwrap().to_string(),
            row["product_quantity"].to_string(),
            two_places(&row["price"]),
            String::new(),
            two_places(&row["revenue"]),
            two_places(&row["margin_per_product"]),
            two_places(&row["margin_total"]),
            row["margin_source"].as_str().unwrap().to_string(),
            row["kind"].as_str().unwrap().to_string(),
        ];
        let got: Vec<&str> = record.iter().collect();
        assert_eq!(got, expected);
    }
    assert!(text.contains(",3703.50,"), "money with two places: {text}");
    assert!(text.contains(",0.10,"), "{text}");
}

/// Checks the PDF's structure (header, every `xref` offset at its object, trailer) and returns the text
/// shown by its `Tj` operators.
fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"));
    let tail = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(64)..]).to_string();
    assert!(tail.trim_end().ends_with("%%EOF"));
    let start: usize = tail
        .rsplit("startxref")
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let table = std::str::from_utf8(&pdf[start..]).unwrap();
    let mut lines = table.lines();
    assert_eq!(lines.next(), Some("xref"));
    let count: usize = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    lines.next();
    for n in 1..count {
        let offset: usize = lines.next().unwrap()[..10].parse().unwrap();
        assert!(
            pdf[offset..].starts_with(format!("{n} 0 obj").as_bytes()),
            "object {n}"
        );
    }
    assert!(table.contains("/Root 1 0 R"));
    let body = String::from_utf8_lossy(pdf);
    let mut text = String::new();
    for part in body
        .split(") Tj")
        .map(|p| p.rsplit_once(" (").map(|(_, s)| s).unwrap_or(""))
    {
        text.push_str(
            &part
                .replace("\\(", "(")
                .replace("\\)", ")")
                .replace("\\\\", "\\"),
        );
        text.push('\n');
    }
    text
}

#[tokio::test]
async fn the_pdf_is_valid_and_its_text_holds_the_totals() {
    let app = seeded().await;
    let query = "from=2025-03-01&to=2025-03-31";
    let res = app
        .admin_get(&format!("/v1/sales/pdf-report?{query}"))
        .await;
    assert_download(&res, "application/pdf", "pdf");
    let text = pdf_text(&res.bytes);
    let totals = app
        .admin_get(&format!("/v1/sales/summary?{query}"))
        .await
        .body["data"]["totals"]
        .clone();
    assert!(text.contains("Sales report"), "{text}");
    assert!(
        text.contains(&format!(
            "Total revenue: {}",
            two_places(&totals["revenue"])
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("Total quantity: {}", totals["quantity"])),
        "{text}"
    );
    assert!(
        text.contains(&format!("Total margin: {}", two_places(&totals["margin"]))),
        "{text}"
    );
    assert!(text.contains("Total revenue: 3903.58"), "{text}");
    assert!(text.contains("Page 1 of 1"));
    assert!(text.contains("from 2025-03-01T00:00:00Z"), "{text}");
    for column in [
        "Date",
        "Order",
        "Product",
        "Warehouse",
        "Qty",
        "Unit price",
        "Revenue",
        "Margin",
    ] {
        assert!(text.lines().any(|l| l == column), "{column}");
    }
}

#[tokio::test]
async fn a_long_pdf_has_numbered_pages() {
    let app = App::spawn().await;
    let items: Vec<Value> = (0..120).map(|_| item(id(), id(), 1, 2.5)).collect();
    app.apply(&sale("2025-03-01T10:00:00Z", items), 120).await;
    let res = app.admin_get("/v1/sales/pdf-report").await;
    let text = pdf_text(&res.bytes);
    assert!(
        text.contains("Page 1 of 4") || text.contains("Page 1 of 3"),
        "{text}"
    );
    assert!(text.contains("Total revenue: 300.00"));
}

#[tokio::test]
async fn the_xlsx_keeps_the_old_sheet_and_columns_for_the_filtered_rows() {
    let app = seeded().await;
    let res = app
        .admin_get("/v1/sales/xlsx-report?from=2025-03-01&to=2025-03-31")
        .await;
    assert_download(
        &res,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(res.bytes.clone())).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    assert!(workbook.contains("name=\"Sheet1\""), "{workbook}");
    let strings = read("xl/sharedStrings.xml");
    let sheet = read("xl/worksheets/sheet1.xml");
    let old = [
        "no",
        "user_id",
        "order_id",
        "product_id",
        "quantity",
        "margin_per_product",
        "created_at",
    ];
    let positions: Vec<usize> = old
        .iter()
        .map(|h| strings.find(&format!(">{h}<")).unwrap())
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{strings}");
    assert_eq!(
        sheet.matches("<row ").count(),
        4,
        "header + the 3 filtered rows"
    );
    let listed = app
        .admin_get("/v1/sales?from=2025-03-01&to=2025-03-31")
        .await;
    for row in listed.body["data"].as_array().unwrap() {
        assert!(strings.contains(row["order_id"].as_str().unwrap()));
    }
}

#[tokio::test]
async fn downloads_over_their_row_limits_are_refused_with_422() {
    let app = App::spawn_with(SalesSettings {
        export_max_rows: 3,
        pdf_max_rows: 2,
        ..SalesSettings::default()
    })
    .await;
    let items: Vec<Value> = (0..4).map(|_| item(id(), id(), 1, 1.0)).collect();
    app.apply(&sale("2025-03-01T10:00:00Z", items), 4).await;
    for route in ["csv-report", "xlsx-report", "pdf-report"] {
        let res = app.get_as(&format!("/v1/sales/{route}"), &app.admin).await;
        assert_eq!(res.status, 422, "{route}: {res:?}");
    }
    let product = app.admin_get("/v1/sales?limit=1").await.body["data"][0]["product_id"]
        .as_str()
        .unwrap()
        .to_string();
    for route in ["csv-report", "xlsx-report", "pdf-report"] {
        app.admin_get(&format!("/v1/sales/{route}?product_id={product}"))
            .await;
    }
}

#[tokio::test]
async fn a_gzipped_csv_download_is_complete() {
    let app = seeded().await;
    let path = "/v1/sales/csv-report?from=2025-03-01&to=2025-03-31";
    let plain = app.admin_get(path).await.bytes;
    let res = app
        .http
        .get(format!("{}{path}", app.base))
        .bearer_auth(&app.admin)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let zipped = res.bytes().await.expect("the whole body arrives");
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(zipped.as_ref())
        .read_to_end(&mut text)
        .expect("a complete gzip stream");
    assert_eq!(text, plain);
}
