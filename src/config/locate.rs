//! Finds where a JSON path is written in a JSON text, for reports: done lazily, only for the
//! problems reported, by scanning the text (the parsed value keeps no positions). Many paths
//! are found in one pass ([`locate_all`]), so a document with thousands of problems costs one
//! scan, not one per problem.

use std::collections::{HashMap, HashSet};

use super::PathSegment;
use crate::syntax::{ColumnUnit, LineIndex};

/// The 1-based line and column (in characters) of the value at `path` in `text`; for a path
/// that does not exist, the closest existing ancestor. `None` when `text` is not scannable.
pub fn locate(text: &str, path: &[PathSegment]) -> Option<(usize, usize)> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_bom();
    let offset = scanner.find(path, 0)?;
    Some(line_col(text, offset))
}

/// The text of the value at `path` as written in the JSON `text`; `None` when there is no such
/// value (or `text` is not scannable).
pub fn written_at<'t>(text: &'t str, path: &[PathSegment]) -> Option<&'t str> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_bom();
    for segment in path {
        scanner.skip_ws();
        match (segment, scanner.peek()?) {
            (PathSegment::Key(key), b'{') => scanner.find_member(key).map(drop)?,
            (PathSegment::Index(index), b'[') => scanner.find_item(*index).map(drop)?,
            _ => return None,
        }
    }
    scanner.skip_ws();
    let start = scanner.pos;
    scanner.skip_value(0)?;
    text.get(start..scanner.pos)
}

/// The hasher of the walk's sets: every member of a document is looked up, and foldhash is
/// several times faster than SipHash on such short keys (no untrusted-key flooding matters here:
/// the sets hold the paths asked for, not the document's keys).
type Hasher = foldhash::fast::FixedState;

/// The position of each of `paths` in `text`, as [`locate`] gives it, in one pass over the
/// text (and one more to index its lines).
pub fn locate_all(text: &str, paths: &[&[PathSegment]]) -> Vec<Option<(usize, usize)>> {
    let offsets = locate_offsets(text, paths);
    let line_index = LineIndex::new(text);
    offsets
        .into_iter()
        .map(|offset| offset.map(|offset| position_in(&line_index, text, offset)))
        .collect()
}

/// The byte offset of each of `paths` in `text`, where [`locate`] places it, in one pass over
/// the text: for a caller that already holds the text's [`LineIndex`] (see [`position_in`]).
pub fn locate_offsets(text: &str, paths: &[&[PathSegment]]) -> Vec<Option<usize>> {
    let mut wanted: HashSet<&[PathSegment], Hasher> = HashSet::default();
    for path in paths {
        wanted.extend((0..=path.len()).map(|end| &path[..end]));
    }
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.skip_bom();
    let mut walk = Walk {
        wanted: &wanted,
        path: Vec::new(),
        found: HashMap::default(),
    };
    // A text that stops being scannable leaves the paths found so far.
    let _ = walk.value(&mut scanner, None, 0);
    paths.iter().map(|path| walk.offset(path)).collect()
}

/// The walk of [`locate_all`]: the values on the way to a wanted path, with where each starts
/// and, when it is an object member, where its key starts.
struct Walk<'w> {
    wanted: &'w HashSet<&'w [PathSegment], Hasher>,
    path: Vec<PathSegment>,
    found: HashMap<Vec<PathSegment>, (Option<usize>, usize), Hasher>,
}

