//! The fast path of loading a JSON document: its text is read straight into an evaluation
//! [`Doc`] through the schema, in one pass, without building a `serde_json::Value` and without
//! a separate validation walk. The reader scans the bytes itself, led by the schema: each
//! object key is matched to its field index as it is read (so fields no norm could read are
//! never stored), each scalar is checked against its field's type as it is read, and dates are
//! parsed once.
//!
//! The fast path only ever accepts a document that is plainly valid. At the first thing the
//! full path would report (a syntax error, a repeated key, an unknown field, a wrong type, an
//! impossible date, a missing required field, an unknown enum member, nesting past
//! [`MAX_DEPTH`], a waiver of an unknown norm) it gives up, and [`super::from_text`] takes the
//! full path (serde_json: parse, validate, locate), which reports the problem with its
//! position. It also gives up on what it does not read itself, which the full path reads
//! correctly: an escape that is not a pair of UTF-16 surrogates when it should be, an integer
//! beyond 64 bits, a fraction whose digits or exponent would make the nearest `f64` depend on
//! the parsing algorithm. So the fast path decides nothing on its own: for every document it
//! accepts, the result equals [`Doc::from_json`] of the value serde_json parses (tests check
//! this on every example, on many degraded documents and on the corners of JSON's grammar;
//! the `fast_path` fuzz target on arbitrary text).

use std::borrow::Cow;

use serde::de::DeserializeSeed;
use serde_json::Value as Json;

use super::parse::{MAX_DEPTH, StrictValue};
use super::validate;
use crate::check::{ObjectId, ObjectType, Program, Type};
use crate::date::Date;
use crate::eval::{Doc, DocBuilder, JURISDICTION_FIELD, Node, WAIVERS_FIELD};

/// Reads `text` into a [`Doc`] when it is a plainly valid JSON document of `program`'s
/// schema; `None` when the full path must decide.
pub fn load_valid(program: &Program, text: &str) -> Option<Doc> {
    let mut reader = Reader {
        program,
        text,
        at: 0,
        builder: DocBuilder::for_text(&program.schema, text.len()),
        kept: Kept::default(),
        items: Vec::new(),
        key_order: KeyOrder::new(program),
    };
    reader.expect(b'{')?;
    let root = reader.object(program.schema.root, 1, true)?;
    reader.skip_whitespace();
    if reader.at != text.len() {
        return None;
    }
    let Reader { builder, kept, .. } = reader;
    if let Some(waivers) = &kept.waivers {
        if !validate::waivers_problems(program, waivers).is_empty() {
            return None;
        }
    }
    Some(builder.finish(root, kept.jurisdiction.as_ref(), kept.waivers.as_ref()))
}

/// For differential testing (the unit tests below and the `config` fuzz target): `None` when
/// the fast path gives up on `text`; else whether the full path finds no problem in it and
/// reads it to the same values, as it must.
#[doc(hidden)]
pub fn fast_path_agrees(program: &Program, text: &str) -> Option<bool> {
    let fast = load_valid(program, text)?;
    let Ok(value) = super::parse(text, super::Format::Json) else {
        return Some(false);
    };
    let numbers = super::WrittenNumbers::new(text, super::Format::Json);
    if !super::validate_written(program, &value, &|path| numbers.at(path)).is_empty() {
        return Some(false);
    }
    let full = Doc::from_json(program, &value);
    Some(
        fast.to_json(&program.schema) == full.to_json(&program.schema)
            && fast.jurisdiction() == full.jurisdiction()
            && fast.waivers() == full.waivers(),
    )
}

/// The parts of the document kept as JSON.
#[derive(Default)]
struct Kept {
    jurisdiction: Option<Json>,
    waivers: Option<Json>,
}

/// Most digits of a number with a fraction or an exponent read here: its digits then make an
/// integer below 2^53, exact in an `f64`.
const MAX_FRACTION_DIGITS: usize = 15;

/// Largest power of ten exact in an `f64`: a number within it of its digits is one correctly
/// rounded operation away from them, whichever algorithm parses it.
const MAX_EXACT_POWER: i64 = 22;

