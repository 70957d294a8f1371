//! The fast path of loading a JSON document: its text is read straight into an evaluation
//! [`Doc`] through the schema, in one pass, without building a `serde_json::Value` and without
//! a separate validation walk. Each object key is matched to its field index as it is read, so
//! fields no norm could read are never stored.
//!
//! The fast path only ever accepts a document that is plainly valid. At the first thing the
//! full path would report (a syntax error, a repeated key, an unknown field, a wrong type, an
//! impossible date, a missing required field, an unknown enum member, nesting past
//! [`MAX_DEPTH`], a waiver of an unknown norm) it gives up, and [`super::from_text`] takes the
//! full path — parse, validate, locate — which reports the problem with its position. So the
//! fast path decides nothing on its own: for every document it accepts, the result equals
//! [`Doc::from_json`] of the parsed value (a test checks this on every example and on many
//! degraded documents).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::parse::{MAX_DEPTH, StrictValue};
use super::validate;
use crate::check::{ObjectId, Program, Type};
use crate::date::Date;
use crate::eval::{Doc, DocBuilder, JURISDICTION_FIELD, Node, WAIVERS_FIELD};

/// Reads `text` into a [`Doc`] when it is a plainly valid JSON document of `program`'s
/// schema; `None` when the full path must decide.
pub fn load_valid(program: &Program, text: &str) -> Option<Doc> {
    let mut builder = DocBuilder::new(&program.schema);
    let mut kept = Kept::default();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let root = RootSeed {
        program,
        builder: &mut builder,
        kept: &mut kept,
    }
    .deserialize(&mut deserializer)
    .ok()?;
    deserializer.end().ok()?;
    if let Some(waivers) = &kept.waivers {
        if !validate::waivers_problems(program, waivers).is_empty() {
            return None;
        }
    }
    Some(builder.finish(root, kept.jurisdiction.as_ref(), kept.waivers.as_ref()))
}

/// The parts of the document kept as JSON.
#[derive(Default)]
struct Kept {
    jurisdiction: Option<Json>,
    waivers: Option<Json>,
}

/// The reason given to serde when the fast path gives up; never shown.
fn give_up<E: de::Error>() -> E {
    E::custom("not plainly valid")
}

/// The whole document: the schema's root object.
struct RootSeed<'b, 's> {
    program: &'s Program,
    builder: &'b mut DocBuilder<'s>,
    kept: &'b mut Kept,
}

impl<'de> DeserializeSeed<'de> for RootSeed<'_, '_> {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RootSeed<'_, '_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a jurisdiction document")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Node, A::Error> {
        let root = self.program.schema.root;
        ObjectReader {
            program: self.program,
            builder: self.builder,
            object: root,
            depth: 1,
            kept: Some(self.kept),
        }
        .read(map)
    }
}

