//! Parses a jurisdiction document's text into a `serde_json::Value`: JSON (refusing duplicate
//! keys, which serde_json would otherwise silently resolve to the last one) or YAML (through
//! `serde-saphyr`, which refuses duplicate keys by default).

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

/// Nesting deeper than this is refused (keeps recursion bounded).
pub const MAX_DEPTH: usize = 128;

/// Parser events that YAML aliases may replay in one document, in total.
pub const MAX_ALIAS_REPLAYED_EVENTS: usize = 20_000;

/// The notation of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JSON.
    Json,
    /// YAML.
    Yaml,
}

impl Format {
    /// The notation of a file, from its extension (JSON unless `.yaml`/`.yml`).
    pub fn of_path(path: &std::path::Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
                Format::Yaml
            }
            _ => Format::Json,
        }
    }
}

/// Why a document's text cannot be read as a value.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// 1-based line and column, when known.
    pub position: Option<(usize, usize)>,
}

/// Parses `text` in `format`.
pub fn parse(text: &str, format: Format) -> Result<Json, SyntaxError> {
    match format {
        Format::Json => parse_json(text),
        Format::Yaml => parse_yaml(text),
    }
}

fn parse_json(text: &str) -> Result<Json, SyntaxError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = StrictValue { depth: 0 }
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    value.map_err(|error| SyntaxError {
        message: strip_position(&error.to_string()),
        position: (error.line() > 0).then(|| json_position(text, error.line(), error.column())),
    })
}

/// serde_json's position of an error (lines ended by `\n` alone, columns in bytes, 0 at the end
/// of the text) as every other position of a document is given: lines also ended by a lone
/// `\r`, columns in characters, both 1-based.
fn json_position(text: &str, line: usize, column: usize) -> (usize, usize) {
    let line_start = match line.checked_sub(2) {
        None => 0,
        Some(breaks) => (memchr::memchr_iter(b'\n', text.as_bytes()).nth(breaks))
            .map_or(text.len(), |at| at + 1),
    };
    super::line_col(text, line_start + column.max(1) - 1)
}

/// How serde-saphyr reads a jurisdiction document.
pub(super) fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // YAML 1.2 booleans only: `yes`, `no`, `y`, `on` stay strings (ids such as `no` exist).
    options.strict_booleans = true;
    options.with_snippet = false;
    // Alias bombs ("billion laughs"): a jurisdiction document has no use for more than a few
    // thousand replayed nodes, so refuse expansion well before it costs time or memory.
    options.alias_limits.max_total_replayed_events = MAX_ALIAS_REPLAYED_EVENTS;
    options
}

fn parse_yaml(text: &str) -> Result<Json, SyntaxError> {
    // The seed is driven by the YAML deserializer, so depth and duplicates are checked the same
    // way as for JSON.
    let value: Result<StrictJson, _> = serde_saphyr::from_str_with_options(text, yaml_options());
    let value = value.map(|v| super::yaml12::core_schema_numbers(text, v.0));
    value.map_err(|error| {
        // serde-saphyr locates its own errors; a repeated key found by our visitor (in a flow
        // mapping whose first key is tagged, serde-saphyr's own check lets it through) is
        // located by reading the text again with positions.
        let message = yaml_message(&error.to_string());
        let position = error
            .location()
            .map(|location| (location.line() as usize, location.column() as usize))
            .or_else(|| super::YamlPositions::parse(text)?.first_repeated_key())
            .or_else(|| repeated_key_in_text(text, &message));
        SyntaxError { message, position }
    })
}

/// Where the key of a `duplicate key "K"` error is repeated, found in the text: for documents
/// that the positions reader refuses (tags it does not take in a flow mapping), the second
/// occurrence of `K`, else its first, else the start of the document.
fn repeated_key_in_text(text: &str, message: &str) -> Option<(usize, usize)> {
    let start = message.find("duplicate key \"")? + "duplicate key \"".len();
    let key = message.get(start..)?.strip_suffix('"')?;
    if key.is_empty() {
        return Some((1, 1));
    }
    let mut offsets = text.match_indices(key).map(|(offset, _)| offset);
    let offset = match (offsets.next(), offsets.next()) {
        (_, Some(second)) => second,
        (Some(first), None) => first,
        (None, None) => 0,
    };
    Some(super::line_col(text, offset))
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

/// serde-saphyr's message for the user: its first line, without the position (reported
/// separately) or advice about its own options, which a user of Rampart cannot set.
fn yaml_message(message: &str) -> String {
    let line = first_line(message);
    let line = strip_position(&line);
    let advice = ", set DuplicateKeyPolicy in Options if acceptable";
    let multiple = "; use from_multiple or from_multiple_with_options";
    (line.replace(advice, "")).replace(multiple, "; start each with a `---` line")
}

/// serde_json appends " at line L column C" (serde-saphyr " at line L, column C"); the position
/// is reported separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// A JSON value whose objects have no repeated key.
struct StrictJson(Json);

impl<'de> Deserialize<'de> for StrictJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        StrictValue { depth: 0 }
            .deserialize(deserializer)
            .map(StrictJson)
    }
}

