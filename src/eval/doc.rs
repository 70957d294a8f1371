//! A jurisdiction document read through the program's schema, in the compact form the
//! evaluator works on: every value typed once, at load (dates parsed, enum members and ids as
//! text), every object's fields stored in the declaration order of its schema type, so that a
//! field access is an index computed by the checker rather than a look-up by name.
//!
//! A [`Doc`] is a flat arena of [`Node`]s with one text buffer for all strings. An object is a
//! block of one node per field of its type (absent fields are [`Node::Missing`]); a list is a
//! block of one node per item. Fields the schema does not declare are not kept (the loader
//! warns about them), and a value of the wrong type is missing (the loader reports it as an
//! error, and a document with errors is not evaluated). Two parts are also kept as JSON, since
//! they are read by name rather than through norms: `jurisdiction` (the report's metadata and
//! `evaluated_on`) and `waivers`.
//!
//! [`DocBuilder`] builds a document from a `serde_json::Value` here, and from the text directly
//! in [`crate::config`]'s streaming loader.

use serde_json::Value as Json;

use crate::check::{ObjectId, Program, Schema, Type};
use crate::date::Date;

use super::WAIVERS_FIELD;

/// The root field that holds the jurisdiction's identity and metadata.
pub const JURISDICTION_FIELD: &str = "jurisdiction";

/// One value of a document.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Node {
    /// Absent, null, or of the wrong type.
    Missing,
    /// `true` / `false`.
    Bool(bool),
    /// A number of a numeric field.
    Number(f64),
    /// A whole number of days of a `duration` field.
    Duration(i64),
    /// A valid date of a `date` field.
    Date(Date),
    /// Text (a string, enum member or id): a range of the text buffer.
    Str {
        /// Start in the buffer.
        start: u32,
        /// Length in bytes.
        len: u32,
    },
    /// An object of schema type `ty`: its fields are the nodes from `first`, one per field.
    Object {
        /// The object type.
        ty: u32,
        /// Index of the first field's node.
        first: u32,
    },
    /// A list: its items are the `len` nodes from `first`.
    List {
        /// Index of the first item's node.
        first: u32,
        /// Number of items.
        len: u32,
    },
}

/// The layout of an object type: its number of fields and which one is `id`.
#[derive(Clone, Copy, Debug, Default)]
struct Layout {
    fields: u32,
    id_field: Option<u32>,
}

impl Layout {
    fn all(schema: &Schema) -> Vec<Layout> {
        schema
            .objects
            .iter()
            .map(|object| Layout {
                fields: object.fields.len() as u32,
                id_field: object
                    .fields
                    .iter()
                    .position(|field| field.name == "id")
                    .map(|index| index as u32),
            })
            .collect()
    }
}

/// A document ready for evaluation.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    nodes: Vec<Node>,
    text: String,
    root: Option<Node>,
    /// How each object type of the schema is laid out.
    layouts: Vec<Layout>,
    jurisdiction: Option<Json>,
    waivers: Option<Json>,
}

impl Doc {
    /// Reads `json` through `program`'s schema.
    pub fn from_json(program: &Program, json: &Json) -> Doc {
        let mut builder = DocBuilder::new(&program.schema);
        let root = builder.from_json(json, &Type::Object(program.schema.root));
        builder.finish(root, json.get(JURISDICTION_FIELD), json.get(WAIVERS_FIELD))
    }

    /// The root object, when the document is one.
    pub fn root(&self) -> Option<Node> {
        self.root
    }

    /// Root field `field` (in the schema's declaration order); missing when the document is
    /// not an object.
    pub fn root_field(&self, field: usize) -> Node {
        match self.root {
            Some(Node::Object { first, .. }) => self.field(first, field),
            _ => Node::Missing,
        }
    }

    /// The node at `index`.
    pub fn node(&self, index: u32) -> Node {
        self.nodes
            .get(index as usize)
            .copied()
            .unwrap_or(Node::Missing)
    }

    /// The `len` nodes from `first` (the items of a list); fewer if the range leaves the
    /// document.
    pub fn nodes(&self, first: u32, len: u32) -> &[Node] {
        let start = (first as usize).min(self.nodes.len());
        let end = start.saturating_add(len as usize).min(self.nodes.len());
        &self.nodes[start..end]
    }

    /// Field `field` of the object whose fields start at `first`.
    pub fn field(&self, first: u32, field: usize) -> Node {
        u32::try_from(field).map_or(Node::Missing, |field| {
            self.node(first.saturating_add(field))
        })
    }

    /// The text of a string node.
    pub fn str(&self, start: u32, len: u32) -> &str {
        let (start, end) = (start as usize, start as usize + len as usize);
        self.text.get(start..end).unwrap_or("")
    }