/// A number as written: its magnitude when it is an integer, and its value.
struct Number {
    /// The magnitude of an integer written without a point or exponent.
    integer: Option<u64>,
    /// The value, sign included.
    value: f64,
}

/// The reader: the text, where it is in it, and what it has built.
struct Reader<'s, 't> {
    /// The program whose schema leads the reading.
    program: &'s Program,
    /// The whole document.
    text: &'t str,
    /// The byte of `text` read next.
    at: usize,
    /// The document built so far.
    builder: DocBuilder<'s>,
    /// The root fields kept as JSON.
    kept: Kept,
    /// The items of the lists being read, innermost last (one buffer for every list).
    items: Vec<Node>,
    /// The order of keys seen so far.
    key_order: KeyOrder,
}

/// The order in which the document lists the fields of each object type, as seen so far: for
/// each field (and for the start of an object), the field that came after it last time. The
/// objects of a list mostly list their fields alike, so a key is then found with one
/// comparison instead of a search through its type's fields.
struct KeyOrder {
    /// Where each object type's slots start in `next`: slot 0 is an object's start, slot
    /// i + 1 follows field i.
    first_slot: Vec<usize>,
    /// The field expected in each slot; declaration order until a document shows another.
    next: Vec<usize>,
}

impl KeyOrder {
    fn new(program: &Program) -> Self {
        let objects = &program.schema.objects;
        let mut first_slot = Vec::with_capacity(objects.len());
        let mut next = Vec::new();
        for object in objects {
            first_slot.push(next.len());
            next.extend(0..=object.fields.len());
        }
        KeyOrder { first_slot, next }
    }

    /// The index of field `key` of `object`, whose previous key was in `slot` (0 at the
    /// start of the object, else the previous field's index + 1); learns the order.
    fn field(
        &mut self,
        object: ObjectId,
        object_type: &ObjectType,
        slot: usize,
        key: &str,
    ) -> Option<usize> {
        let at = self.first_slot.get(object)? + slot;
        let guess = *self.next.get(at)?;
        if object_type
            .fields
            .get(guess)
            .is_some_and(|field| field.name == key)
        {
            return Some(guess);
        }
        let index = object_type.field_index(key)?;
        self.next[at] = index;
        Some(index)
    }
}

