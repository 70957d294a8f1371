//! Run-time values: a borrowed view of the jurisdiction document read through the schema's
//! types, plus the few values computed during evaluation (numbers, dates, new lists).
//!
//! A value is present, [`Value::Missing`] (absent or null: *unknown*), [`Value::Dangling`]
//! (reached through a reference that names no element) or, for a number, [`Value::Between`]
//! (known only between bounds). Nothing here allocates for values read
//! from the document; computed strings and lists own their data.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::rc::Rc;

use super::doc::{Doc, Node};
use crate::check::Const;
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
    /// A number known only to lie between two bounds, inclusive, the first the lower (a count
    /// over items some of which are unknown, or arithmetic on one: see [`super::bounds`]).
    Between(f64, f64),
    /// Text, an enum member or a reference id.
    Str(Cow<'a, str>),
    /// A calendar date.
    Date(Date),
    /// A number of days.
    Duration(i64),
    /// An object of the document.
    Object(Obj<'a>),
    /// A list.
    List(List<'a>),
}

/// An object of the document.
#[derive(Clone, Copy, Debug)]
pub struct Obj<'a> {
    doc: &'a Doc,
    ty: u32,
    first: u32,
}

impl<'a> Obj<'a> {
    /// Field `index` (in the declaration order of the object's type).
    pub fn field(&self, index: usize) -> Value<'a> {
        from_node(self.doc, self.doc.field(self.first, index))
    }

    /// Its `id`, when it has one.
    pub fn id(&self) -> Option<&'a str> {
        self.doc.id_of(self.node())
    }

    /// True when both are the same object of the same document.
    pub fn is(&self, other: &Obj<'_>) -> bool {
        std::ptr::eq(self.doc, other.doc) && self.first == other.first
    }

    fn node(&self) -> Node {
        Node::Object {
            ty: self.ty,
            first: self.first,
        }
    }
}