impl Walk<'_> {
    /// Records the value the scanner is at (its path is `self.path`), descends into the members
    /// and items that lead to a wanted path, and moves past the value.
    fn value(
        &mut self,
        scanner: &mut Scanner<'_>,
        key_at: Option<usize>,
        depth: usize,
    ) -> Option<()> {
        scanner.skip_ws();
        self.found.insert(self.path.clone(), (key_at, scanner.pos));
        match scanner.peek()? {
            b'{' if depth <= MAX_DEPTH => self.members(scanner, depth),
            b'[' if depth <= MAX_DEPTH => self.items(scanner, depth),
            _ => scanner.skip_value(0),
        }
    }

    fn members(&mut self, scanner: &mut Scanner<'_>, depth: usize) -> Option<()> {
        scanner.pos += 1;
        loop {
            scanner.skip_ws();
            match scanner.peek()? {
                b'}' => {
                    scanner.pos += 1;
                    return Some(());
                }
                b'"' => {}
                _ => return None,
            }
            let key_at = scanner.pos;
            let name = scanner.string()?;
            scanner.skip_ws();
            if scanner.peek()? != b':' {
                return None;
            }
            scanner.pos += 1;
            self.path.push(PathSegment::Key(name));
            self.child(scanner, Some(key_at), depth)?;
            self.path.pop();
            if !scanner.separator(b'}')? {
                return Some(());
            }
        }
    }

    fn items(&mut self, scanner: &mut Scanner<'_>, depth: usize) -> Option<()> {
        scanner.pos += 1;
        for index in 0.. {
            scanner.skip_ws();
            if scanner.peek()? == b']' {
                scanner.pos += 1;
                return Some(());
            }
            self.path.push(PathSegment::Index(index));
            self.child(scanner, None, depth)?;
            self.path.pop();
            if !scanner.separator(b']')? {
                return Some(());
            }
        }
        None
    }

    /// The member or item at `self.path`: walked when it leads to a wanted path, else skipped.
    fn child(
        &mut self,
        scanner: &mut Scanner<'_>,
        key_at: Option<usize>,
        depth: usize,
    ) -> Option<()> {
        if self.wanted.contains(self.path.as_slice()) {
            self.value(scanner, key_at, depth + 1)
        } else {
            scanner.skip_value(0)
        }
    }

    /// Where [`locate`] places `path`: a member's key, an item's value, or the value of the
    /// deepest ancestor that exists.
    fn offset(&self, path: &[PathSegment]) -> Option<usize> {
        (0..=path.len()).rev().find_map(|end| {
            let (key_at, start) = self.found.get(&path[..end])?;
            match (end == path.len(), path.last(), key_at) {
                (true, Some(PathSegment::Key(_)), Some(key_at)) => Some(*key_at),
                _ => Some(*start),
            }
        })
    }
}

/// 1-based line and column (in characters) of a byte offset; a line ends at `\n`, `\r\n` or a
/// lone `\r`, as in policy files ([`crate::syntax::line_starts`]).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    position_in(&LineIndex::new(text), text, offset)
}

/// [`line_col`] with the text's lines already indexed in `line_index`.
pub fn position_in(line_index: &LineIndex, text: &str, offset: usize) -> (usize, usize) {
    let position = line_index.line_col(text, offset, ColumnUnit::Char);
    (position.line as usize + 1, position.col as usize + 1)
}

struct Scanner<'t> {
    bytes: &'t [u8],
    pos: usize,
}

/// Bounds the nesting the scanner follows (the parser already refused deeper documents).
const MAX_DEPTH: usize = 256;

/// The bytes [`Scanner::skip_container`] stops at: quotes and brackets.
static STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'"' as usize] = true;
    table[b'{' as usize] = true;
    table[b'}' as usize] = true;
    table[b'[' as usize] = true;
    table[b']' as usize] = true;
    table
};