impl<'s, 't> Reader<'s, 't> {
    fn bytes(&self) -> &'t [u8] {
        self.text.as_bytes()
    }

    fn skip_whitespace(&mut self) {
        self.at = after_whitespace(self.bytes(), self.at);
    }

    /// The next byte after white space, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.bytes().get(self.at).copied()
    }

    /// Consumes `byte`, after white space; `None` when something else is next.
    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// At the start of a list or object: consumes `close` when it is next (the list or
    /// object is empty) and says so.
    fn closes(&mut self, close: u8) -> Option<bool> {
        let closes = self.peek()? == close;
        self.at += usize::from(closes);
        Some(closes)
    }

    /// After an item of a list or object: consumes `,` (true: another item follows) or
    /// `close` (false: the end); `None` at anything else.
    fn more(&mut self, close: u8) -> Option<bool> {
        let next = self.peek()?;
        if next != b',' && next != close {
            return None;
        }
        self.at += 1;
        Some(next == b',')
    }

    /// Consumes `word` (a literal), which must be next.
    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes().get(self.at..end)? == word).then(|| self.at = end)
    }

    /// A value of type `ty` at nesting `depth`.
    fn value(&mut self, ty: &'s Type, depth: usize) -> Option<Node> {
        match self.peek()? {
            b'"' => {
                self.at += 1;
                let text = self.string()?;
                self.text_value(&text, ty)
            }
            b'n' => self.literal(b"null").map(|()| Node::Missing),
            b't' => self.literal(b"true").and_then(|()| bool_value(true, ty)),
            b'f' => self.literal(b"false").and_then(|()| bool_value(false, ty)),
            b'[' => {
                let Type::List(element) = ty else { return None };
                self.at += 1;
                self.list(element, nested(depth)?)
            }
            b'{' => {
                let Type::Object(object) = ty else {
                    return None;
                };
                self.at += 1;
                self.object(*object, nested(depth)?, false)
            }
            _ => {
                let number = self.number()?;
                number_value(&number, ty)
            }
        }
    }

    /// A string of type `ty`, checked as the full path checks it.
    fn text_value(&mut self, text: &str, ty: &Type) -> Option<Node> {
        match ty {
            Type::Date => Date::parse(text).map(Node::Date),
            Type::Enum(id) => {
                let known = self.program.schema.enums.get(*id)?.has(text);
                known.then(|| self.builder.string(text, ty))
            }
            Type::String | Type::Ref(_) => Some(self.builder.string(text, ty)),
            _ => None,
        }
    }

    /// The items of a list (its `[` consumed) of `element`s at nesting `depth`.
    fn list(&mut self, element: &'s Type, depth: usize) -> Option<Node> {
        let mark = self.items.len();
        let mut more = !self.closes(b']')?;
        while more {
            let item = self.value(element, depth)?;
            self.items.push(item);
            more = self.more(b']')?;
        }
        let node = self.builder.list(&self.items[mark..]);
        self.items.truncate(mark);
        Some(node)
    }

    /// An object (its `{` consumed) of type `object` at nesting `depth`; the root (`root`)
    /// also keeps `jurisdiction` and `waivers` as JSON.
    fn object(&mut self, object: ObjectId, depth: usize, root: bool) -> Option<Node> {
        let program = self.program;
        let object_type = program.schema.objects.get(object)?;
        let fields = &object_type.fields;
        // Fields seen so far, one bit each (a type with more fields is left to the full path).
        if fields.len() > 128 {
            return None;
        }
        let mut seen: u128 = 0;
        let first = self.builder.open_object(object);
        let mut slot = 0;
        let mut more = !self.closes(b'}')?;
        while more {
            self.expect(b'"')?;
            let key = self.string()?;
            let index = self.key_order.field(object, object_type, slot, &key)?;
            let bit = 1u128 << index;
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            slot = index + 1;
            self.expect(b':')?;
            let field = fields.get(index)?;
            let node = if root && matches!(field.name.as_str(), JURISDICTION_FIELD | WAIVERS_FIELD)
            {
                self.kept_value(&field.name, &field.ty, depth)?
            } else {
                self.value(&field.ty, depth)?
            };
            self.builder.set_field(first, index, node);
            more = self.more(b'}')?;
        }
        let complete = fields.iter().enumerate().all(|(index, field)| {
            let node = self.builder.field(first, index);
            !field.required || !(matches!(node, Node::Missing) || self.builder.is_blank(node))
        });
        complete.then_some(Node::Object {
            ty: u32::try_from(object).ok()?,
            first,
        })
    }

    /// A root field also kept as JSON (`jurisdiction`, `waivers`): its text is found here and
    /// read by serde_json, as the full path reads it, then checked and stored.
    fn kept_value(&mut self, name: &str, ty: &Type, depth: usize) -> Option<Node> {
        self.skip_whitespace();
        let start = self.at;
        self.skip_value()?;
        let mut deserializer = serde_json::Deserializer::from_str(&self.text[start..self.at]);
        let json = StrictValue::at(depth).deserialize(&mut deserializer).ok()?;
        deserializer.end().ok()?;
        let valid = json.is_null() || validate::value_is_valid(self.program, ty, &json);
        if !valid {
            return None;
        }
        let node = self.builder.from_json(&json, ty);
        match name {
            JURISDICTION_FIELD => self.kept.jurisdiction = Some(json),
            _ => self.kept.waivers = Some(json),
        }
        Some(node)
    }

    /// Moves past one value without reading it, finding where it ends (serde_json then reads
    /// it, and refuses it if it is not JSON); gives up on nesting past [`MAX_DEPTH`].
    fn skip_value(&mut self) -> Option<()> {
        let bytes = self.bytes();
        let mut open = 0usize;
        loop {
            match *bytes.get(self.at)? {
                b'"' => {
                    self.at += 1;
                    self.string()?;
                }
                b'[' | b'{' => {
                    open += 1;
                    if open > MAX_DEPTH {
                        return None;
                    }
                    self.at += 1;
                }
                b']' | b'}' => {
                    open = open.checked_sub(1)?;
                    self.at += 1;
                }
                b',' | b':' | b' ' | b'\n' | b'\r' | b'\t' if open > 0 => self.at += 1,
                b',' | b':' | b' ' | b'\n' | b'\r' | b'\t' => return Some(()),
                // Outside strings JSON is ASCII; stepping over such a byte would also leave
                // `at` inside a character.
                0x80.. => return None,
                _ => self.at += 1,
            }
            if open == 0
                && !matches!(
                    bytes.get(self.at),
                    Some(b'0'..=b'9' | b'a'..=b'z' | b'.' | b'+' | b'-' | b'E')
                )
            {
                return Some(());
            }
        }
    }

    /// A string (its opening quote consumed), with its escapes decoded.
    fn string(&mut self) -> Option<Cow<'t, str>> {
        let start = self.at;
        let end = self.string_run()?;
        let run = &self.text[start..end];
        if self.bytes()[end] == b'"' {
            return Some(Cow::Borrowed(run));
        }
        let mut decoded = String::from(run);
        self.escaped(&mut decoded)?;
        Some(Cow::Owned(decoded))
    }

    /// Moves past the characters of a string up to its closing quote or next backslash
    /// (consumed), and returns where that is; `None` at a control character, which JSON
    /// strings may not hold, or at the end of the text.
    fn string_run(&mut self) -> Option<usize> {
        let bytes = self.bytes();
        let end = self.at + string_run_length(bytes.get(self.at..)?)?;
        if bytes[end] < 0x20 {
            return None;
        }
        self.at = end + 1;
        Some(end)
    }

    /// The rest of a string after its first backslash (consumed), decoded onto `out`.
    fn escaped(&mut self, out: &mut String) -> Option<()> {
        let bytes = self.bytes();
        loop {
            // At the character after a backslash.
            let escape = *bytes.get(self.at)?;
            self.at += 1;
            match escape {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => out.push(self.unicode_escape()?),
                _ => return None,
            }
            let start = self.at;
            let end = self.string_run()?;
            out.push_str(&self.text[start..end]);
            if bytes[end] == b'"' {
                return Some(());
            }
        }
    }

    /// The character of a `\u` escape (its `\u` consumed): a pair of escapes for a
    /// surrogate pair; a lone surrogate gives up.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        self.literal(b"\\u")?;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    /// Four hexadecimal digits.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).ok()
    }

    /// A number, by JSON's grammar: `-`, then `0` or digits not starting with `0`, then
    /// optionally `.` and digits, then optionally `e` or `E`, a sign and digits.
    fn number(&mut self) -> Option<Number> {
        let bytes = self.bytes();
        let start = self.at;
        let negative = bytes.get(self.at) == Some(&b'-');
        self.at += usize::from(negative);
        let int_start = self.at;
        let int_digits = self.digits();
        if int_digits == 0 || (int_digits > 1 && bytes[int_start] == b'0') {
            return None;
        }
        let mut fraction_digits = 0;
        if bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            fraction_digits = self.digits();
            if fraction_digits == 0 {
                return None;
            }
        }
        let mut exponent: i64 = 0;
        let has_exponent = matches!(bytes.get(self.at), Some(b'e' | b'E'));
        if has_exponent {
            self.at += 1;
            let sign = match bytes.get(self.at) {
                Some(b'-') => -1,
                Some(b'+') => 1,
                _ => 0,
            };
            self.at += usize::from(sign != 0);
            let exp_start = self.at;
            let exp_digits = self.digits();
            // Beyond four digits the power is far out of reach anyway.
            if exp_digits == 0 || exp_digits > 4 {
                return None;
            }
            exponent =
                self.text[exp_start..self.at].parse::<i64>().ok()? * if sign < 0 { -1 } else { 1 };
        }
        let written = &self.text[start..self.at];
        if fraction_digits == 0 && !has_exponent {
            let magnitude: u64 = self.text[int_start..self.at].parse().ok()?;
            if negative && magnitude > i64::MIN.unsigned_abs() {
                return None;
            }
            let value = magnitude as f64;
            return Some(Number {
                integer: Some(magnitude),
                value: if negative { -value } else { value },
            });
        }
        let power = exponent - fraction_digits as i64;
        if int_digits + fraction_digits > MAX_FRACTION_DIGITS || power.abs() > MAX_EXACT_POWER {
            return None;
        }
        Some(Number {
            integer: None,
            value: written.parse().ok()?,
        })
    }

    /// Consumes a run of decimal digits; returns how many.
    fn digits(&mut self) -> usize {
        let start = self.at;
        let bytes = self.bytes();
        while bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }
}

