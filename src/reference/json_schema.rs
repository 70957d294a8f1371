//! The JSON Schema (draft 2020-12) of the jurisdiction document, generated from the program's
//! [`Schema`]: the root object inline, one `$defs` entry per object type and enum, `required`
//! lists, descriptions from doc comments.
//!
//! The export mirrors what Rampart accepts, no more and no less strict where JSON Schema can say
//! it: `null` counts as absent, so optional fields and list items may be `null` (every `$defs`
//! entry accepts `null`, and a required field adds a `type` that excludes it); unknown fields
//! are allowed (`additionalProperties: true`) because Rampart reports them as warnings, not
//! errors; references are strings (the target list is named in the description; JSON Schema
//! cannot check that the id exists).

use serde_json::{Map, Value as Json, json};

use crate::check::{FieldDef, ObjectType, Schema, Type};

/// The draft the export follows.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Pattern of a `YYYY-MM-DD` date.
pub const DATE_PATTERN: &str = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

/// Appended to the root description.
const ADDITIONAL_PROPERTIES_NOTE: &str = "Fields not declared here are allowed by this JSON \
Schema (additionalProperties: true) because Rampart reports unknown fields as warnings, not \
errors; `rampart check` names them with a suggestion. A null value counts as an absent field.";

/// The JSON Schema of documents described by `schema`.
pub fn json_schema(schema: &Schema) -> Json {
    let mut root = Map::new();
    root.insert("$schema".into(), json!(DIALECT));
    root.insert("title".into(), json!("Rampart jurisdiction document"));
    let Some(root_object) = schema.objects.get(schema.root) else {
        return Json::Object(root);
    };
    let description = match &root_object.doc {
        Some(doc) => format!("{doc}\n\n{ADDITIONAL_PROPERTIES_NOTE}"),
        None => ADDITIONAL_PROPERTIES_NOTE.to_string(),
    };
    root.extend(object_schema(schema, root_object, Some(&description)));
    root.insert("$defs".into(), Json::Object(definitions(schema)));
    Json::Object(root)
}

/// One `$defs` entry per object type (but the root) and per enum, sorted by name.
fn definitions(schema: &Schema) -> Map<String, Json> {
    let mut defs = Map::new();
    for (id, object) in schema.objects.iter().enumerate() {
        if id != schema.root {
            let mut body = object_schema(schema, object, object.doc.as_deref());
            body.insert("type".into(), json!(["object", "null"]));
            defs.insert(object.name.clone(), Json::Object(body));
        }
    }
    for enumeration in &schema.enums {
        let mut body = Map::new();
        body.insert("type".into(), json!(["string", "null"]));
        let members: Vec<Json> = enumeration
            .members
            .iter()
            .map(|(member, _)| json!(member))
            .chain([Json::Null])
            .collect();
        body.insert("enum".into(), Json::Array(members));
        let mut description = enumeration.doc.clone().unwrap_or_default();
        for (member, doc) in &enumeration.members {
            if let Some(doc) = doc {
                description.push_str(&format!("\n- \"{member}\": {doc}"));
            }
        }
        if !description.is_empty() {
            body.insert("description".into(), json!(description.trim_start()));
        }
        defs.insert(enumeration.name.clone(), Json::Object(body));
    }
    defs.sort_keys();
    defs
}

fn object_schema(schema: &Schema, object: &ObjectType, doc: Option<&str>) -> Map<String, Json> {
    let mut body = Map::new();
    body.insert("type".into(), json!("object"));
    if let Some(doc) = doc {
        body.insert("description".into(), json!(doc));
    }
    let properties: Map<String, Json> = object
        .fields
        .iter()
        .map(|field| (field.name.clone(), field_schema(schema, field)))
        .collect();
    body.insert("properties".into(), Json::Object(properties));
    let required: Vec<&str> = object
        .fields
        .iter()
        .filter(|field| field.required)
        .map(|field| field.name.as_str())
        .collect();
    if !required.is_empty() {
        body.insert("required".into(), json!(required));
    }
    body.insert("additionalProperties".into(), json!(true));
    body
}

