//! The keys of inline `given` documents that name fields of the schema. The parsed JSON keeps
//! no spans, so the document's tokens are walked again, alongside the schema types: a key is a
//! field's only where the document's shape puts an object of the field's type (`"certified"`
//! inside an element of `systems`, not at the root).
//!
//! Only well-formed documents reach here (the parser keeps no `given` that it could not read),
//! so the walk is as deep as the parser allowed; on anything unexpected it stops.
//!
//! The keys of `given "file.json"` fixtures are not walked, so a rename leaves them as they
//! are. It could be done: a fixture is a merge patch on the root type like an inline
//! document, read through `PolicyFiles` (an open buffer first), and a `WorkspaceEdit` may edit
//! it with ranges from a line index of its own. But this walk reads the policy lexer's tokens,
//! which split some valid JSON (`1.5E-3` lexes as `1.5E`, `-`, `3`), so on a fixture it could
//! stop half-way and rename only some keys; and the language server checks no fixture, so a
//! broken one must make the rename refuse rather than edit part of it. It needs a JSON scanner
//! that gives key spans (`config::locate` gives values' positions only).

use crate::check::{Schema, Type};
use crate::syntax::{FileId, Span, Token, TokenKind, lex, unescape};

/// A key that names a field: the span inside its quotes, the object type and the field name.
pub(crate) struct FieldKey {
    pub span: Span,
    pub object: usize,
    pub name: String,
}

/// The keys of the inline document at `span` of `text` that name fields, the document being
/// of the schema's root type.
pub(crate) fn field_keys(schema: &Schema, text: &str, span: Span) -> Vec<FieldKey> {
    let Some(document) = text.get(span.range()) else {
        return Vec::new();
    };
    let tokens: Vec<Token> = (lex(span.file, document).tokens.into_iter())
        .filter(|token| !matches!(token.kind, TokenKind::Comment | TokenKind::DocComment))
        .collect();
    let root = Type::Object(schema.root);
    let mut walk = Walk {
        schema,
        document,
        tokens: &tokens,
        pos: 0,
        base: span.start as usize,
        file: span.file,
        keys: Vec::new(),
    };
    if !schema.objects.is_empty() {
        walk.value(Some(&root));
    }
    walk.keys
}

struct Walk<'a> {
    schema: &'a Schema,
    document: &'a str,
    tokens: &'a [Token],
    pos: usize,
    /// Offset of the document in its file.
    base: usize,
    file: FileId,
    keys: Vec<FieldKey>,
}

impl<'a> Walk<'a> {
    fn peek(&self) -> TokenKind {
        self.tokens.get(self.pos).map_or(TokenKind::Eof, |t| t.kind)
    }

    fn eat(&mut self, kind: TokenKind) -> bool {
        let found = self.peek() == kind;
        self.pos += usize::from(found);
        found
    }

    /// Walks one value whose type is `ty` (`None`: not known to the schema).
    fn value(&mut self, ty: Option<&'a Type>) {
        match self.peek() {
            TokenKind::LBrace => self.object(ty),
            TokenKind::LBracket => {
                let element = match ty {
                    Some(Type::List(element)) => Some(&**element),
                    _ => None,
                };
                self.list(element);
            }
            TokenKind::Minus => self.pos += 2,
            _ => self.pos += 1,
        }
    }

    fn list(&mut self, element: Option<&'a Type>) {
        self.pos += 1;
        while !self.eat(TokenKind::RBracket) && self.peek() != TokenKind::Eof {
            self.value(element);
            self.eat(TokenKind::Comma);
        }
    }

    fn object(&mut self, ty: Option<&'a Type>) {
        let object = match ty {
            Some(Type::Object(object)) => Some(*object),
            _ => None,
        };
        self.pos += 1;
        while !self.eat(TokenKind::RBrace) {
            let Some(&key) = self.tokens.get(self.pos) else {
                return;
            };
            if key.kind != TokenKind::Str {
                return;
            }
            self.pos += 1;
            let field_ty = object.and_then(|object| self.field(object, key));
            if !self.eat(TokenKind::Colon) {
                return;
            }
            self.value(field_ty);
            self.eat(TokenKind::Comma);
        }
    }

    /// Records `key` when it names a field of `object`; returns the field's type.
    fn field(&mut self, object: usize, key: Token) -> Option<&'a Type> {
        let schema: &'a Schema = self.schema;
        let name = unescape(self.document.get(key.span.range())?);
        let field = (schema.objects.get(object)?.fields.iter()).find(|f| f.name == name)?;
        let start = self.base + key.span.start as usize + 1;
        let end = self.base + (key.span.end as usize).saturating_sub(1);
        self.keys.push(FieldKey {
            span: Span::new(self.file, start, end.max(start)),
            object,
            name,
        });
        Some(&field.ty)
    }
}