/// Where the white space (JSON's: space, tab, line feed, carriage return) from `at` ends.
/// Indentation comes in runs of spaces, skipped up to eight at a time.
fn after_whitespace(bytes: &[u8], mut at: usize) -> usize {
    const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
    loop {
        match bytes.get(at) {
            Some(b' ') => match bytes.get(at..at + 8) {
                Some(chunk) => {
                    let mut word = [0; 8];
                    word.copy_from_slice(chunk);
                    // Zero bytes where there are spaces: the run's length is the number of
                    // zero bytes at the low end.
                    let others = u64::from_le_bytes(word) ^ SPACES;
                    at += (others.trailing_zeros() / 8) as usize;
                }
                None => at += 1,
            },
            Some(b'\n' | b'\r' | b'\t') => at += 1,
            _ => return at,
        }
    }
}

/// Each byte of a word, eight times.
const BYTE_ONES: u64 = u64::from_le_bytes([1; 8]);

/// The high bit of each byte of a word.
const BYTE_HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// The high bit set in each byte of `word` below `limit` (at most 0x80); exact for the
/// lowest such byte, which is all [`string_run_length`] looks at.
fn bytes_below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(BYTE_ONES * u64::from(limit)) & !word & BYTE_HIGHS
}

/// The high bit set in each byte of `word` equal to `byte` (exact for the lowest).
fn bytes_equal(word: u64, byte: u8) -> u64 {
    bytes_below(word ^ (BYTE_ONES * u64::from(byte)), 1)
}

