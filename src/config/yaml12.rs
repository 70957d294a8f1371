//! Numbers in YAML documents as the YAML 1.2 core schema reads them.
//!
//! serde-saphyr also reads some YAML 1.1 spellings of numbers as numbers: digits grouped with
//! `_` (`1_200`), binary (`0b101`), a capital radix prefix (`0X1F`) and signed hexadecimal or
//! octal (`-0x1F`). YAML 1.2 reads these plain scalars as text, so Rampart does too: an `int`
//! field holding one is a wrong type, with a hint that spells the number as YAML 1.2 reads it
//! ([`number_hint`]). What the core schema reads as a number stays one: `12`, `+12`, `012`
//! (twelve), `0x1F`, `0o17`, `.5`, `1e3`.
//!
//! serde-saphyr gives a number without its text, so the text is found again by a second
//! reading with positions ([`YamlPositions`], which also places problems); a document that holds none of these spellings anywhere in its text
//! (the usual case) is not read twice.

use serde_json::Value as Json;

use super::locate::{Spanned, YamlNode, YamlPositions};

/// `value`, read from the YAML `text`, with every number that the YAML 1.2 core
/// schema reads as text turned back into that text.
pub(super) fn core_schema_numbers(text: &str, value: Json) -> Json {
    if !may_hold_yaml11_number(text.as_bytes()) {
        return value;
    }
    let Some(positions) = YamlPositions::parse(text) else {
        return value;
    };
    let mut value = value;
    restore(text, &mut value, positions.root());
    value
}

/// True when `text` holds `_` between digits or a number with a radix prefix (`0x`, `0o`,
/// `0b`, in either case): a cheap test that no YAML 1.1 number is written anywhere (it also
/// matches such characters in strings and comments, which the second reading tells apart).
fn may_hold_yaml11_number(text: &[u8]) -> bool {
    text.windows(3).any(|w| match w {
        [a, b'_', c] => a.is_ascii_digit() && c.is_ascii_digit(),
        [before, b'0', prefix] => !before.is_ascii_alphanumeric() && b"xXoObB".contains(prefix),
        _ => false,
    })
}

/// Replaces each number of `value` written in a way the core schema reads as text.
fn restore(text: &str, value: &mut Json, raw: &Spanned<YamlNode>) {
    match (value, &raw.value) {
        (value @ Json::Number(_), YamlNode::Number) => {
            if let Some(written) = scalar_text(text, raw).filter(|t| !is_core_number(t)) {
                *value = Json::String(written.to_string());
            }
        }
        (Json::Array(items), YamlNode::Seq(raws)) => {
            for (item, raw) in items.iter_mut().zip(raws) {
                restore(text, item, raw);
            }
        }
        (Json::Object(members), YamlNode::Map(entries)) => {
            for (key, raw) in entries {
                if let Some(member) = members.get_mut(&key.value) {
                    restore(text, member, raw);
                }
            }
        }
        _ => {}
    }
}

/// The text of a scalar as written (at its anchor, for an alias).
pub(super) fn scalar_text<'t>(text: &'t str, node: &Spanned<YamlNode>) -> Option<&'t str> {
    let span = node.defined.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    text.get(start..start.checked_add(len)?).map(str::trim)
}

/// True for a number of the YAML 1.2 core schema: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`
/// or `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
pub(super) fn is_core_number(text: &str) -> bool {
    if let Some(octal) = text.strip_prefix("0o") {
        return !octal.is_empty() && octal.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok =
        digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// How to write a number that was written as text (`"1_200"`, `0b101`, `"12"`), for the help of
/// a wrong-type problem; `None` when the text is not a number in any spelling.
pub(super) fn number_hint(text: &str) -> Option<String> {
    let ungrouped: String = text.chars().filter(|&c| c != '_').collect();
    if ungrouped.len() < text.len() && is_core_number(&ungrouped) {
        return Some(format!(
            "\"{text}\" is text, not a number (YAML 1.2 reads digits grouped with `_` as text): write {ungrouped} without underscores"
        ));
    }
    if let Some(value) = yaml11_radix_number(text) {
        return Some(format!(
            "\"{text}\" is text, not a number (YAML 1.2 reads binary, a capital 0X or 0O, and a sign before 0x or 0o as text): write {value}"
        ));
    }
    is_core_number(text)
        .then(|| format!("\"{text}\" is text, not a number: write {text} without quotes"))
}

/// The value of a number in a radix spelling that YAML 1.2 reads as text: binary (`0b101`),
/// a capital prefix (`0X1F`) or a sign before the prefix (`-0x1F`).
fn yaml11_radix_number(text: &str) -> Option<i128> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let signed = unsigned.len() < text.len();
    let (radix, digits) = match unsigned.get(..2)? {
        "0b" | "0B" => (2, &unsigned[2..]),
        "0X" => (16, &unsigned[2..]),
        "0O" => (8, &unsigned[2..]),
        "0x" if signed => (16, &unsigned[2..]),
        "0o" if signed => (8, &unsigned[2..]),
        _ => return None,
    };
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_schema_numbers_are_numbers() {
        for text in [
            "0", "12", "+12", "-12", "012", "0x1F", "0o17", ".5", "1.", "1e3", "-1.5E-3",
        ] {
            assert!(is_core_number(text), "{text}");
        }
        for text in [
            "1_200", "0b101", "-0x1F", "+0o17", "0X1F", "0x1_F", "0x", ".", "e3", "1e", "1.2.3",
            "", "+",
        ] {
            assert!(!is_core_number(text), "{text}");
        }
    }

    #[test]
    fn the_hint_spells_the_number_as_yaml_1_2_reads_it() {
        let hint = |text: &str| number_hint(text).unwrap_or_default();
        assert!(hint("1_200").ends_with("write 1200 without underscores"));
        assert!(hint("0b101").ends_with("write 5"));
        assert!(hint("-0x1F").ends_with("write -31"));
        assert!(hint("12").ends_with("write 12 without quotes"));
        assert_eq!(number_hint("twelve"), None);
        assert_eq!(number_hint("a_b"), None);
    }

    #[test]
    fn the_quick_test_finds_every_yaml_1_1_spelling() {
        for text in [
            "n: 1_200", "n: 0b101", "n: -0x1F", "n: +0o17", "n: 0X1F", "n: 0x1_F",
        ] {
            assert!(may_hold_yaml11_number(text.as_bytes()), "{text}");
        }
        for text in [
            "election_date: 2027-03-18",
            "available_24x7: true",
            "id: ab0x1",
        ] {
            assert!(!may_hold_yaml11_number(text.as_bytes()), "{text}");
        }
    }
}