/// Builds a [`Json`] value, failing on a repeated object key or on deep nesting.
#[derive(Clone, Copy)]
pub(super) struct StrictValue {
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(v)
            .map(Json::Number)
            .ok_or_else(|| E::custom("a number must be finite"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let inner = self.nested::<A::Error>()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let inner = self.nested::<A::Error>()?;
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key \"{key}\"")));
            }
            let value = map.next_value_seed(inner)?;
            object.insert(key, value);
        }
        Ok(Json::Object(object))
    }
}

impl StrictValue {
    /// A value nested `depth` levels deep in its document.
    pub(super) fn at(depth: usize) -> StrictValue {
        StrictValue { depth }
    }

    fn nested<E: de::Error>(self) -> Result<StrictValue, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom(format_args!(
                "nesting deeper than {MAX_DEPTH} levels"
            )));
        }
        Ok(StrictValue {
            depth: self.depth + 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_json_key_is_an_error_with_its_position() {
        let error = parse("{\n  \"a\": 1,\n  \"a\": 2\n}", Format::Json).unwrap_err();
        assert_eq!(error.message, "duplicate key \"a\"");
        assert_eq!(error.position, Some((3, 5)));
    }

    #[test]
    fn a_duplicate_yaml_key_is_an_error() {
        let error = parse("a: 1\na: 2\n", Format::Yaml).unwrap_err();
        assert!(
            error.message.to_lowercase().contains("duplicate"),
            "{error:?}"
        );
        // The position is given once, apart; serde-saphyr's advice about its own options is
        // left out.
        assert!(!error.message.contains("line"), "{error:?}");
        assert!(!error.message.contains("Options"), "{error:?}");
        assert_eq!(error.position.map(|(line, _)| line), Some(2));
    }

    #[test]
    fn several_yaml_documents_in_one_text_are_an_error_without_library_advice() {
        let error = parse("a: 1\n---\na: 2\n", Format::Yaml).unwrap_err();
        assert!(
            error.message.contains("multiple YAML documents"),
            "{error:?}"
        );
        assert!(!error.message.contains("from_multiple"), "{error:?}");
    }

    #[test]
    fn an_error_at_the_end_of_the_text_has_a_1_based_column() {
        let error = parse("{\"a\": [1,\n", Format::Json).unwrap_err();
        assert_eq!(error.position, Some((2, 1)));
        let error = parse("", Format::Json).unwrap_err();
        assert_eq!(error.position, Some((1, 1)));
    }

    #[test]
    fn yaml_dates_stay_strings() {
        let value = parse("election:\n  date: 2027-03-18\n  n: 3\n", Format::Yaml).unwrap();
        assert_eq!(
            value,
            serde_json::json!({ "election": { "date": "2027-03-18", "n": 3 } })
        );
    }

    #[test]
    fn yaml_1_1_booleans_stay_strings() {
        let value = parse("id: no\nname: y\nflag: true\n", Format::Yaml).unwrap();
        assert_eq!(
            value,
            serde_json::json!({ "id": "no", "name": "y", "flag": true })
        );
    }

    #[test]
    fn yaml_1_1_numbers_stay_strings_and_yaml_1_2_numbers_are_numbers() {
        let text = "a: 1_200\nb: 0b101\nc: -0x1F\nd: [0x1F, 0o17, +12, .5, 1200]\n\
                    e: \"1_200\"\nf: &n 2_000\ng: *n\n";
        let value = parse(text, Format::Yaml).unwrap();
        let expected = serde_json::json!({
            "a": "1_200", "b": "0b101", "c": "-0x1F", "d": [31, 15, 12, 0.5, 1200],
            "e": "1_200", "f": "2_000", "g": "2_000"
        });
        assert_eq!(value, expected);
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(MAX_DEPTH + 5) + &"]".repeat(MAX_DEPTH + 5);
        assert!(parse(&text, Format::Json).is_err());
    }
}