impl Scanner<'_> {
    fn skip_bom(&mut self) {
        if self.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.pos = 3;
        }
    }

    fn skip_ws(&mut self) {
        while self
            .bytes
            .get(self.pos)
            .is_some_and(u8::is_ascii_whitespace)
        {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// After a member or item: true past a comma (another follows), false past `close`.
    fn separator(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        let byte = self.peek()?;
        self.pos += 1;
        match byte {
            b',' => Some(true),
            _ if byte == close => Some(false),
            _ => None,
        }
    }

    /// Offset of the value at `path`, starting at a value.
    fn find(&mut self, path: &[PathSegment], depth: usize) -> Option<usize> {
        self.skip_ws();
        let start = self.pos;
        let Some((segment, rest)) = path.split_first() else {
            return Some(start);
        };
        if depth > MAX_DEPTH {
            return None;
        }
        let found = match (segment, self.peek()?) {
            (PathSegment::Key(key), b'{') => self.find_member(key),
            (PathSegment::Index(index), b'[') => self.find_item(*index),
            _ => None,
        };
        match found {
            // The last key of a path points at the key itself, where an editor would look.
            Some(key_at) if rest.is_empty() && matches!(segment, PathSegment::Key(_)) => {
                Some(key_at)
            }
            Some(_) => self.find(rest, depth + 1).or(Some(start)),
            None => Some(start),
        }
    }

    /// In an object: moves to the value of `key`; returns the key's offset.
    fn find_member(&mut self, key: &str) -> Option<usize> {
        self.pos += 1;
        loop {
            self.skip_ws();
            if self.peek()? != b'"' {
                return None;
            }
            let key_at = self.pos;
            let name = self.string()?;
            self.skip_ws();
            if self.peek()? != b':' {
                return None;
            }
            self.pos += 1;
            if name == key {
                self.skip_ws();
                return Some(key_at);
            }
            self.skip_value(0)?;
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                _ => return None,
            }
        }
    }

    /// In an array: moves to item `index`.
    fn find_item(&mut self, index: usize) -> Option<usize> {
        self.pos += 1;
        for _ in 0..index {
            self.skip_ws();
            self.skip_value(0)?;
            self.skip_ws();
            if self.peek()? != b',' {
                return None;
            }
            self.pos += 1;
        }
        self.skip_ws();
        // Past the last item (an empty list): the item does not exist.
        (self.peek()? != b']').then_some(self.pos)
    }

    /// Reads a string and returns its decoded text (escapes are decoded by serde_json; a key
    /// without one, the usual case, is taken as it is).
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        let escaped = self.skip_string()?;
        let raw = std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        match escaped {
            false => raw.get(1..raw.len() - 1).map(str::to_string),
            true => serde_json::from_str(raw).ok(),
        }
    }

    /// Moves past a string (the scanner is at its opening quote); true when it holds an escape.
    fn skip_string(&mut self) -> Option<bool> {
        self.pos += 1;
        let mut escaped = false;
        loop {
            let rest = self.bytes.get(self.pos..)?;
            let at = memchr::memchr2(b'"', b'\\', rest)?;
            self.pos += at;
            if rest.get(at) == Some(&b'"') {
                self.pos += 1;
                return Some(escaped);
            }
            escaped = true;
            self.pos += 2;
        }
    }

    /// Moves past an object or array (the scanner is at its bracket) by counting brackets
    /// outside strings: the text was parsed before, so its structure is known to be sound, and
    /// this is much faster than walking the members one by one. A text that is not sound (a
    /// closing bracket of the wrong kind) is still left where the brackets balance.
    fn skip_container(&mut self, depth: usize) -> Option<()> {
        let mut open = 0usize;
        loop {
            // Most bytes are neither a quote nor a bracket: step over them in a tight loop.
            let rest = self.bytes.get(self.pos..)?;
            self.pos += rest.iter().position(|&b| STRUCTURAL[usize::from(b)])?;
            match *self.bytes.get(self.pos)? {
                b'"' => {
                    self.skip_string()?;
                    continue;
                }
                b'{' | b'[' => {
                    open += 1;
                    if depth + open > MAX_DEPTH + 1 {
                        return None;
                    }
                }
                b'}' | b']' => {
                    open -= 1;
                    if open == 0 {
                        self.pos += 1;
                        return Some(());
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn skip_value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        match self.peek()? {
            b'"' => self.skip_string().map(|_| ()),
            b'{' | b'[' => self.skip_container(depth),
            _ => {
                while self
                    .peek()
                    .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

/// A YAML document's shape with the position of every value, for placing problems.
pub struct YamlPositions(Spanned<YamlNode>);

pub(super) type Spanned<T> = serde_saphyr::Spanned<T>;

/// A YAML node: its children, for positions, and whether a scalar was read as a number (for
/// [`super::yaml12`], which spells some numbers back as text).
pub(super) enum YamlNode {
    /// A number.
    Number,
    /// Any other scalar.
    Leaf,
    Seq(Vec<Spanned<YamlNode>>),
    Map(Vec<(Spanned<String>, Spanned<YamlNode>)>),
}

impl YamlPositions {
    /// Parses `text` again, keeping positions; `None` when it does not parse.
    pub fn parse(text: &str) -> Option<YamlPositions> {
        serde_saphyr::from_str_with_options(text, super::parse::yaml_options())
            .ok()
            .map(YamlPositions)
    }

    /// The 1-based line and column of the value at `path`, or of its closest existing
    /// ancestor; a member found whole is placed at its key, as in JSON (see [`locate`]).
    pub fn locate(&self, path: &[PathSegment]) -> Option<(usize, usize)> {
        let mut node = &self.0;
        let mut key_of_node = None;
        for segment in path {
            let child = match (segment, &node.value) {
                (PathSegment::Key(key), YamlNode::Map(entries)) => entries
                    .iter()
                    .find(|(k, _)| k.value == *key)
                    .map(|(k, v)| (Some(k), v)),
                (PathSegment::Index(index), YamlNode::Seq(items)) => {
                    items.get(*index).map(|item| (None, item))
                }
                _ => None,
            };
            match child {
                Some((key, child)) => (key_of_node, node) = (key, child),
                None => return Some(position(node)),
            }
        }
        Some(key_of_node.map_or_else(|| position(node), position))
    }

    /// The text of the scalar at `path` as written in `text` (the text parsed), when there is
    /// one.
    pub fn written_at<'t>(&self, text: &'t str, path: &[PathSegment]) -> Option<&'t str> {
        let mut node = &self.0;
        for segment in path {
            node = match (segment, &node.value) {
                (PathSegment::Key(key), YamlNode::Map(entries)) => {
                    &entries.iter().find(|(k, _)| k.value == *key)?.1
                }
                (PathSegment::Index(index), YamlNode::Seq(items)) => items.get(*index)?,
                _ => return None,
            };
        }
        super::yaml12::scalar_text(text, node)
    }

    /// The document's root node.
    pub(super) fn root(&self) -> &Spanned<YamlNode> {
        &self.0
    }

    /// The position of the first key repeated in a mapping, if any.
    pub fn first_repeated_key(&self) -> Option<(usize, usize)> {
        repeated_key(&self.0)
    }
}

fn position<T>(node: &Spanned<T>) -> (usize, usize) {
    let at = node.referenced;
    (at.line() as usize, at.column() as usize)
}

fn repeated_key(node: &Spanned<YamlNode>) -> Option<(usize, usize)> {
    match &node.value {
        YamlNode::Number | YamlNode::Leaf => None,
        YamlNode::Seq(items) => items.iter().find_map(repeated_key),
        YamlNode::Map(entries) => entries
            .iter()
            .enumerate()
            .find(|(index, (key, _))| entries[..*index].iter().any(|(k, _)| k.value == key.value))
            .map(|(_, (key, _))| position(key))
            .or_else(|| entries.iter().find_map(|(_, value)| repeated_key(value))),
    }
}

impl<'de> serde::Deserialize<'de> for YamlNode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(YamlVisitor)
    }
}

struct YamlVisitor;

impl<'de> serde::de::Visitor<'de> for YamlVisitor {
    type Value = YamlNode;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<YamlNode, E> {
        Ok(YamlNode::Leaf)
    }

    fn visit_i64<E>(self, _: i64) -> Result<YamlNode, E> {
        Ok(YamlNode::Number)
    }

    fn visit_u64<E>(self, _: u64) -> Result<YamlNode, E> {
        Ok(YamlNode::Number)
    }

    fn visit_f64<E>(self, _: f64) -> Result<YamlNode, E> {
        Ok(YamlNode::Number)
    }

    fn visit_str<E>(self, _: &str) -> Result<YamlNode, E> {
        Ok(YamlNode::Leaf)
    }

    fn visit_unit<E>(self) -> Result<YamlNode, E> {
        Ok(YamlNode::Leaf)
    }

    fn visit_none<E>(self) -> Result<YamlNode, E> {
        Ok(YamlNode::Leaf)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<YamlNode, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<YamlNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(YamlNode::Seq(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<YamlNode, A::Error> {
        let mut entries = Vec::new();
        while let Some((key, value)) = map.next_entry()? {
            entries.push((key, value));
        }
        Ok(YamlNode::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> PathSegment {
        PathSegment::Key(k.into())
    }

    /// Every path of `value`, and for each a sibling and a child that do not exist.
    fn paths(
        value: &serde_json::Value,
        at: &mut Vec<PathSegment>,
        out: &mut Vec<Vec<PathSegment>>,
    ) {
        out.push(at.clone());
        let mut missing = at.clone();
        missing.push(key("no-such-field"));
        out.push(missing);
        match value {
            serde_json::Value::Object(map) => {
                for (name, child) in map {
                    at.push(key(name));
                    paths(child, at, out);
                    at.pop();
                }
            }
            serde_json::Value::Array(items) => {
                let mut past = at.clone();
                past.push(PathSegment::Index(items.len()));
                out.push(past);
                for (index, child) in items.iter().enumerate() {
                    at.push(PathSegment::Index(index));
                    paths(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    #[test]
    fn locating_many_paths_at_once_agrees_with_locating_each() {
        let mut texts = vec![
            "{\n  \"é\": [1, {\"c\": \"x\"}, []],\r\n \"d\": {}\n}".to_string(),
            "\u{feff}[ {\"a\": 1}, {\"a\": [true, null]} ]".to_string(),
            "{\r \"a\": [1,\r\r {\"b\": \"é\"}],\r\n \"c\": 2\r}".to_string(),
        ];
        for name in ["kestria", "castellan"] {
            let text =
                std::fs::read_to_string(format!("examples/{name}.json")).expect("an example");
            texts.push(text);
        }
        for text in &texts {
            let value: serde_json::Value =
                serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("JSON");
            let mut all = Vec::new();
            paths(&value, &mut Vec::new(), &mut all);
            let wanted: Vec<&[PathSegment]> = all.iter().map(Vec::as_slice).collect();
            let at_once = locate_all(text, &wanted);
            for (path, position) in wanted.iter().zip(at_once) {
                assert_eq!(position, locate(text, path), "{path:?} in {text}");
            }
        }
    }

    #[test]
    fn finds_keys_and_items() {
        let text = "{\n  \"a\": { \"b\": [1, {\"c\": \"x\"}] },\n  \"d\": true\n}";
        assert_eq!(locate(text, &[key("d")]), Some((3, 3)));
        assert_eq!(
            locate(text, &[key("a"), key("b"), PathSegment::Index(1), key("c")]),
            Some((2, 20))
        );
        assert_eq!(
            locate(text, &[key("a"), key("b"), PathSegment::Index(0)]),
            Some((2, 16))
        );
    }

    #[test]
    fn finds_yaml_keys_and_items() {
        let text = "a:\n  b:\n    - 1\n    - c: x\nd: true\n";
        let positions = YamlPositions::parse(text).expect("valid YAML");
        // A member is placed at its key, as in JSON; an item at its value.
        assert_eq!(positions.locate(&[key("d")]), Some((5, 1)));
        let path = [key("a"), key("b"), PathSegment::Index(1), key("c")];
        assert_eq!(positions.locate(&path), Some((4, 7)));
        assert_eq!(positions.locate(&path[..3]), Some((4, 7)));
        assert_eq!(positions.locate(&path[..2]), Some((2, 3)));
        // A missing member: its parent's value.
        assert_eq!(positions.locate(&[key("a"), key("z")]), Some((2, 3)));
    }

    #[test]
    fn a_repeated_yaml_key_is_placed_at_its_second_occurrence() {
        // A tagged first key passes serde-saphyr's own duplicate check (see `config::parse`).
        let text = "a: 1\nb: {!x c: 2, c: 3}\n";
        let positions = YamlPositions::parse(text).expect("YAML with a tagged key");
        assert_eq!(positions.first_repeated_key(), Some((2, 14)));
    }

    #[test]
    fn a_missing_key_points_at_its_parent() {
        let text = "{\"a\": {\"b\": 1}}";
        assert_eq!(locate(text, &[key("a"), key("z")]), Some((1, 7)));
    }
}
