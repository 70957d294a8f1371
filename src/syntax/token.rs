//! The tokens the lexer produces: kinds and byte ranges, no owned text.

use super::span::Span;

/// What kind of token a piece of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A word: keyword, name or hyphenated id such as `gov-ci-designation`.
    Ident,
    /// A double-quoted string, quotes included.
    Str,
    /// A decimal number such as `90` or `0.05`.
    Number,
    /// A calendar date such as `2026-11-10`.
    Date,
    /// A duration such as `90d` or `2w`.
    Duration,
    /// `// …` (kept for the formatter).
    Comment,
    /// `/// …` (attached to the next item, field or member).
    DocComment,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Colon,
    Dot,
    Question,
    Assign,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
    /// Text the lexer could not make sense of; a diagnostic explains it.
    Error,
    /// End of input.
    Eof,
}

impl TokenKind {
    /// How the token kind is named in "expected …" messages.
    pub fn describe(self) -> &'static str {
        use TokenKind::*;
        match self {
            Ident => "a name",
            Str => "a string",
            Number => "a number",
            Date => "a date",
            Duration => "a duration",
            Comment | DocComment => "a comment",
            LBrace => "`{`",
            RBrace => "`}`",
            LParen => "`(`",
            RParen => "`)`",
            LBracket => "`[`",
            RBracket => "`]`",
            Comma => "`,`",
            Colon => "`:`",
            Dot => "`.`",
            Question => "`?`",
            Assign => "`=`",
            EqEq => "`==`",
            NotEq => "`!=`",
            Lt => "`<`",
            Le => "`<=`",
            Gt => "`>`",
            Ge => "`>=`",
            Plus => "`+`",
            Minus => "`-`",
            Star => "`*`",
            Slash => "`/`",
            Error => "invalid text",
            Eof => "the end of the file",
        }
    }

    /// True for comments, which the parser skips.
    pub fn is_trivia(self) -> bool {
        matches!(self, TokenKind::Comment | TokenKind::DocComment)
    }
}

/// One token: its kind and where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// The kind of token.
    pub kind: TokenKind,
    /// Its byte range.
    pub span: Span,
}