    /// The `id` of an object node, when its type has a string `id` field that is present.
    pub fn id_of(&self, node: Node) -> Option<&str> {
        let Node::Object { ty, first } = node else {
            return None;
        };
        let field = self.layouts.get(ty as usize)?.id_field?;
        match self.node(first.saturating_add(field)) {
            Node::Str { start, len } => Some(self.str(start, len)),
            _ => None,
        }
    }

    /// `jurisdiction`, as written.
    pub fn jurisdiction(&self) -> Option<&Json> {
        self.jurisdiction.as_ref()
    }

    /// `waivers`, as written.
    pub fn waivers(&self) -> Option<&Json> {
        self.waivers.as_ref()
    }

    /// `jurisdiction.evaluated_on`, when it is a valid date.
    pub fn evaluated_on(&self) -> Option<Date> {
        evaluated_on(self.jurisdiction.as_ref()?)
    }

    /// Whether two nodes hold the same value (objects and lists compared item by item).
    pub fn same(&self, a: Node, b: Node) -> bool {
        match (a, b) {
            (Node::Str { start, len }, Node::Str { start: s, len: l }) => {
                self.str(start, len) == self.str(s, l)
            }
            (Node::Object { ty, first }, Node::Object { ty: t, first: f }) => {
                let fields = self.fields_of(ty);
                ty == t && (first == f || self.same_blocks(first, f, fields))
            }
            (Node::List { first, len }, Node::List { first: f, len: l }) => {
                len == l && (first == f || self.same_blocks(first, f, len))
            }
            _ => a == b,
        }
    }

    fn same_blocks(&self, a: u32, b: u32, len: u32) -> bool {
        (0..len).all(|offset| {
            self.same(
                self.node(a.saturating_add(offset)),
                self.node(b.saturating_add(offset)),
            )
        })
    }

    /// Number of fields of object type `ty`.
    fn fields_of(&self, ty: u32) -> u32 {
        self.layouts
            .get(ty as usize)
            .map_or(0, |layout| layout.fields)
    }
}

/// About how many bytes of pretty-printed JSON make one node (a field, with its key and
/// indentation, or a list item).
const NODE_BYTES_OF_TEXT: usize = 12;

/// About how many bytes of pretty-printed JSON hold one byte of string value.
const STRING_BYTES_OF_TEXT: usize = 3;

/// Builds a [`Doc`]: values are typed as they are added; an object reserves one node per field
/// of its type, and a list's items are added as one block when the list is complete.
#[derive(Debug)]
pub struct DocBuilder<'s> {
    schema: &'s Schema,
    nodes: Vec<Node>,
    text: String,
}

impl<'s> DocBuilder<'s> {
    /// A builder for documents of `schema`.
    pub fn new(schema: &'s Schema) -> Self {
        Self::for_text(schema, 0)
    }

    /// A builder for a document read from `len` bytes of JSON, with room reserved for what
    /// such a document usually holds (so that the arena is not copied as it grows).
    pub fn for_text(schema: &'s Schema, len: usize) -> Self {
        DocBuilder {
            schema,
            nodes: Vec::with_capacity(len / NODE_BYTES_OF_TEXT),
            text: String::with_capacity(len / STRING_BYTES_OF_TEXT),
        }
    }

    /// A string read as a value of type `ty`.
    pub fn string(&mut self, value: &str, ty: &Type) -> Node {
        match ty {
            Type::Date => Date::parse(value).map_or(Node::Missing, Node::Date),
            Type::String | Type::Enum(_) | Type::Ref(_) | Type::Any => {
                let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
                let len = u32::try_from(value.len()).unwrap_or(0);
                self.text.push_str(value);
                Node::Str { start, len }
            }
            _ => Node::Missing,
        }
    }

    /// A boolean read as a value of type `ty`.
    pub fn bool(value: bool, ty: &Type) -> Node {
        match ty {
            Type::Bool | Type::Any => Node::Bool(value),
            _ => Node::Missing,
        }
    }

    /// A whole number read as a value of type `ty`.
    pub fn integer(value: i128, ty: &Type) -> Node {
        match ty {
            Type::Duration => i64::try_from(value).map_or(Node::Missing, Node::Duration),
            _ => Self::float(value as f64, ty),
        }
    }

    /// A number with a fraction read as a value of type `ty`.
    pub fn float(value: f64, ty: &Type) -> Node {
        match ty {
            Type::Int | Type::Count | Type::Number | Type::Ratio | Type::Any => Node::Number(value),
            _ => Node::Missing,
        }
    }

    /// Starts an object of type `object`: reserves its fields, all missing, and returns the
    /// index of the first ([`DocBuilder::set_field`] fills them).
    pub fn open_object(&mut self, object: ObjectId) -> u32 {
        let first = self.next_index();
        let fields = self
            .schema
            .objects
            .get(object)
            .map_or(0, |o| o.fields.len());
        self.nodes
            .extend(std::iter::repeat_n(Node::Missing, fields));
        first
    }