/// A list value.
#[derive(Clone, Debug)]
pub enum List<'a> {
    /// A list of the document: `len` nodes from `first`.
    Doc(&'a Doc, u32, u32),
    /// A list constant of the program.
    Const(&'a [Const]),
    /// A list computed during evaluation.
    Values(Rc<[Value<'a>]>),
}

impl<'a> List<'a> {
    /// Number of items.
    pub fn len(&self) -> usize {
        match self {
            List::Doc(_, _, len) => *len as usize,
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
            List::Doc(doc, first, len) => {
                let index = u32::try_from(index).ok().filter(|index| index < len)?;
                Some(from_node(doc, doc.node(first + index)))
            }
            List::Const(items) => items.get(index).map(from_const),
            List::Values(items) => items.get(index).cloned(),
        }
    }

    /// Every item in order.
    pub fn iter(&self) -> Items<'a, '_> {
        match self {
            List::Doc(doc, first, len) => Items::Doc(doc, doc.nodes(*first, *len).iter()),
            List::Const(items) => Items::Const(items.iter()),
            List::Values(items) => Items::Values(items.iter()),
        }
    }
}

/// The items of a [`List`], in order: one iterator per kind of list, so that the kind is
/// matched once per item, without chaining three iterators.
pub enum Items<'a, 'l> {
    /// Of a list of the document.
    Doc(&'a Doc, std::slice::Iter<'a, Node>),
    /// Of a list constant.
    Const(std::slice::Iter<'a, Const>),
    /// Of a computed list.
    Values(std::slice::Iter<'l, Value<'a>>),
}

impl<'a> Iterator for Items<'a, '_> {
    type Item = Value<'a>;

    #[inline]
    fn next(&mut self) -> Option<Value<'a>> {
        match self {
            Items::Doc(doc, nodes) => nodes.next().map(|node| from_node(doc, *node)),
            Items::Const(constants) => constants.next().map(from_const),
            Items::Values(values) => values.next().cloned(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = match self {
            Items::Doc(_, nodes) => nodes.len(),
            Items::Const(constants) => constants.len(),
            Items::Values(values) => values.len(),
        };
        (left, Some(left))
    }
}

impl ExactSizeIterator for Items<'_, '_> {}

/// The value of a document node.
pub fn from_node(doc: &Doc, node: Node) -> Value<'_> {
    match node {
        Node::Missing => Value::Missing,
        Node::Bool(b) => Value::Bool(b),
        Node::Number(n) => Value::Number(n),
        Node::Duration(days) => Value::Duration(days),
        Node::Date(date) => Value::Date(date),
        Node::Str { start, len } => Value::Str(Cow::Borrowed(doc.str(start, len))),
        Node::Object { ty, first } => Value::Object(Obj { doc, ty, first }),
        Node::List { first, len } => Value::List(List::Doc(doc, first, len)),
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

    /// True when missing or a number known only between bounds: a value evidence must say
    /// is not known.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Missing | Value::Between(..))
    }
}

/// A value's identity, for remembering calls of a definition: equal identities mean equal
/// values (text and lists by address and length, objects by node, a computed list has none).
/// Only meaningful among values of one document.
pub type Identity = (u8, u64, u32);

/// The [`Identity`] of `value`, when it has one.
pub fn identity(value: &Value<'_>) -> Option<Identity> {
    Some(match value {
        Value::Missing => (0, 0, 0),
        Value::Dangling => (1, 0, 0),
        Value::Bool(b) => (2, u64::from(*b), 0),
        Value::Number(n) => (3, n.to_bits(), 0),
        Value::Date(date) => (4, date.days() as u64, 0),
        Value::Duration(days) => (5, *days as u64, 0),
        Value::Str(Cow::Borrowed(text)) => {
            (6, text.as_ptr() as u64, u32::try_from(text.len()).ok()?)
        }
        Value::Str(Cow::Owned(_)) | Value::List(List::Values(_)) | Value::Between(..) => {
            return None;
        }
        Value::Object(object) => (7, u64::from(object.first), object.ty),
        Value::List(List::Doc(_, first, len)) => (8, u64::from(*first), *len),
        Value::List(List::Const(items)) => {
            (9, items.as_ptr() as u64, u32::try_from(items.len()).ok()?)
        }
    })
}

/// Equality of two present values; `None` when it cannot be decided (a missing list item).
pub fn equal(a: &Value<'_>, b: &Value<'_>) -> Option<bool> {
    match (a, b) {
        (Value::Missing | Value::Dangling, _) | (_, Value::Missing | Value::Dangling) => None,
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::Between(..), _) | (_, Value::Between(..)) => super::bounds::equal(a, b),
        (Value::Str(x), Value::Str(y)) => Some(x == y),
        (Value::Date(x), Value::Date(y)) => Some(x == y),
        (Value::Duration(x), Value::Duration(y)) => Some(x == y),
        (Value::Object(x), Value::Object(y)) => {
            Some(x.is(y) || (std::ptr::eq(x.doc, y.doc) && x.doc.same(x.node(), y.node())))
        }
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
    if let (Value::Str(text), List::Const(constants)) = (item, list) {
        // Text in a list of constants (an enum subset, say): compared without conversions.
        let found = constants
            .iter()
            .any(|constant| matches!(constant, Const::Str(c) if c.as_ref() == text.as_ref()));
        return Truth::from_bool(found);
    }
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
    match value {
        Value::Missing => out.push_str("missing"),
        Value::Dangling => out.push_str("a dangling reference"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => crate::check::write_number(*n, out),
        Value::Between(low, high) => {
            out.push_str("between ");
            crate::check::write_number(*low, out);
            out.push_str(" and ");
            crate::check::write_number(*high, out);
        }
        Value::Str(s) => out.push_str(s),
        Value::Date(d) => d.write_iso(out),
        Value::Duration(days) => {
            out.push_str(itoa::Buffer::new().format(*days));
            out.push('d');
        }
        Value::Object(object) => match object.id() {
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
    show_into(value, &mut out);
    out
}

/// Appends a value as [`show`] writes it.
pub fn show_into(value: &Value<'_>, out: &mut String) {
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
                show_into(&item, out);
            }
            out.push(']');
        }
        other => display(other, out),
    }
}
