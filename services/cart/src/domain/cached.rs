//! §3.1's hot path: a cached cart written as the wire list by editing the cached lines' JSON, not by parsing
//! every field into a value and writing it out again.
//!
//! A cached line is [`CartLine`](super::CartLine) as serde_json writes it: its keys in declaration order, no
//! spaces. The wire line is the same text with two edits: `product_price` a number instead of a decimal
//! string, and no `product_version`. A key is found by its text with the quote before it (`,"note":`):
//! inside a JSON string every `"` is escaped, so that text only occurs where the key is. Each line's id,
//! price, version and `created_at` are read and checked; a line of any other shape makes the whole list
//! `None`, and the caller parses it the ordinary way (into [`CartLine`](super::CartLine)s).

use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use memchr::memmem;
use rust_decimal::Decimal;
use uuid::Uuid;

const ID: &[u8] = br#"{"id":""#;
const PRICE: &[u8] = br#","product_price":""#;
const QUANTITY: &[u8] = br#"","product_quantity":"#;
const VERSION: &[u8] = br#","product_version":"#;
const CREATED: &[u8] = br#","created_at":""#;

/// The keys searched for, each prepared once (a finder costs more to build than a line to search).
struct Finders {
    price: memmem::Finder<'static>,
    version: memmem::Finder<'static>,
    created: memmem::Finder<'static>,
}

static FIND: LazyLock<Finders> = LazyLock::new(|| Finders {
    price: memmem::Finder::new(PRICE),
    version: memmem::Finder::new(VERSION),
    created: memmem::Finder::new(CREATED),
});

/// Writes `lines` (cached JSON, any order) into `out` as the wire list, in cart order (§3.1).
pub fn write_list(lines: &[Vec<u8>], out: &mut Vec<u8>) -> Option<()> {
    let mut order = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        order.push((cart_order(line)?, i));
    }
    order.sort_unstable();
    out.push(b'[');
    for (n, &(_, i)) in order.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        write_line(&lines[i], out)?;
    }
    out.push(b']');
    Some(())
}

/// (`created_at`, `id`) of a cached line.
fn cart_order(line: &[u8]) -> Option<(DateTime<Utc>, Uuid)> {
    let id = line.strip_prefix(ID)?.get(..36)?;
    let id = Uuid::try_parse_ascii(id).ok()?;
    let at = FIND.created.find(line)? + CREATED.len();
    let len = memchr::memchr(b'"', &line[at..])?;
    let text = std::str::from_utf8(&line[at..at + len]).ok()?;
    // UTC, as `DateTime<Utc>` writes it.
    if !text.ends_with('Z') {
        return None;
    }
    let created = DateTime::parse_from_rfc3339(text).ok()?;
    Some((created.to_utc(), id))
}