    /// Sets field `field` of the object whose fields start at `first`.
    pub fn set_field(&mut self, first: u32, field: usize, node: Node) {
        if let Some(slot) = self.nodes.get_mut(first as usize + field) {
            *slot = node;
        }
    }

    /// True for text that is empty or only white space, which a required field may not be.
    pub fn is_blank(&self, node: Node) -> bool {
        let Node::Str { start, len } = node else {
            return false;
        };
        let (start, end) = (start as usize, start as usize + len as usize);
        self.text
            .get(start..end)
            .is_some_and(|t| t.trim().is_empty())
    }

    /// Field `field` of the object whose fields start at `first`, as set so far.
    pub fn field(&self, first: u32, field: usize) -> Node {
        self.nodes
            .get(first as usize + field)
            .copied()
            .unwrap_or(Node::Missing)
    }

    /// Adds a complete list.
    pub fn list(&mut self, items: &[Node]) -> Node {
        let first = self.next_index();
        self.nodes.extend_from_slice(items);
        Node::List {
            first,
            len: u32::try_from(items.len()).unwrap_or(u32::MAX),
        }
    }

    fn next_index(&self) -> u32 {
        u32::try_from(self.nodes.len()).unwrap_or(u32::MAX)
    }

    /// A JSON value read as a value of type `ty`.
    pub fn from_json(&mut self, json: &Json, ty: &Type) -> Node {
        match (json, ty) {
            (Json::Bool(b), _) => Self::bool(*b, ty),
            (Json::Number(n), _) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => Self::integer(i128::from(i), ty),
                (None, Some(u), _) => Self::integer(i128::from(u), ty),
                (None, None, Some(f)) => Self::float(f, ty),
                _ => Node::Missing,
            },
            (Json::String(s), _) => self.string(s, ty),
            (Json::Object(map), Type::Object(id)) => {
                let Some(object) = self.schema.objects.get(*id) else {
                    return Node::Missing;
                };
                let first = self.open_object(*id);
                for (index, field) in object.fields.iter().enumerate() {
                    if let Some(value) = map.get(&field.name) {
                        let node = self.from_json(value, &field.ty);
                        self.set_field(first, index, node);
                    }
                }
                Node::Object {
                    ty: *id as u32,
                    first,
                }
            }
            (Json::Array(items), Type::List(element)) => {
                let nodes: Vec<Node> = items
                    .iter()
                    .map(|item| self.from_json(item, element))
                    .collect();
                self.list(&nodes)
            }
            (Json::Array(items), Type::Any) => {
                let nodes: Vec<Node> = items
                    .iter()
                    .map(|item| self.from_json(item, &Type::Any))
                    .collect();
                self.list(&nodes)
            }
            _ => Node::Missing,
        }
    }

    /// The document with root `root`; `jurisdiction` and `waivers` as written.
    pub fn finish(self, root: Node, jurisdiction: Option<&Json>, waivers: Option<&Json>) -> Doc {
        Doc {
            nodes: self.nodes,
            text: self.text,
            root: matches!(root, Node::Object { .. }).then_some(root),
            layouts: Layout::all(self.schema),
            jurisdiction: jurisdiction.cloned(),
            waivers: waivers.cloned(),
        }
    }
}

impl Doc {
    /// The document as JSON through `schema` (absent fields left out): equal for two documents
    /// with the same values, whatever order their nodes were built in (for comparing the two
    /// ways of loading a document: [`crate::config::fast_path_agrees`]).
    pub(crate) fn to_json(&self, schema: &Schema) -> Json {
        self.root
            .map_or(Json::Null, |root| self.node_json(schema, root))
    }

    fn node_json(&self, schema: &Schema, node: Node) -> Json {
        match node {
            Node::Missing => Json::Null,
            Node::Bool(b) => Json::Bool(b),
            Node::Number(n) => serde_json::json!(n),
            Node::Duration(days) => serde_json::json!({ "days": days }),
            Node::Date(date) => serde_json::json!({ "date": date.to_string() }),
            Node::Str { start, len } => Json::String(self.str(start, len).to_string()),
            Node::Object { ty, first } => {
                let fields = schema
                    .objects
                    .get(ty as usize)
                    .map_or(&[][..], |o| &o.fields);
                let mut map = serde_json::Map::new();
                for (index, field) in fields.iter().enumerate() {
                    let value = self.node_json(schema, self.field(first, index));
                    if !value.is_null() {
                        map.insert(field.name.clone(), value);
                    }
                }
                Json::Object(map)
            }
            Node::List { first, len } => (first..first + len)
                .map(|index| self.node_json(schema, self.node(index)))
                .collect(),
        }
    }
}

/// The `evaluated_on` of a `jurisdiction` object, when it is a valid date: the date a document
/// is evaluated on ([`Doc::evaluated_on`], and the tests' documents, which stay JSON).
pub fn evaluated_on(jurisdiction: &Json) -> Option<Date> {
    jurisdiction
        .get("evaluated_on")?
        .as_str()
        .and_then(Date::parse)
}
