//! A starting jurisdiction document for `rampart init`: every field of the schema present, as
//! JSON or as YAML with each field's doc comment and type in a `#` comment above it.
//!
//! The document is valid against the schema and claims nothing: optional scalars are `null`
//! (absent, so norms reading them report "unknown"), optional objects are written out with
//! their fields, each list of objects holds one example element (but `waivers`, which is empty:
//! the document excuses nothing), and lists of plain values are `null` (an empty list would be
//! evidence of "none"). Required fields get obvious
//! placeholders (`"my-jurisdiction"`, `"2099-01-01"`).

use serde_json::{Map, Value as Json};

use crate::check::{FieldDef, ObjectId, Schema, Type};
use crate::eval::WAIVERS_FIELD;

/// Placeholder for a required date.
pub const PLACEHOLDER_DATE: &str = "2099-01-01";

/// Placeholder for a required string other than an `id` or a `name`.
pub const PLACEHOLDER_TEXT: &str = "TODO";

/// The starting document, shared by both notations.
enum Node<'a> {
    /// An object with every field of its type.
    Object(Vec<(&'a FieldDef, Node<'a>)>),
    /// A list with one example element.
    List(Box<Node<'a>>),
    /// A placeholder value or `null`.
    Scalar(Json),
}

/// The starting document as JSON.
pub fn starter_json(schema: &Schema) -> Json {
    to_json(&root_node(schema))
}

/// The starting document as pretty-printed JSON, fields in schema order.
pub fn starter_json_text(schema: &Schema) -> String {
    let mut out = String::new();
    push_json(&mut out, &root_node(schema), "");
    out.push('\n');
    out
}

fn push_json(out: &mut String, node: &Node<'_>, indent: &str) {
    let inner = format!("{indent}  ");
    match node {
        Node::Scalar(value) => out.push_str(&yaml_scalar(value)),
        Node::Object(fields) if fields.is_empty() => out.push_str("{}"),
        Node::Object(fields) => {
            out.push('{');
            for (index, (field, node)) in fields.iter().enumerate() {
                let comma = if index + 1 < fields.len() { "," } else { "" };
                out.push_str(&format!("\n{inner}{}: ", Json::from(field.name.as_str())));
                push_json(out, node, &inner);
                out.push_str(comma);
            }
            out.push_str(&format!("\n{indent}}}"));
        }
        Node::List(element) => {
            out.push_str(&format!("[\n{inner}"));
            push_json(out, element, &inner);
            out.push_str(&format!("\n{indent}]"));
        }
    }
}

/// The starting document as YAML, each field preceded by its doc comment and type.
pub fn starter_yaml(schema: &Schema) -> String {
    let mut out = String::new();
    if let Some(doc) = schema
        .objects
        .get(schema.root)
        .and_then(|o| o.doc.as_deref())
    {
        push_comment(&mut out, "", doc);
    }
    push_comment(
        &mut out,
        "",
        "Written by `rampart init`. Replace the placeholders and nulls with what is known;\n\
         a field left null or removed makes the norms that read it report \"unknown\".\n\
         An empty list ([]) means \"none\": a norm about every item of it then passes, so leave\n\
         a list null until it is known. A waiver excuses a failing norm until it expires: it\n\
         applies only with an approver (a contact id) and an expiry date; say why in its reason.",
    );
    match root_node(schema) {
        Node::Object(fields) if !fields.is_empty() => push_fields(&mut out, schema, &fields, ""),
        _ => out.push_str("{}\n"),
    }
    out
}

fn root_node(schema: &Schema) -> Node<'_> {
    object_node(schema, schema.root, &mut Vec::new())
}

fn object_node<'a>(schema: &'a Schema, id: ObjectId, stack: &mut Vec<ObjectId>) -> Node<'a> {
    let Some(object) = schema.objects.get(id) else {
        return Node::Scalar(Json::Null);
    };
    stack.push(id);
    let fields = object
        .fields
        .iter()
        .map(|field| (field, field_node(schema, &object.name, field, stack)))
        .collect();
    stack.pop();
    Node::Object(fields)
}

fn field_node<'a>(
    schema: &'a Schema,
    owner: &str,
    field: &'a FieldDef,
    stack: &mut Vec<ObjectId>,
) -> Node<'a> {
    match (&field.ty, field.required) {
        // A waiver excuses a failure, so the starting document claims none: an example waiver
        // would name no norm, a warning in every run.
        (Type::List(_), _) if stack.len() == 1 && field.name == WAIVERS_FIELD => {
            Node::Scalar(Json::Array(Vec::new()))
        }
        (Type::Object(id), _) if !stack.contains(id) => object_node(schema, *id, stack),
        (Type::List(element), _) => match **element {
            Type::Object(id) if !stack.contains(&id) => {
                Node::List(Box::new(object_node(schema, id, stack)))
            }
            _ => Node::Scalar(Json::Null),
        },
        (ty, true) => Node::Scalar(placeholder(schema, owner, &field.name, ty)),
        (_, false) => Node::Scalar(Json::Null),
    }
}

