//! Resolves an evidence path as recorded in a norm's `reads` (`systems[].certification.date`)
//! through the schema to the field it names, its type and its doc comment.

use crate::check::{FieldDef, Schema, Type};

/// The schema field an evidence path ends at.
#[derive(Clone, Copy, Debug)]
pub struct EvidenceField<'a> {
    /// The field's declaration.
    pub field: &'a FieldDef,
    /// The type of the value at the end of the path (the element type after a trailing `[]`).
    pub ty: &'a Type,
}

/// The field at the end of `path`, or `None` when the path does not name a field.
///
/// Segments are separated by `.`; `name[]` steps into the elements of a list. A segment after a
/// list without `[]`, or after a reference, steps into the elements or the referenced element.
pub fn resolve_path<'a>(schema: &'a Schema, path: &str) -> Option<EvidenceField<'a>> {
    let mut object = schema.objects.get(schema.root)?;
    let mut found: Option<EvidenceField<'a>> = None;
    for segment in path.split('.') {
        if let Some(previous) = found {
            object = schema.objects.get(object_behind(schema, previous.ty)?)?;
        }
        let name = segment.trim_end_matches("[]");
        let n_steps = (segment.len() - name.len()) / 2;
        let field = object.fields.get(object.field_index(name)?)?;
        let mut ty = &field.ty;
        for _ in 0..n_steps {
            ty = ty.element()?;
        }
        found = Some(EvidenceField { field, ty });
    }
    found
}

/// The object type whose fields a segment after a value of type `ty` names.
fn object_behind(schema: &Schema, ty: &Type) -> Option<usize> {
    match ty {
        Type::Object(id) => Some(*id),
        Type::List(element) => object_behind(schema, element),
        Type::Ref(root_field) => schema.ref_target(*root_field),
        _ => None,
    }
}
