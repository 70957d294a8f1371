//! Types of the language and the resolved schema of the jurisdiction document.

use std::fmt;

use crate::syntax::Span;

/// Index of an object type in [`Schema::objects`].
pub type ObjectId = usize;
/// Index of an enum in [`Schema::enums`].
pub type EnumId = usize;

/// The largest magnitude of a whole number an `int` or `count` value may have: 2^53, up to
/// which every whole number is exact in the `f64` that numbers are evaluated as. Documents,
/// `--set` and the exported JSON Schema hold whole numbers to it.
pub const LARGEST_WHOLE: u64 = 1 << 53;

/// Why a whole number beyond [`LARGEST_WHOLE`] is refused, for the help of every refusal.
pub const TOO_LARGE_HELP: &str = "numbers are evaluated in 64-bit floating point, which holds \
                                  whole numbers exactly only up to 2^53: a larger one would be \
                                  rounded";

/// A number as written, seen as a whole number: judged on its digits, before it is rounded to
/// the `f64` it is evaluated as (`9007199254740993.0` would round to 2^53).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WrittenWhole {
    /// Whole, and no larger than [`LARGEST_WHOLE`] either way.
    Exact,
    /// Not whole (`2.5`, `1e-3`).
    Fraction,
    /// Whole, and beyond [`LARGEST_WHOLE`] either way.
    TooLarge,
}

/// How the decimal number `text` (`12`, `-3.0`, `+1.5e3`, `.5`; no digit groups) stands as a
/// whole number, judged as written; `None` when `text` is not such a number.
pub fn written_whole(text: &str) -> Option<WrittenWhole> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(whole) || !is_digits(fraction) || whole.len() + fraction.len() == 0 {
        return None;
    }
    // The number is `digits` × 10^`scale`.
    let scale = match exponent {
        None => 0,
        Some(exponent) => {
            let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
            if digits.is_empty() || !is_digits(digits) {
                return None;
            }
            // Past a few digits an exponent only says "very large" or "very small".
            let magnitude = digits.trim_start_matches('0');
            let magnitude: i64 = if magnitude.len() > 6 {
                1_000_000
            } else {
                magnitude.parse().unwrap_or(0)
            };
            if exponent.starts_with('-') {
                -magnitude
            } else {
                magnitude
            }
        }
    };
    let digits = format!("{whole}{fraction}");
    let significant = digits.trim_start_matches('0');
    let kept = significant.trim_end_matches('0');
    if kept.is_empty() {
        return Some(WrittenWhole::Exact);
    }
    // `kept` × 10^`scale`, its trailing zeros moved into the scale.
    let scale = scale - fraction.len() as i64 + (significant.len() - kept.len()) as i64;
    if scale < 0 {
        return Some(WrittenWhole::Fraction);
    }
    let largest = LARGEST_WHOLE.to_string();
    let length = kept.len() as i64 + scale;
    let too_large = match length.cmp(&(largest.len() as i64)) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => {
            let written = format!("{kept}{}", "0".repeat(scale as usize));
            written > largest
        }
    };
    Some(match too_large {
        true => WrittenWhole::TooLarge,
        false => WrittenWhole::Exact,
    })
}

/// The type of a value or expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// `true` / `false`.
    Bool,
    /// Whole numbers.
    Int,
    /// Whole numbers from 0 up: how many of something there are. An `int` everywhere but in
    /// the document, where a negative value is refused.
    Count,
    /// Any number.
    Number,
    /// A number between 0 and 1.
    Ratio,
    /// Text.
    String,
    /// A calendar date.
    Date,
    /// A number of days.
    Duration,
    /// One of an enum's strings.
    Enum(EnumId),
    /// An object of the document.
    Object(ObjectId),
    /// A list.
    List(Box<Type>),
    /// The id of an element of the root-level list with this root field index.
    Ref(usize),
    /// Unknown because of an earlier error, or the element of an empty list: fits anywhere.
    Any,
}

