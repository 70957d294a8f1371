//! Jurisdiction documents for the `eval` target: a seed document (from the examples) walked
//! and changed under the control of an `Unstructured` stream — fields removed or nulled,
//! values of the wrong type, empty and huge arrays, extreme numbers and dates.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value as Json};

use crate::pick;

/// Largest array the mutation builds, in the inputs that allow huge arrays: far past any real
/// document's lists, and small enough that the pairwise norms (quadratic in their lists) keep
/// the target fast. Larger lists are measured in docs/RELIABILITY.md and tests/hardening.rs.
pub const HUGE: usize = 1_000;

/// Largest array the mutation builds otherwise.
pub const SMALL: usize = 64;

const STRINGS: &[&str] = &[
    "",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "2027-02-30",
    "-2027-01-01",
    "2027-13-01",
    "+275760-09-13",
    "yes",
    "\u{1b}[31mred",
    "=HYPERLINK(\"x\")",
    "é",
    "id-1",
    "critical",
];

/// A changed copy of `value`; arrays it builds have at most `max_array` items.
pub fn mutate(
    u: &mut Unstructured<'_>,
    value: &Json,
    depth: usize,
    max_array: usize,
) -> Result<Json> {
    if u.is_empty() {
        return Ok(value.clone());
    }
    match u.int_in_range(0..=19u8)? {
        0 => return Ok(Json::Null),
        1 => return scalar(u),
        2 if depth < 6 => return Ok(Json::Array(Vec::new())),
        3 => {
            // A huge array of this value (or of an arbitrary scalar).
            let n = u.int_in_range(0..=max_array)?;
            // Copies of a small value or of a scalar: the array is huge, the document stays
            // within what a real file of the size limit could hold.
            let small_value = !matches!(value, Json::Object(_) | Json::Array(_));
            let item = if small_value && u.arbitrary()? {
                value.clone()
            } else {
                scalar(u)?
            };
            return Ok(Json::Array(vec![item; n]));
        }
        4 => return Ok(Json::Object(Map::new())),
        _ => {}
    }
    Ok(match value {
        Json::Object(object) => {
            let mut out = Map::new();
            for (key, field) in object {
                if u.ratio(1, 12)? {
                    continue; // omitted
                }
                out.insert(key.clone(), mutate(u, field, depth + 1, max_array)?);
            }
            if u.ratio(1, 16)? {
                out.insert(
                    pick(u, &["extra", "waivers", "id"])?.to_string(),
                    scalar(u)?,
                );
            }
            Json::Object(out)
        }
        Json::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                if u.ratio(1, 10)? {
                    continue;
                }
                out.push(mutate(u, item, depth + 1, max_array)?);
                if u.ratio(1, 10)? {
                    out.push(mutate(u, item, depth + 1, max_array)?); // duplicate ids, repeated items
                }
            }
            Json::Array(out)
        }
        other => other.clone(),
    })
}

/// An arbitrary scalar, biased to the extremes.
pub fn scalar(u: &mut Unstructured<'_>) -> Result<Json> {
    Ok(match u.int_in_range(0..=9u8)? {
        0 => Json::Null,
        1 => Json::Bool(u.arbitrary()?),
        2 => Json::from(*pick(
            u,
            &[i64::MIN, i64::MAX, -1, 0, 1, i64::from(i32::MAX)],
        )?),
        3 => Json::from(u64::MAX),
        4 => serde_json::Number::from_f64(*pick(
            u,
            &[
                f64::MAX,
                f64::MIN,
                f64::MIN_POSITIVE,
                -0.0,
                1e308,
                0.5,
                1.0000001,
            ],
        )?)
        .map_or(Json::Null, Json::Number),
        5 => Json::from(u.arbitrary::<i64>()?),
        6 => Json::String(u.arbitrary::<String>()?),
        _ => Json::String(pick(u, STRINGS)?.to_string()),
    })
}