/// How many bytes of `bytes` come before the first quote, backslash or control character,
/// eight bytes at a time; `None` when there is none.
fn string_run_length(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let stops = bytes_equal(word, b'"') | bytes_equal(word, b'\\') | bytes_below(word, 0x20);
        if stops != 0 {
            return Some(at + (stops.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    let offset = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    Some(at + offset)
}

/// A boolean of type `ty`.
fn bool_value(value: bool, ty: &Type) -> Option<Node> {
    matches!(ty, Type::Bool).then_some(Node::Bool(value))
}

/// A number of type `ty`, checked as the full path checks it: an `int` or `count` must be an
/// integer as written within 2^53, a `count` not negative, a `ratio` between 0 and 1. An
/// `int` or `count` written with a decimal point or an exponent is judged on its text
/// (`9007199254740993.0` reads as 2^53), which the full path does.
fn number_value(number: &Number, ty: &Type) -> Option<Node> {
    let value = number.value;
    let exact = |magnitude| magnitude <= crate::check::LARGEST_WHOLE;
    let valid = match ty {
        Type::Number => true,
        Type::Int => number.integer.is_some_and(exact),
        Type::Count => number.integer.is_some_and(exact) && value >= 0.0,
        Type::Ratio => (0.0..=1.0).contains(&value),
        _ => false,
    };
    valid.then_some(Node::Number(value))
}

/// The nesting inside a list or object at `depth`; `None` past [`MAX_DEPTH`].
fn nested(depth: usize) -> Option<usize> {
    (depth < MAX_DEPTH).then_some(depth + 1)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value as Json, json};

    use super::*;
    use crate::config::{Format, parse, validate_written};
    use crate::test_support::{examples, library, pointers};

    /// The fast path accepts exactly the documents the full path finds no problem in, and
    /// then reads them to the same values.
    fn assert_equivalent(program: &Program, text: &str) -> bool {
        let numbers = crate::config::WrittenNumbers::new(text, Format::Json);
        let full = parse(text, Format::Json)
            .ok()
            .filter(|value| validate_written(program, value, &|path| numbers.at(path)).is_empty());
        match (fast_path_agrees(program, text), full) {
            (Some(agrees), Some(_)) => {
                assert!(agrees, "the paths read different values: {text}");
                true
            }
            (None, None) => false,
            (fast, full) => panic!(
                "fast path {} but full path {}: {text}",
                if fast.is_some() {
                    "accepts"
                } else {
                    "gives up"
                },
                if full.is_some() {
                    "accepts"
                } else {
                    "has problems"
                },
            ),
        }
    }

    /// When the fast path accepts `text`, the full path reads it to the same values; returns
    /// whether the fast path accepted it.
    fn assert_agrees_if_read(program: &Program, text: &str) -> bool {
        let agrees = fast_path_agrees(program, text);
        assert_ne!(agrees, Some(false), "the paths disagree: {text}");
        agrees.is_some()
    }

    #[test]
    fn every_example_takes_the_fast_path_to_the_same_values() {
        let program = library();
        for example in examples() {
            let text = serde_json::to_string_pretty(&example).expect("serialises");
            assert!(assert_equivalent(&program, &text), "{text}");
        }
    }

    #[test]
    fn degraded_examples_are_read_alike_or_left_to_the_full_path() {
        let program = library();
        let replacements = [
            json!(null),
            json!(true),
            json!(3),
            json!(2.5),
            json!(-1),
            json!("2027-02-30"),
            json!("2027-03-01"),
            json!("text"),
            json!([]),
            json!({}),
            json!({ "unknown": 1 }),
        ];
        let (mut accepted, mut refused) = (0, 0);
        for example in examples() {
            let mut at = Vec::new();
            pointers(&example, String::new(), &mut at);
            for (index, pointer) in at.iter().enumerate().step_by(3) {
                let replacement = &replacements[index % replacements.len()];
                for removed in [false, true] {
                    let mut changed = example.clone();
                    if removed {
                        let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
                        match changed.pointer_mut(parent) {
                            Some(Json::Object(map)) => drop(map.remove(key)),
                            Some(Json::Array(items)) => {
                                let index: usize = key.parse().expect("an index");
                                items.remove(index);
                            }
                            _ => continue,
                        }
                    } else if let Some(slot) = changed.pointer_mut(pointer) {
                        *slot = replacement.clone();
                    }
                    let text = serde_json::to_string(&changed).expect("serialises");
                    if assert_equivalent(&program, &text) {
                        accepted += 1;
                    } else {
                        refused += 1;
                    }
                }
            }
        }
        assert!(accepted > 100 && refused > 100, "{accepted} {refused}");
    }

    #[test]
    fn repeated_keys_deep_nesting_and_bad_syntax_are_left_to_the_full_path() {
        let program = library();
        let example = serde_json::to_string(&examples()[0]).expect("serialises");
        let repeated = example.replacen("{", "{\"jurisdiction\": {}, ", 1);
        let nested = format!(
            "{{\"x\": {}1{}}}",
            "[".repeat(MAX_DEPTH + 2),
            "]".repeat(MAX_DEPTH + 2)
        );
        for text in [&repeated, &nested, "{", "[]", "null", "", &example[1..]] {
            assert!(load_valid(&program, text).is_none(), "{text}");
        }
    }

    /// `text` with the value after the `nth` (from 0) occurrence of `"key": ` replaced.
    fn with_value(text: &str, key: &str, nth: usize, value: &str) -> String {
        let marker = format!("\"{key}\": ");
        let (start, _) = text
            .match_indices(&marker)
            .nth(nth)
            .expect("the key is there");
        let start = start + marker.len();
        let end = start + text[start..].find([',', '\n']).expect("the value ends");
        format!("{}{value}{}", &text[..start], &text[end..])
    }

    #[test]
    fn numbers_are_read_as_serde_json_reads_them_or_left_to_it() {
        let program = library();
        let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
        let read = [
            "0",
            "-0",
            "7",
            "1.5",
            "-2.25",
            "9.0",
            "1E2",
            "1e-2",
            "2.5e+3",
            "0.000001",
            "123456789012345",
            "18446744073709551615",
            "-9223372036854775808",
        ];
        for number in read {
            let changed = with_value(&text, "ict_total", 0, number);
            assert!(assert_agrees_if_read(&program, &changed), "{number}");
        }
        let left = [
            "01",
            "1.",
            ".5",
            "1e",
            "1e+",
            "-",
            "+1",
            "--1",
            "NaN",
            "Infinity",
            "0x10",
            "1_0",
            "1 2",
            "0.30000000000000004",
            "1234567890.123456",
            "1e23",
            "1.5e300",
            "2e-308",
            "1e99999",
            "18446744073709551616",
            "-9223372036854775809",
            "1.5.2",
            "1e5e5",
        ];
        for number in left {
            let changed = with_value(&text, "ict_total", 0, number);
            assert!(!assert_agrees_if_read(&program, &changed), "{number}");
        }
    }

    #[test]
    fn strings_with_escapes_are_decoded_as_serde_json_decodes_them_or_left_to_it() {
        let program = library();
        let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
        let read = [
            r#""\u00e9t\u00E9""#,
            r#""\ud83d\ude00 and \uD83D\uDE00""#,
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            "\"Comisión électorale 選挙\"",
            r#""\u0000""#,
        ];
        let left = [
            r#""\ud83d""#,
            r#""\ude00\ud83d""#,
            r#""\ud83d\u0041""#,
            r#""\x""#,
            r#""\u12""#,
            r#""\u12G4""#,
            "\"tab\there\"",
            "\"line\nbreak\"",
            "'quoted'",
            "\"unterminated",
        ];
        // The first `name` is the jurisdiction's (kept as JSON), the second an institution's.
        for nth in [0, 1] {
            for string in read {
                let changed = with_value(&text, "name", nth, string);
                assert!(assert_agrees_if_read(&program, &changed), "{string}");
            }
            for string in left {
                let changed = with_value(&text, "name", nth, string);
                assert!(!assert_agrees_if_read(&program, &changed), "{string}");
            }
        }
    }

    #[test]
    fn layout_is_read_whatever_the_white_space_and_bad_syntax_is_left() {
        let program = library();
        let text = std::fs::read_to_string("examples/castellan.json").expect("an example");
        let value: Json = serde_json::from_str(&text).expect("an example parses");
        let compact = serde_json::to_string(&value).expect("serialises");
        for layout in [
            text.replace('\n', "\r\n"),
            text.replace("  ", "\t"),
            text.replace(",\n", " ,\n\n").replace("\": ", "\"\t:\r\n "),
            compact.clone(),
            format!(" \n{compact}\n\t "),
        ] {
            assert!(assert_agrees_if_read(&program, &layout), "{layout}");
        }
        let broken = [
            format!("{compact}x"),
            format!("{compact}{{}}"),
            compact.replacen(':', "", 1),
            compact.replacen(',', ",,", 1),
            compact.replacen("true", "tru", 1),
            compact.replacen("false", "False", 1),
            compact.replacen("true", "nul", 1),
            compact.replacen('[', "[,", 1),
            format!("{},}}", &compact[..compact.len() - 1]),
            compact.replacen("\"", "\u{b}\"", 1),
            compact.replacen('"', "\u{a0}\"", 1),
            // Found by the `config` fuzz target: a character outside a string where a kept
            // root field's value starts (the reader stepped into the character and panicked).
            compact.replacen("\"jurisdiction\":{", "\"jurisdiction\":\u{7c2}ci{", 1),
            compact.replacen("\"jurisdiction\":{", "\"jurisdiction\":t\u{7c2}", 1),
            compact.replacen("\"jurisdiction\":{", "\"jurisdiction\":[\u{7c2}", 1),
            compact[..compact.len() / 2].to_string(),
        ];
        for text in broken {
            assert!(!assert_agrees_if_read(&program, &text), "{text}");
        }
    }
}