impl Type {
    /// True for `int`, `count`, `number` and `ratio`.
    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            Type::Int | Type::Count | Type::Number | Type::Ratio | Type::Any
        )
    }

    /// The primitive type a name denotes in a document field (so not `duration`).
    pub fn document_primitive(name: &str) -> Option<Type> {
        Some(match name {
            "string" => Type::String,
            "bool" => Type::Bool,
            "int" => Type::Int,
            "count" => Type::Count,
            "number" => Type::Number,
            "ratio" => Type::Ratio,
            "date" => Type::Date,
            _ => return None,
        })
    }

    /// True for the whole-number types, `int` and `count`.
    pub fn is_whole(&self) -> bool {
        matches!(self, Type::Int | Type::Count)
    }

    /// True for strings and the string-like enums and references.
    pub fn is_textual(&self) -> bool {
        matches!(
            self,
            Type::String | Type::Enum(_) | Type::Ref(_) | Type::Any
        )
    }

    /// True when values of the two types can be compared with `==`.
    pub fn comparable_with(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Any, _) | (_, Type::Any) => true,
            (a, b) if a.is_numeric() && b.is_numeric() => true,
            (a, b) if a.is_textual() && b.is_textual() => match (a, b) {
                (Type::Enum(x), Type::Enum(y)) => x == y,
                (Type::Ref(x), Type::Ref(y)) => x == y,
                _ => true,
            },
            (Type::List(a), Type::List(b)) => a.comparable_with(b),
            (a, b) => a == b,
        }
    }

    /// True when the two types can be ordered with `<`.
    pub fn orderable_with(&self, other: &Type) -> bool {
        match (self, other) {
            (Type::Any, t) | (t, Type::Any) => {
                t.is_numeric()
                    || matches!(t, Type::Date | Type::Duration | Type::String | Type::Any)
            }
            (a, b) if a.is_numeric() && b.is_numeric() => true,
            (Type::Date, Type::Date)
            | (Type::Duration, Type::Duration)
            | (Type::String, Type::String) => true,
            _ => false,
        }
    }

    /// The element type when this is a list.
    pub fn element(&self) -> Option<&Type> {
        match self {
            Type::List(element) => Some(element),
            Type::Any => Some(&Type::Any),
            _ => None,
        }
    }

    /// A name for the type in messages.
    pub fn display<'a>(&'a self, schema: &'a Schema) -> TypeDisplay<'a> {
        TypeDisplay { ty: self, schema }
    }
}

/// Shows a [`Type`] with schema names.
pub struct TypeDisplay<'a> {
    ty: &'a Type,
    schema: &'a Schema,
}

impl fmt::Display for TypeDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ty {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Count => f.write_str("count"),
            Type::Number => f.write_str("number"),
            Type::Ratio => f.write_str("ratio"),
            Type::String => f.write_str("string"),
            Type::Date => f.write_str("date"),
            Type::Duration => f.write_str("duration"),
            Type::Enum(id) => f.write_str(
                self.schema
                    .enums
                    .get(*id)
                    .map_or("enum", |e| e.name.as_str()),
            ),
            Type::Object(id) => f.write_str(
                self.schema
                    .objects
                    .get(*id)
                    .map_or("object", |o| o.name.as_str()),
            ),
            Type::List(element) => write!(f, "[{}]", element.display(self.schema)),
            Type::Ref(root_field) => {
                let name = self
                    .schema
                    .root_object()
                    .fields
                    .get(*root_field)
                    .map_or("?", |field| field.name.as_str());
                write!(f, "ref {name}")
            }
            Type::Any => f.write_str("any"),
        }
    }
}

/// A field of an object type.
#[derive(Clone, Debug)]
pub struct FieldDef {
    /// The field name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// False when it may be absent.
    pub required: bool,
    /// Its doc comment.
    pub doc: Option<String>,
    /// Where it was declared.
    pub span: Span,
}

/// An object type of the document.
#[derive(Clone, Debug)]
pub struct ObjectType {
    /// The type name (`<root>` for the schema block).
    pub name: String,
    /// Fields in declaration order.
    pub fields: Vec<FieldDef>,
    /// Its doc comment.
    pub doc: Option<String>,
    /// Where it was declared.
    pub span: Span,
}

impl ObjectType {
    /// The index of the field called `name`.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|field| field.name == name)
    }
}

