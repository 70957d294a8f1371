//! Run-time values: a borrowed view of the jurisdiction document read through the schema's
//! types, plus the few values computed during evaluation (numbers, dates, new lists).
//!
//! A value is present, [`Value::Missing`] (absent or null: *unknown*) or [`Value::Dangling`]
//! (reached through a reference that names no element). Nothing here allocates for values read
//! from the document; computed strings and lists own their data.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::rc::Rc;

use serde_json::Value as Json;

use crate::check::{Const, Type};
use crate::date::Date;

/// A value during evaluation, borrowing the document and the program for `'a`.
#[derive(Clone, Debug)]
pub enum Value<'a> {
    /// Absent or null: unknown.
    Missing,
    /// Reached through a reference that names no element.
    Dangling,
    /// `true` / `false`.
    Bool(bool),
    /// Any number.
    Number(f64),
    /// Text, an enum member or a reference id.
    Str(Cow<'a, str>),
    /// A calendar date.
    Date(Date),
    /// A number of days.
    Duration(i64),
    /// An object of the document.
    Object(&'a serde_json::Map<String, Json>),
    /// A list.
    List(List<'a>),
}

/// A list value.
#[derive(Clone, Debug)]
pub enum List<'a> {
    /// A JSON array of the document, with its element type.
    Json(&'a [Json], &'a Type),
    /// A list constant of the program.
    Const(&'a [Const]),
    /// A list computed during evaluation.
    Values(Rc<[Value<'a>]>),
}

impl<'a> List<'a> {
    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            List::Json(items, _) => items.len(),
            List::Const(items) => items.len(),
            List::Values(items) => items.len(),
        }
    }

    /// True when the list has no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item at `index`, if any.
    pub fn get(&self, index: usize) -> Option<Value<'a>> {
        match self {
            List::Json(items, element) => items.get(index).map(|item| from_json(item, element)),
            List::Const(items) => items.get(index).map(from_const),
            List::Values(items) => items.get(index).cloned(),
        }
    }

    /// Every item in order.
    pub fn iter(&self) -> impl Iterator<Item = Value<'a>> + '_ {
        (0..self.len()).filter_map(|index| self.get(index))
    }
}

/// Reads a JSON value as a value of type `ty`; anything of the wrong shape is missing (the
/// document's validation reports it).
pub fn from_json<'a>(json: &'a Json, ty: &'a Type) -> Value<'a> {
    match (json, ty) {
        (Json::Null, _) => Value::Missing,
        (Json::Bool(b), Type::Bool | Type::Any) => Value::Bool(*b),
        (Json::Number(n), Type::Int | Type::Number | Type::Ratio | Type::Any) => {
            n.as_f64().map_or(Value::Missing, Value::Number)
        }
        (Json::Number(n), Type::Duration) => n.as_i64().map_or(Value::Missing, Value::Duration),
        (Json::String(s), Type::Date) => Date::parse(s).map_or(Value::Missing, Value::Date),
        (Json::String(s), Type::String | Type::Enum(_) | Type::Ref(_) | Type::Any) => {
            Value::Str(Cow::Borrowed(s))
        }
        (Json::Object(map), Type::Object(_) | Type::Any) => Value::Object(map),
        (Json::Array(items), Type::List(element)) => Value::List(List::Json(items, element)),
        (Json::Array(items), Type::Any) => Value::List(List::Json(items, &Type::Any)),
        _ => Value::Missing,
    }
}

/// The value of a program constant.
pub fn from_const(constant: &Const) -> Value<'_> {
    match constant {
        Const::Bool(b) => Value::Bool(*b),
        Const::Number(n) => Value::Number(*n),
        Const::Str(s) => Value::Str(Cow::Borrowed(s)),
        Const::Date(d) => Value::Date(*d),
        Const::Duration(days) => Value::Duration(*days),
        Const::List(items) => Value::List(List::Const(items)),
    }
}

/// A truth value of the three-valued logic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// Holds.
    True,
    /// Does not hold.
    False,
    /// Evidence is missing.
    Unknown,
}

impl Truth {
    /// `not`.
    pub fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    /// From a known boolean.
    pub fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    /// As a value.
    pub fn value<'a>(self) -> Value<'a> {
        match self {
            Truth::True => Value::Bool(true),
            Truth::False => Value::Bool(false),
            Truth::Unknown => Value::Missing,
        }
    }
}

impl Value<'_> {
    /// The truth of a condition's value: a dangling reference makes it false.
    pub fn truth(&self) -> Truth {
        match self {
            Value::Bool(b) => Truth::from_bool(*b),
            Value::Dangling => Truth::False,
            _ => Truth::Unknown,
        }
    }

    /// True when absent or null.
    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Missing)
    }
}

/// Equality of two present values; `None` when it cannot be decided (a missing list item).
pub fn equal(a: &Value<'_>, b: &Value<'_>) -> Option<bool> {
    match (a, b) {
        (Value::Missing | Value::Dangling, _) | (_, Value::Missing | Value::Dangling) => None,
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::Str(x), Value::Str(y)) => Some(x == y),
        (Value::Date(x), Value::Date(y)) => Some(x == y),
        (Value::Duration(x), Value::Duration(y)) => Some(x == y),
        (Value::Object(x), Value::Object(y)) => Some(std::ptr::eq(*x, *y) || x == y),
        (Value::List(x), Value::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            let mut acc = Some(true);
            for (p, q) in x.iter().zip(y.iter()) {
                match equal(&p, &q) {
                    Some(false) => return Some(false),
                    None => acc = None,
                    Some(true) => {}
                }
            }
            acc
        }
        _ => Some(false),
    }
}

/// Order of two values of an orderable type; `None` when they cannot be ordered.
pub fn order(a: &Value<'_>, b: &Value<'_>) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Duration(x), Value::Duration(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Whether `item` is in `list`, three-valued: unknown when it is not found and some item is
/// missing.
pub fn member(item: &Value<'_>, list: &List<'_>) -> Truth {
    let mut acc = Truth::False;
    for candidate in list.iter() {
        match equal(item, &candidate) {
            Some(true) => return Truth::True,
            None => acc = Truth::Unknown,
            Some(false) => {}
        }
    }
    acc
}

/// Writes a value the way messages and evidence show it.
pub fn display(value: &Value<'_>, out: &mut String) {
    use std::fmt::Write;
    match value {
        Value::Missing => out.push_str("missing"),
        Value::Dangling => out.push_str("a dangling reference"),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Number(n) => out.push_str(&crate::check::format_number(*n)),
        Value::Str(s) => out.push_str(s),
        Value::Date(d) => {
            let _ = write!(out, "{d}");
        }
        Value::Duration(days) => {
            let _ = write!(out, "{days}d");
        }
        Value::Object(map) => match map.get("id").and_then(Json::as_str) {
            Some(id) => out.push_str(id),
            None => out.push_str("{…}"),
        },
        Value::List(list) => {
            out.push('[');
            for (index, item) in list.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                display(&item, out);
            }
            out.push(']');
        }
    }
}

/// A value as shown in evidence: like [`display`], with strings quoted.
pub fn show(value: &Value<'_>) -> String {
    let mut out = String::new();
    match value {
        Value::Str(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        Value::List(list) => {
            out.push('[');
            for (index, item) in list.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(&show(&item));
            }
            out.push(']');
        }
        other => display(other, &mut out),
    }
    out
}
