//! Usernames, emails, sign-in identifiers, passwords and codes (api/auth.md §3, §4.2–§4.5, §4.14).

use eshop_common::Cause;

use super::length;

/// A username as stored: 3–128 characters, no whitespace, no `@`, lower-cased (the emulator ignores
/// `CaseSensitive = false`, so auth lower-cases; api/auth.md §3).
pub fn username(field: &str, raw: &str) -> Result<String, Cause> {
    let value = raw.trim();
    length(field, value, 3, 128)?;
    if value.chars().any(char::is_whitespace) || value.contains('@') {
        return Err(Cause::new(field, "must not contain spaces or @"));
    }
    Ok(value.to_lowercase())
}

/// An email as stored: ≤ 254 characters, one `@` with text before it, a dot inside the domain, lower-cased.
/// Quotes and backslashes are refused too: the value goes into a `ListUsers` filter.
pub fn email(field: &str, raw: &str) -> Result<String, Cause> {
    let value = raw.trim().to_lowercase();
    let invalid = || Cause::new(field, "must be a valid email address");
    if value.is_empty() || value.chars().count() > 254 {
        return Err(invalid());
    }
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '\\')
    {
        return Err(invalid());
    }
    let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
    let dotted = domain
        .split_once('.')
        .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.ends_with('.'));
    if local.is_empty() || domain.contains('@') || !dotted {
        return Err(invalid());
    }
    Ok(value)
}

/// What a person signs in with (api/auth.md §3 "Identifier resolution").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identifier {
    /// A value with `@`: looked up among verified emails.
    Email(String),
    /// Any other value, lower-cased.
    Username(String),
    /// A value with `@` that is no valid address: it can match no account.
    Nobody,
}

impl Identifier {
    /// Parses a sign-in identifier: required, 1–254 characters after trimming.
    pub fn parse(field: &str, raw: &str) -> Result<Identifier, Cause> {
        let value = raw.trim();
        length(field, value, 1, 254)?;
        if value.contains('@') {
            Ok(email(field, value).map_or(Identifier::Nobody, Identifier::Email))
        } else {
            Ok(Identifier::Username(value.to_lowercase()))
        }
    }

    /// The key the per-identifier counters use: the trimmed, lower-cased value as sent.
    pub fn key(raw: &str) -> String {
        raw.trim().to_lowercase()
    }
}

/// A password we set (signup, reset, change): 8–256 characters; the pool's policy is Cognito's to check.
pub fn new_password(field: &str, raw: &str) -> Result<String, Cause> {
    length(field, raw, 8, 256)?;
    Ok(raw.to_string())
}

/// A password presented to sign in or to prove knowledge: 1–256 characters.
pub fn presented_password(field: &str, raw: &str) -> Result<String, Cause> {
    length(field, raw, 1, 256)?;
    Ok(raw.to_string())
}

/// A confirmation or reset code: 1–16 digits.
pub fn code(field: &str, raw: &str) -> Result<String, Cause> {
    let value = raw.trim();
    if value.is_empty() || value.len() > 16 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Cause::new(field, "must be 1 to 16 digits"));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_cased_and_refuse_spaces_and_at() {
        assert_eq!(username("u", "  Alice_1 ").unwrap(), "alice_1");
        assert!(username("u", "al").is_err());
        assert!(username("u", &"a".repeat(129)).is_err());
        assert!(username("u", "al ice").is_err());
        assert!(username("u", "al@ice").is_err());
    }

    #[test]
    fn emails_need_one_at_and_a_dotted_domain() {
        assert_eq!(email("e", " Bob@Example.COM ").unwrap(), "bob@example.com");
        for bad in [
            "bob",
            "@example.com",
            "bob@example",
            "bob@@example.com",
            "bob@ex@ample.com",
            "bob@.com",
            "bob@example.",
            "b ob@example.com",
            "b\"ob@example.com",
            "",
        ] {
            assert!(email("e", bad).is_err(), "{bad}");
        }
        assert!(email("e", &format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn identifiers_are_emails_or_lower_cased_usernames() {
        assert_eq!(
            Identifier::parse("u", "ALICE").unwrap(),
            Identifier::Username("alice".into())
        );
        assert_eq!(
            Identifier::parse("u", "A@B.io").unwrap(),
            Identifier::Email("a@b.io".into())
        );
        assert_eq!(
            Identifier::parse("u", "a\"@b.io").unwrap(),
            Identifier::Nobody
        );
        assert!(Identifier::parse("u", "  ").is_err());
    }

    #[test]
    fn passwords_and_codes_have_bounds() {
        assert!(new_password("p", "short").is_err());
        assert!(new_password("p", "long enough").is_ok());
        assert!(new_password("p", &"x".repeat(257)).is_err());
        assert!(presented_password("p", "").is_err());
        assert_eq!(code("c", " 123456 ").unwrap(), "123456");
        assert!(code("c", "12a").is_err());
        assert!(code("c", &"1".repeat(17)).is_err());
    }
}