/// A value of type `ty` at nesting `depth`.
struct ValueSeed<'b, 's> {
    program: &'s Program,
    builder: &'b mut DocBuilder<'s>,
    ty: &'s Type,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value of the schema")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Missing)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Node, E> {
        match self.ty {
            Type::Bool => Ok(Node::Bool(value)),
            _ => Err(give_up()),
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Node, E> {
        self.visit_integer(value.unsigned_abs(), value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Node, E> {
        self.visit_integer(value, value as f64)
    }

    /// A number written with a decimal point or an exponent (or beyond 64 bits): an `int` or
    /// `count` field gives up, since such a number is judged on its text (`9007199254740993.0`
    /// reads as 2^53), which the full path finds.
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Node, E> {
        let valid = match self.ty {
            Type::Number => true,
            Type::Ratio => (0.0..=1.0).contains(&value),
            _ => false,
        };
        if valid {
            Ok(Node::Number(value))
        } else {
            Err(give_up())
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Node, E> {
        let schema = &self.program.schema;
        let valid = match self.ty {
            Type::String | Type::Ref(_) => true,
            Type::Date => Date::parse(value).is_some(),
            Type::Enum(id) => schema.enums.get(*id).is_some_and(|e| e.has(value)),
            _ => false,
        };
        if valid {
            Ok(self.builder.string(value, self.ty))
        } else {
            Err(give_up())
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let Type::List(element) = self.ty else {
            return Err(give_up());
        };
        let depth = nested(self.depth)?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(ValueSeed {
            program: self.program,
            builder: &mut *self.builder,
            ty: element,
            depth,
        })? {
            items.push(item);
        }
        Ok(self.builder.list(&items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Node, A::Error> {
        let Type::Object(object) = self.ty else {
            return Err(give_up());
        };
        ObjectReader {
            program: self.program,
            builder: self.builder,
            object: *object,
            depth: nested(self.depth)?,
            kept: None,
        }
        .read(map)
    }
}

impl ValueSeed<'_, '_> {
    /// An integer of the text, of `magnitude` either way, read as `value`: an `int` or `count`
    /// field gives up beyond 2^53, where `value` is no longer exact, and a count below 0 (the
    /// full path says so).
    fn visit_integer<E: de::Error>(self, magnitude: u64, value: f64) -> Result<Node, E> {
        let exact = magnitude <= crate::check::LARGEST_WHOLE;
        match self.ty {
            Type::Int if exact => Ok(Node::Number(value)),
            Type::Count if exact && value >= 0.0 => Ok(Node::Number(value)),
            Type::Int | Type::Count => Err(give_up()),
            _ => de::Visitor::visit_f64(self, value),
        }
    }
}

fn nested<E: de::Error>(depth: usize) -> Result<usize, E> {
    if depth >= MAX_DEPTH {
        Err(give_up())
    } else {
        Ok(depth + 1)
    }
}

/// Reads an object of type `object`, field by field; the root (with `kept`) also keeps
/// `jurisdiction` and `waivers` as JSON.
struct ObjectReader<'b, 's> {
    program: &'s Program,
    builder: &'b mut DocBuilder<'s>,
    object: ObjectId,
    depth: usize,
    kept: Option<&'b mut Kept>,
}

impl<'s> ObjectReader<'_, 's> {
    fn read<'de, A: MapAccess<'de>>(mut self, mut map: A) -> Result<Node, A::Error> {
        let program = self.program;
        let object = program
            .schema
            .objects
            .get(self.object)
            .ok_or_else(give_up)?;
        // Fields seen so far, one bit each (a type with more fields is left to the full path).
        let mut seen: u128 = 0;
        if object.fields.len() > 128 {
            return Err(give_up());
        }
        let first = self.builder.open_object(self.object);
        let mut expected = 0;
        while let Some(index) = map.next_key_seed(FieldSeed { object, expected })? {
            let bit = 1u128.checked_shl(u32::try_from(index).map_err(|_| give_up())?);
            match bit {
                Some(bit) if seen & bit == 0 => seen |= bit,
                _ => return Err(give_up()),
            }
            expected = index + 1;
            let field = object.fields.get(index).ok_or_else(give_up)?;
            let node = if self.keeps(&field.name) {
                let json = map.next_value_seed(StrictValue::at(self.depth))?;
                let valid = json.is_null() || validate::value_is_valid(program, &field.ty, &json);
                if !valid {
                    return Err(give_up());
                }
                let node = self.builder.from_json(&json, &field.ty);
                self.keep(&field.name, json);
                node
            } else {
                map.next_value_seed(ValueSeed {
                    program,
                    builder: &mut *self.builder,
                    ty: &field.ty,
                    depth: self.depth,
                })?
            };
            self.builder.set_field(first, index, node);
        }
        let complete = object.fields.iter().enumerate().all(|(index, field)| {
            let node = self.builder.field(first, index);
            !field.required || !(matches!(node, Node::Missing) || self.builder.is_blank(node))
        });
        if !complete {
            return Err(give_up());
        }
        Ok(Node::Object {
            ty: u32::try_from(self.object).map_err(|_| give_up())?,
            first,
        })
    }

    /// True when root field `name` is also kept as JSON.
    fn keeps(&self, name: &str) -> bool {
        self.kept.is_some() && matches!(name, JURISDICTION_FIELD | WAIVERS_FIELD)
    }

    fn keep(&mut self, name: &str, json: Json) {
        if let Some(kept) = self.kept.as_deref_mut() {
            match name {
                JURISDICTION_FIELD => kept.jurisdiction = Some(json),
                _ => kept.waivers = Some(json),
            }
        }
    }
}

/// An object key, read as the index of its field; an unknown key gives up. Documents mostly
/// list fields in the order their type declares them, so the field after the previous key's
/// (`expected`) is tried first.
struct FieldSeed<'s> {
    object: &'s crate::check::ObjectType,
    expected: usize,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        match self.object.fields.get(self.expected) {
            Some(field) if field.name == key => Ok(self.expected),
            _ => self.object.field_index(key).ok_or_else(give_up),
        }
    }
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
        let fast = load_valid(program, text);
        let numbers = crate::config::WrittenNumbers::new(text, Format::Json);
        let full = parse(text, Format::Json)
            .ok()
            .filter(|value| validate_written(program, value, &|path| numbers.at(path)).is_empty());
        match (fast, full) {
            (Some(fast), Some(value)) => {
                let full = Doc::from_json(program, &value);
                assert_eq!(
                    fast.to_json(&program.schema),
                    full.to_json(&program.schema),
                    "{text}"
                );
                assert_eq!(fast.jurisdiction(), full.jurisdiction());
                assert_eq!(fast.waivers(), full.waivers());
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
}
