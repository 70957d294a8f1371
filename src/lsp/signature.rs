//! Signature help for built-in functions and callable definitions: the call around the cursor
//! is found from the tokens (an unmatched `(` after a name), the active parameter by counting
//! commas at that depth.

use lsp_types::{
    ParameterInformation, ParameterLabel, SignatureHelp, SignatureHelpParams, SignatureInformation,
};

use super::world::World;
use crate::check::{Builtin, Program};
use crate::syntax::{FileId, Token, TokenKind, lex};

/// Signatures of the functions written with a binder.
const BINDER_FORMS: &[(&str, &str)] = &[
    ("count", "count(x in list where condition) -> int"),
    ("filter", "filter(x in list where condition) -> list"),
    ("latest", "latest(x in list by key) -> item"),
    ("passes", "passes(norm) -> bool"),
    ("fails", "fails(norm) -> bool"),
];

/// Answers `textDocument/signatureHelp`.
pub(crate) fn signature_help(world: &World, params: SignatureHelpParams) -> Option<SignatureHelp> {
    let position = params.text_document_position_params;
    let (analysis, file) = world.analysis(&position.text_document.uri)?;
    let offset = analysis.offset(file, position.position)?;
    let text = analysis.text(file);
    let (name, active) = call_at(text, offset)?;
    let signatures = signatures(&analysis.checked.program, name);
    if signatures.is_empty() {
        return None;
    }
    Some(SignatureHelp {
        signatures,
        active_signature: Some(0),
        active_parameter: Some(active),
    })
}

/// The name of the function whose argument list holds `offset`, and the argument's index.
fn call_at(text: &str, offset: usize) -> Option<(&str, u32)> {
    let tokens: Vec<Token> = lex(FileId(0), text)
        .tokens
        .into_iter()
        .filter(|t| (t.span.end as usize) <= offset && !t.kind.is_trivia())
        .collect();
    let mut depth = 0u32;
    let mut commas = 0u32;
    for (i, token) in tokens.iter().enumerate().rev() {
        match token.kind {
            TokenKind::RParen | TokenKind::RBracket => depth += 1,
            TokenKind::LBracket if depth > 0 => depth -= 1,
            TokenKind::LParen if depth > 0 => depth -= 1,
            TokenKind::LParen => {
                let callee = tokens.get(i.checked_sub(1)?)?;
                return (callee.kind == TokenKind::Ident)
                    .then(|| (text.get(callee.span.range()).unwrap_or(""), commas));
            }
            TokenKind::Comma if depth == 0 => commas += 1,
            TokenKind::LBrace | TokenKind::RBrace => return None,
            _ => {}
        }
    }
    None
}

/// The signatures of `name`: a built-in's, a binder form's or a definition's.
fn signatures(program: &Program, name: &str) -> Vec<SignatureInformation> {
    let mut labels: Vec<String> = BINDER_FORMS
        .iter()
        .filter(|(n, _)| *n == name)
        .map(|(_, label)| label.to_string())
        .collect();
    if let Some(builtin) = Builtin::by_name(name) {
        labels.insert(0, builtin.signature().to_string());
    }
    if let Some(def) = program.defs.iter().find(|d| d.name == name && d.callable) {
        let params: Vec<String> = def
            .params
            .iter()
            .map(|(n, t)| format!("{n}: {}", t.display(&program.schema)))
            .collect();
        let ret = def.body.ty.display(&program.schema);
        labels.push(format!("{name}({}) -> {ret}", params.join(", ")));
    }
    labels.into_iter().map(information).collect()
}

/// A signature whose parameters are the comma-separated parts between its parentheses.
fn information(label: String) -> SignatureInformation {
    let parameters = parameter_offsets(&label)
        .into_iter()
        .map(|(start, end)| ParameterInformation {
            label: ParameterLabel::LabelOffsets([start, end]),
            documentation: None,
        })
        .collect();
    SignatureInformation {
        label,
        documentation: None,
        parameters: Some(parameters),
        active_parameter: None,
    }
}

/// UTF-16 offsets of each parameter in the first parenthesised list of `label`.
fn parameter_offsets(label: &str) -> Vec<(u32, u32)> {
    let (Some(open), Some(close)) = (label.find('('), label.find(')')) else {
        return Vec::new();
    };
    if close <= open + 1 {
        return Vec::new();
    }
    let utf16 = |byte: usize| label[..byte].encode_utf16().count() as u32;
    let mut out = Vec::new();
    let mut start = open + 1;
    for (i, c) in label[open + 1..close].char_indices() {
        if c == ',' {
            out.push((utf16(start), utf16(open + 1 + i)));
            start = open + 1 + i + 2;
        }
    }
    out.push((utf16(start.min(close)), utf16(close)));
    out
}
