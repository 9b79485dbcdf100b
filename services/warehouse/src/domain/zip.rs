//! Zip codes and distance (contract: api/warehouse.md §2.2 "Distance"): |customer zip − warehouse zip|
//! as integers; a customer zip is 1–10 digits, a warehouse zip exactly 5.

/// A customer zip code that can be located: `^[0-9]{1,10}$`, read as an integer (leading zeros ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerZip(pub u64);

impl CustomerZip {
    pub fn parse(raw: &str) -> Option<CustomerZip> {
        if raw.is_empty() || raw.len() > 10 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        raw.parse().ok().map(CustomerZip)
    }

    /// Distance to a warehouse zip; a zip that is not numeric (impossible under the schema's CHECK) is
    /// farthest of all.
    pub fn distance_to(self, warehouse_zip: &str) -> u64 {
        match warehouse_zip.parse::<u64>() {
            Ok(zip) => self.0.abs_diff(zip),
            Err(_) => u64::MAX,
        }
    }
}

/// A warehouse zip code: exactly five digits (§4.1 CHECK).
pub fn is_warehouse_zip(raw: &str) -> bool {
    raw.len() == 5 && raw.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_zips_are_one_to_ten_digits() {
        assert_eq!(CustomerZip::parse("15326"), Some(CustomerZip(15326)));
        assert_eq!(CustomerZip::parse("0012"), Some(CustomerZip(12)));
        assert_eq!(
            CustomerZip::parse("9999999999"),
            Some(CustomerZip(9_999_999_999))
        );
        for bad in ["", "12a45", "12345678901", " 123", "-12", "1.5"] {
            assert_eq!(CustomerZip::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn distance_is_the_absolute_difference() {
        let zip = CustomerZip(15326);
        assert_eq!(zip.distance_to("15000"), 326);
        assert_eq!(zip.distance_to("10250"), 5076);
        assert_eq!(zip.distance_to("40000"), 24674);
        assert_eq!(zip.distance_to("abcde"), u64::MAX);
    }

    #[test]
    fn warehouse_zips_are_exactly_five_digits() {
        assert!(is_warehouse_zip("10250"));
        assert!(!is_warehouse_zip("1025"));
        assert!(!is_warehouse_zip("abc"));
        assert!(!is_warehouse_zip("102500"));
    }
}