/// An enumeration of allowed strings.
#[derive(Clone, Debug)]
pub struct EnumType {
    /// The type name.
    pub name: String,
    /// The allowed strings, each with its doc comment.
    pub members: Vec<(String, Option<String>)>,
    /// Its doc comment.
    pub doc: Option<String>,
    /// Where it was declared.
    pub span: Span,
}

impl EnumType {
    /// True when `value` is a member.
    pub fn has(&self, value: &str) -> bool {
        self.members.iter().any(|(member, _)| member == value)
    }
}

/// True when a value of type `ty` can hold a reference, given which object types can (`holds`).
fn type_holds_references(ty: &Type, holds: &[bool]) -> bool {
    match ty {
        Type::Ref(_) => true,
        Type::List(element) => type_holds_references(element, holds),
        Type::Object(id) => holds.get(*id).copied().unwrap_or(false),
        _ => false,
    }
}

/// The resolved schema of the jurisdiction document.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    /// Object types; the root is at [`Schema::root`].
    pub objects: Vec<ObjectType>,
    /// Enumerations.
    pub enums: Vec<EnumType>,
    /// The root object (the `schema` block).
    pub root: ObjectId,
    /// For each object type, the fields where a reference can occur (see
    /// [`Schema::reference_fields`]), worked out once, on first use.
    reference_fields: std::sync::OnceLock<Vec<Vec<usize>>>,
}

impl Schema {
    /// For each object type, the indices of the fields where a reference can occur: a `ref`
    /// field, or a list or object that holds one, however deep. Asked once the schema is
    /// complete (documents are read after the policy set is checked).
    pub fn reference_fields(&self) -> &[Vec<usize>] {
        self.reference_fields.get_or_init(|| {
            let holds = self.objects_holding_references();
            (self.objects.iter())
                .map(|object| {
                    (object.fields.iter().enumerate())
                        .filter(|(_, field)| type_holds_references(&field.ty, &holds))
                        .map(|(index, _)| index)
                        .collect()
                })
                .collect()
        })
    }

    /// For each object type, whether a reference can occur in it: a fixed point, since an
    /// object holds one when an object type of one of its fields does.
    fn objects_holding_references(&self) -> Vec<bool> {
        let mut holds = vec![false; self.objects.len()];
        for _ in 0..=self.objects.len() {
            let mut changed = false;
            for (index, object) in self.objects.iter().enumerate() {
                let now = (object.fields.iter()).any(|f| type_holds_references(&f.ty, &holds));
                if now != holds[index] {
                    holds[index] = now;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        holds
    }

    /// The root object type.
    pub fn root_object(&self) -> &ObjectType {
        &self.objects[self.root]
    }

    /// The object type of the elements a reference points to.
    pub fn ref_target(&self, root_field: usize) -> Option<ObjectId> {
        match &self.root_object().fields.get(root_field)?.ty {
            Type::List(element) => match **element {
                Type::Object(id) => Some(id),
                _ => None,
            },
            _ => None,
        }
    }
}

/// "a" or "an" before `word`.
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_judged_on_their_digits_as_written() {
        use WrittenWhole::{Exact, Fraction, TooLarge};
        for (text, judged) in [
            ("0", Exact),
            ("-0.0e5", Exact),
            ("12", Exact),
            ("+12", Exact),
            ("3.000", Exact),
            ("1e3", Exact),
            ("1.5E1", Exact),
            ("1200e-2", Exact),
            ("9007199254740992", Exact),
            ("-9007199254740992.0", Exact),
            ("9.007199254740992e15", Exact),
            ("900719925474099200e-2", Exact),
            ("2.5", Fraction),
            (".5", Fraction),
            ("1e-3", Fraction),
            ("4503599627370496.5", Fraction),
            ("2.0000000000000001", Fraction),
            ("1e-99999999999", Fraction),
            ("9007199254740993", TooLarge),
            ("9007199254740993.0", TooLarge),
            ("-9.007199254740993e15", TooLarge),
            ("10000000000000000", TooLarge),
            ("1e300", TooLarge),
            ("1e99999999999", TooLarge),
        ] {
            assert_eq!(written_whole(text), Some(judged), "{text}");
        }
        for text in [
            "", "-", ".", "e3", "1e", "1e+", "0x1F", "1_000", "1.2.3", "twelve",
        ] {
            assert_eq!(written_whole(text), None, "{text}");
        }
    }
}
