//! Inline JSON in `test` blocks (`given { "election": { "date": "2027-05-16" } }`), read from
//! the same tokens as the rest of the language so that its errors have precise spans.

use serde_json::{Map, Number, Value};

use super::lexer;
use super::parser::{MAX_DEPTH, Parser};
use super::token::TokenKind;
use crate::diagnostics::{Code, Diagnostic};

impl Parser<'_> {
    /// Parses one JSON value; reports and returns `None` when it is malformed.
    pub(super) fn json_value(&mut self) -> Option<Value> {
        if self.depth >= MAX_DEPTH {
            let span = self.peek().span;
            self.report_too_deep(span);
            return None;
        }
        self.depth += 1;
        let value = self.json_value_inner();
        self.depth -= 1;
        value
    }

    fn json_value_inner(&mut self) -> Option<Value> {
        let token = self.peek();
        match token.kind {
            TokenKind::LBrace => self.json_object(),
            TokenKind::LBracket => {
                self.bump();
                let mut items = Vec::new();
                if !self.at(TokenKind::RBracket) {
                    loop {
                        items.push(self.json_value()?);
                        if self.eat(TokenKind::Comma).is_none() {
                            break;
                        }
                    }
                }
                self.expect(TokenKind::RBracket)?;
                Some(Value::Array(items))
            }
            TokenKind::Str => {
                self.bump();
                Some(Value::String(lexer::unescape(self.text_of(token))))
            }
            TokenKind::Minus | TokenKind::Number => self.json_number(),
            TokenKind::Ident => {
                let value = match self.text_of(token) {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ => {
                        return self.json_error(
                            "a JSON value",
                            "JSON words are true, false and null; put text in quotes",
                        );
                    }
                };
                self.bump();
                Some(value)
            }
            TokenKind::Date => self.json_error(
                "a JSON value",
                "dates in JSON are strings: write \"2027-05-16\"",
            ),
            _ => self.json_error(
                "a JSON value",
                "a value is an object, array, string, number, true, false or null",
            ),
        }
    }

    fn json_object(&mut self) -> Option<Value> {
        self.bump();
        let mut map = Map::new();
        if self.eat(TokenKind::RBrace).is_some() {
            return Some(Value::Object(map));
        }
        loop {
            if !self.at(TokenKind::Str) {
                return self.json_error(
                    "a string key",
                    "object keys are strings in double quotes, and JSON allows no trailing comma",
                );
            }
            let key_token = self.bump();
            let key = lexer::unescape(self.text_of(key_token));
            if self.eat(TokenKind::Colon).is_none() {
                return self
                    .json_error("`:` after the key", "an object member reads \"key\": value");
            }
            let value = self.json_value()?;
            if map.insert(key.clone(), value).is_some() {
                self.report(
                    Diagnostic::new(
                        Code::InvalidJson,
                        key_token.span,
                        format!("duplicate key \"{key}\""),
                    )
                    .with_help("each key may appear once in an object"),
                );
            }
            if self.eat(TokenKind::Comma).is_none() {
                break;
            }
        }
        if self.eat(TokenKind::RBrace).is_none() {
            return self.json_error(
                "a string key or `}`",
                "object keys are strings in double quotes",
            );
        }
        Some(Value::Object(map))
    }

    fn json_number(&mut self) -> Option<Value> {
        let negative = self.eat(TokenKind::Minus).is_some();
        let Some(token) = self.eat(TokenKind::Number) else {
            return self.json_error(
                "a number",
                "a JSON number is digits with an optional fraction",
            );
        };
        let digits = self.text_of(token).replace('_', "");
        let text = if negative {
            format!("-{digits}")
        } else {
            digits
        };
        let number = text
            .parse::<i64>()
            .ok()
            .map(Number::from)
            .or_else(|| text.parse::<f64>().ok().and_then(Number::from_f64));
        match number {
            Some(number) => Some(Value::Number(number)),
            None => self.json_error("a number", "the number is out of range"),
        }
    }

    fn json_error(&mut self, expected: &str, help: &str) -> Option<Value> {
        let span = self.peek().span;
        let message = format!(
            "invalid inline JSON: expected {expected}, found {}",
            self.found()
        );
        self.report(Diagnostic::new(Code::InvalidJson, span, message).with_help(help));
        None
    }
}