/// One cached line as the wire line.
fn write_line(line: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let head = FIND.price.find(line)?;
    let rest = &line[head + PRICE.len()..];
    let len = memchr::memchr(b'"', rest)?;
    let price = Decimal::from_str(std::str::from_utf8(&rest[..len]).ok()?).ok()?;
    let rest = &rest[len..];
    if !rest.starts_with(QUANTITY) {
        return None;
    }
    let version = FIND.version.find(rest)?;
    let after = &rest[version + VERSION.len()..];
    let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
    let tail = &after[digits..];
    if digits == 0 || !tail.starts_with(CREATED) {
        return None;
    }
    out.extend_from_slice(&line[..head]);
    out.extend_from_slice(br#","product_price":"#);
    // The same writer as `LineView`'s price.
    let mut json = serde_json::Serializer::new(&mut *out);
    rust_decimal::serde::float::serialize(&price.round_dp(2), &mut json).ok()?;
    // From `","product_quantity":` on, without the price's closing quote and without the version.
    out.extend_from_slice(&rest[1..version]);
    out.extend_from_slice(tail);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::line::{list_view, sort_lines};
    use crate::domain::CartLine;

    fn line(n: u128, price: &str, at: &str) -> CartLine {
        let t = DateTime::parse_from_rfc3339(at).unwrap().to_utc();
        CartLine {
            id: Uuid::from_u128(n),
            user_id: Uuid::from_u128(7),
            product_id: Uuid::from_u128(100 + n),
            product_name: format!("Car {n}"),
            product_image_url: format!("https://img.example/{n}.png"),
            product_price: Decimal::from_str(price).unwrap(),
            product_quantity: n as u32,
            note: String::new(),
            product_version: 10 + n as u64,
            created_at: t,
            updated_at: t,
        }
    }

    /// The list as the ordinary path writes it.
    fn parsed(lines: &[Vec<u8>]) -> String {
        let mut lines: Vec<CartLine> = lines
            .iter()
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        sort_lines(&mut lines);
        serde_json::to_string(&list_view(lines)).unwrap()
    }

    fn edited(lines: &[Vec<u8>]) -> Option<String> {
        let mut out = Vec::new();
        write_list(lines, &mut out)?;
        Some(String::from_utf8(out).unwrap())
    }

    fn cached(lines: &[CartLine]) -> Vec<Vec<u8>> {
        lines
            .iter()
            .map(|l| serde_json::to_vec(l).unwrap())
            .collect()
    }

    #[test]
    fn the_edited_list_is_byte_for_byte_the_parsed_one() {
        let mut tricky = line(4, "7.125", "2024-05-01T10:00:00.5Z");
        tricky.product_name =
            r#"GT ","product_price":"1","product_version":2,"created_at":" \ é"#.into();
        tricky.note = "line\nbreak \"quoted\" \\".into();
        tricky.product_image_url = String::new();
        let lines = cached(&[
            line(3, "100.00", "2024-05-01T10:00:00Z"),
            tricky,
            line(1, "0.10", "2024-05-01T10:00:00.5Z"),
            line(2, "1234567.89", "2024-05-01T09:59:59.999999Z"),
            line(5, "0", "2024-05-01T10:00:00.123456789Z"),
        ]);
        let edited = edited(&lines).expect("cached lines of the usual shape");
        assert_eq!(edited, parsed(&lines));
        assert!(edited.contains(r#""product_price":100.0,"#), "{edited}");
        // Rounded as the ordinary path rounds (half to even).
        assert!(edited.contains(r#""product_price":7.12,"#), "{edited}");
        assert!(!edited.contains(r#""product_version":1"#), "{edited}");
    }

    #[test]
    fn lines_come_out_in_cart_order() {
        let (a, b, c) = (
            line(9, "1", "2024-05-01T10:00:00Z"),
            line(1, "1", "2024-05-01T10:00:01Z"),
            line(2, "1", "2024-05-01T10:00:01Z"),
        );
        let out = edited(&cached(&[c, a, b])).unwrap();
        let ids: Vec<Uuid> = serde_json::from_str::<Vec<serde_json::Value>>(&out)
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().parse().unwrap())
            .collect();
        assert_eq!(ids, [9, 1, 2].map(Uuid::from_u128));
    }

    #[test]
    fn a_line_of_another_shape_is_left_to_the_parser() {
        let good = serde_json::to_vec(&line(1, "1", "2024-05-01T10:00:00Z")).unwrap();
        // Keys sorted, as a `serde_json::Value` writes them.
        let value: serde_json::Value = serde_json::from_slice(&good).unwrap();
        let sorted = serde_json::to_vec(&value).unwrap();
        let spaced = serde_json::to_vec_pretty(&value).unwrap();
        let text = String::from_utf8(good.clone()).unwrap();
        let broken = [
            sorted,
            spaced,
            text.replace(r#""product_version":11"#, r#""product_version":"11""#)
                .into_bytes(),
            text.replace(r#""product_price":"1""#, r#""product_price":1"#)
                .into_bytes(),
            text.replace(r#""product_price":"1""#, r#""product_price":"x""#)
                .into_bytes(),
            text.replace("2024-05-01T10:00:00Z", "2024-05-01T12:00:00+02:00")
                .into_bytes(),
            text.replace(&Uuid::from_u128(1).to_string(), "not-a-uuid")
                .into_bytes(),
            good[..good.len() / 2].to_vec(),
        ];
        for line in broken {
            let text = String::from_utf8_lossy(&line).into_owned();
            assert_eq!(edited(&[good.clone(), line]), None, "{text}");
        }
        assert!(edited(&[good]).is_some());
    }
}