fn field_schema(schema: &Schema, field: &FieldDef) -> Json {
    let value = type_schema(schema, &field.ty);
    let mut value = if field.required {
        not_blank(not_null(value, &field.ty), &field.ty)
    } else {
        nullable(value)
    };
    let description = [field.doc.clone(), reference_note(schema, &field.ty)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
    if let (Json::Object(map), false) = (&mut value, description.is_empty()) {
        map.insert("description".into(), json!(description));
    }
    value
}

/// Names the list a reference (or a list of references) points into.
fn reference_note(schema: &Schema, ty: &Type) -> Option<String> {
    let root_field = match ty {
        Type::Ref(root_field) => *root_field,
        Type::List(element) => return reference_note(schema, element),
        _ => return None,
    };
    let list = schema.root_object().fields.get(root_field)?;
    Some(format!(
        "A reference: the `id` of an element of the top-level list `{}`.",
        list.name
    ))
}

/// A required field's schema: a reference to a (nullable) definition gets a `type` without null.
fn not_null(value: Json, ty: &Type) -> Json {
    let base = match ty {
        Type::Object(_) => "object",
        Type::Enum(_) => "string",
        _ => return value,
    };
    match value {
        Json::Object(mut map) if map.contains_key("$ref") => {
            map.insert("type".into(), json!(base));
            Json::Object(map)
        }
        value => value,
    }
}

/// A required text field's schema: blank text is refused, as `rampart check` refuses it (it is
/// as good as missing).
fn not_blank(value: Json, ty: &Type) -> Json {
    match (value, ty) {
        (Json::Object(mut map), Type::String | Type::Ref(_)) => {
            map.insert("pattern".into(), json!("\\S"));
            Json::Object(map)
        }
        (value, _) => value,
    }
}

/// `value` or `null` (references need nothing: every definition accepts `null`).
fn nullable(value: Json) -> Json {
    match value {
        Json::Object(map) if map.contains_key("$ref") => Json::Object(map),
        Json::Object(mut map) => match map.get("type") {
            Some(Json::String(ty)) => {
                let types = json!([ty, "null"]);
                map.insert("type".into(), types);
                Json::Object(map)
            }
            _ => json!({ "anyOf": [Json::Object(map), { "type": "null" }] }),
        },
        value => json!({ "anyOf": [value, { "type": "null" }] }),
    }
}

/// The largest whole number an `int` or `count` field holds; `rampart check` refuses larger ones.
const EXACT: u64 = crate::check::LARGEST_WHOLE;

fn type_schema(schema: &Schema, ty: &Type) -> Json {
    match ty {
        Type::Bool => json!({ "type": "boolean" }),
        Type::Int => json!({ "type": "integer", "minimum": -(EXACT as i64), "maximum": EXACT }),
        Type::Count => json!({ "type": "integer", "minimum": 0, "maximum": EXACT }),
        Type::Number => json!({ "type": "number" }),
        Type::Ratio => json!({ "type": "number", "minimum": 0, "maximum": 1 }),
        Type::String | Type::Ref(_) => json!({ "type": "string" }),
        Type::Date => json!({ "type": "string", "format": "date", "pattern": DATE_PATTERN }),
        Type::Duration => json!({ "type": "integer", "description": "A number of days." }),
        Type::Enum(id) => reference(schema.enums.get(*id).map(|e| e.name.as_str())),
        Type::Object(id) => reference(schema.objects.get(*id).map(|o| o.name.as_str())),
        Type::List(element) => {
            json!({ "type": "array", "items": nullable(type_schema(schema, element)) })
        }
        Type::Any => json!({}),
    }
}

fn reference(name: Option<&str>) -> Json {
    match name {
        Some(name) => json!({ "$ref": format!("#/$defs/{name}") }),
        None => json!({}),
    }
}