/// An obvious placeholder of type `ty` for the required field `name` of type `owner`.
fn placeholder(schema: &Schema, owner: &str, name: &str, ty: &Type) -> Json {
    match ty {
        Type::Bool => Json::Bool(false),
        Type::Int | Type::Count | Type::Number | Type::Ratio | Type::Duration => Json::from(0),
        Type::Date => Json::from(PLACEHOLDER_DATE),
        Type::Enum(id) => schema
            .enums
            .get(*id)
            .and_then(|e| e.members.first())
            .map_or(Json::Null, |(member, _)| Json::from(member.as_str())),
        Type::String | Type::Ref(_) => Json::from(text_placeholder(owner, name)),
        Type::Object(_) | Type::List(_) | Type::Any => Json::Null,
    }
}

/// `my-jurisdiction` for an `id`, `My jurisdiction` for a `name`, else [`PLACEHOLDER_TEXT`].
fn text_placeholder(owner: &str, name: &str) -> String {
    let words = words(owner);
    match name {
        "id" => format!("my-{}", words.join("-")),
        "name" => format!("My {}", words.join(" ")),
        _ => PLACEHOLDER_TEXT.to_string(),
    }
}

/// The lower-case words of a type name: `RiskEntry` → `["risk", "entry"]`.
fn words(type_name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in type_name.chars().filter(char::is_ascii_alphanumeric) {
        match words.last_mut() {
            Some(word) if !c.is_ascii_uppercase() => word.push(c),
            _ => words.push(c.to_ascii_lowercase().to_string()),
        }
    }
    words
}

fn to_json(node: &Node<'_>) -> Json {
    match node {
        Node::Object(fields) => Json::Object(
            fields
                .iter()
                .map(|(field, node)| (field.name.clone(), to_json(node)))
                .collect::<Map<_, _>>(),
        ),
        Node::List(element) => Json::Array(vec![to_json(element)]),
        Node::Scalar(value) => value.clone(),
    }
}

fn push_comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        out.push_str(indent);
        out.push('#');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
}

fn push_fields(out: &mut String, schema: &Schema, fields: &[(&FieldDef, Node<'_>)], indent: &str) {
    for (field, node) in fields {
        if let Some(doc) = &field.doc {
            push_comment(out, indent, doc);
        }
        push_comment(out, indent, &type_comment(schema, field));
        out.push_str(&format!("{indent}{}:", field.name));
        push_value(out, schema, node, indent);
    }
}

/// Appends a value after `key:` (on the same line for scalars, below it for the rest).
fn push_value(out: &mut String, schema: &Schema, node: &Node<'_>, indent: &str) {
    let inner = format!("{indent}  ");
    match node {
        Node::Scalar(value) => out.push_str(&format!(" {}\n", yaml_scalar(value))),
        Node::Object(fields) if fields.is_empty() => out.push_str(" {}\n"),
        Node::Object(fields) => {
            out.push('\n');
            push_fields(out, schema, fields, &inner);
        }
        Node::List(element) => {
            out.push_str(&format!("\n{inner}-"));
            push_value(out, schema, element, &inner);
        }
    }
}

/// A JSON scalar written as YAML: JSON strings are valid YAML double-quoted strings.
fn yaml_scalar(value: &Json) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// "Type: Jurisdiction, required." plus the allowed values of an enum or a reference's target.
fn type_comment(schema: &Schema, field: &FieldDef) -> String {
    let presence = if field.required {
        "required"
    } else {
        "optional"
    };
    let mut out = format!("Type: {}, {presence}.", field.ty.display(schema));
    let mut ty = &field.ty;
    while let Type::List(element) = ty {
        ty = element;
    }
    match ty {
        Type::Enum(id) => {
            if let Some(enumeration) = schema.enums.get(*id) {
                let members: Vec<String> = enumeration
                    .members
                    .iter()
                    .map(|(member, _)| format!("\"{member}\""))
                    .collect();
                out.push_str(&format!(" One of {}.", members.join(", ")));
            }
        }
        Type::Date => out.push_str(" Written YYYY-MM-DD."),
        Type::Ratio => out.push_str(" A number from 0 to 1."),
        Type::Count => out.push_str(" A whole number, 0 or more."),
        Type::Ref(root_field) => {
            if let Some(list) = schema.root_object().fields.get(*root_field) {
                out.push_str(&format!(" The id of an element of `{}`.", list.name));
            }
        }
        _ => {}
    }
    out
}
