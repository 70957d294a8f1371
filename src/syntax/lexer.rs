//! The lexer: turns policy text into tokens with byte spans. Numbers and dates are read with
//! nom; whitespace, names and punctuation, the bulk of a file, are ASCII and scanned byte by
//! byte, which costs far fewer instructions per token than the equivalent combinators.
//!
//! It never fails: text it cannot read becomes an `Error` token plus a diagnostic, and lexing
//! goes on after it. Comments are tokens too, so the formatter and the language server see them.

use nom::bytes::complete::{take_while, take_while_m_n, take_while1};
use nom::character::complete::char;
use nom::combinator::{opt, recognize};
use nom::{IResult, Parser};

use super::span::{FileId, Span};
use super::token::{Token, TokenKind};
use crate::diagnostics::{Code, Diagnostic};

/// Largest policy file the lexer reads, in bytes.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The tokens of one file and the problems found while reading them.
#[derive(Debug, Default)]
pub struct Lexed {
    /// Every token, comments included, ending with `Eof`.
    pub tokens: Vec<Token>,
    /// Lexical errors.
    pub diagnostics: Vec<Diagnostic>,
}

/// Splits `text` into tokens. A leading byte-order mark is skipped.
pub fn lex(file: FileId, text: &str) -> Lexed {
    let mut lexed = Lexed::default();
    if text.len() > MAX_FILE_BYTES {
        lexed.diagnostics.push(
            Diagnostic::new(
                Code::TooLarge,
                Span::new(file, 0, 0),
                "policy file is too large",
            )
            .with_help(format!(
                "policy files are limited to {} MiB; split it with `use`",
                MAX_FILE_BYTES >> 20
            )),
        );
        lexed.tokens.push(Token {
            kind: TokenKind::Eof,
            span: Span::new(file, 0, 0),
        });
        return lexed;
    }
    let start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let mut lexer = Lexer {
        file,
        text,
        pos: start,
        out: &mut lexed,
    };
    lexer.run();
    lexed
}

/// Lexes `text[start..end]`, keeping offsets relative to the whole of `text` (used for the
/// `{expr}` interpolations inside a message string).
pub fn lex_slice(file: FileId, text: &str, start: usize, end: usize) -> Lexed {
    let mut lexed = Lexed::default();
    let mut lexer = Lexer {
        file,
        text: &text[..end],
        pos: start,
        out: &mut lexed,
    };
    lexer.run();
    lexed
}

struct Lexer<'t, 'o> {
    file: FileId,
    text: &'t str,
    pos: usize,
    out: &'o mut Lexed,
}

impl Lexer<'_, '_> {
    fn run(&mut self) {
        loop {
            let rest = &self.text[self.pos..];
            let blank = rest
                .bytes()
                .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                .count();
            self.pos += blank;
            if blank == rest.len() {
                break;
            }
            self.next_token(&rest[blank..]);
        }
        let end = self.text.len();
        self.out.tokens.push(Token {
            kind: TokenKind::Eof,
            span: Span::new(self.file, end, end),
        });
    }

    fn next_token(&mut self, rest: &str) {
        let first = rest
            .chars()
            .next()
            .expect("next_token is called on non-empty text");
        let (kind, len) = if rest.starts_with("//") {
            comment(rest)
        } else if rest.starts_with("/*") {
            self.block_comment(rest)
        } else if first == '"' {
            self.string(rest)
        } else if first.is_ascii_digit() {
            self.number_like(rest)
        } else if first.is_ascii_alphabetic() || first == '_' {
            (TokenKind::Ident, ident_len(rest))
        } else if let Some(token) = punctuation(rest) {
            token
        } else {
            self.unexpected(rest)
        };
        self.push(kind, len);
    }

    fn push(&mut self, kind: TokenKind, len: usize) {
        let span = Span::new(self.file, self.pos, self.pos + len);
        self.out.tokens.push(Token { kind, span });
        self.pos += len;
    }

    fn error(&mut self, code: Code, start: usize, end: usize, message: &str, help: &str) {
        let span = Span::new(self.file, self.pos + start, self.pos + end);
        self.out
            .diagnostics
            .push(Diagnostic::new(code, span, message).with_help(help));
    }

    /// A string runs to the next unescaped quote on the same line (a line ends at `\n`, `\r\n`
    /// or a lone `\r`).
    fn string(&mut self, rest: &str) -> (TokenKind, usize) {
        let bytes = rest.as_bytes();
        let mut i = 1;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => return (TokenKind::Str, i + 1),
                b'\n' | b'\r' => break,
                b'\\' => {
                    let escape_len = self.escape(rest, i);
                    i += escape_len;
                }
                _ => i += 1,
            }
        }
        self.error(
            Code::UnterminatedString,
            0,
            i,
            "string is not closed",
            "add a closing `\"`; a string must end on the line where it starts",
        );
        (TokenKind::Str, i)
    }

    /// Checks the escape starting at byte `i` of `rest` (a backslash); returns its length.
    fn escape(&mut self, rest: &str, i: usize) -> usize {
        let after = &rest[i + 1..];
        match after.chars().next() {
            Some('"' | '\\' | 'n' | 't' | 'r' | '{' | '}') => 2,
            Some('u') => {
                // `get` rather than slicing: the four bytes may end inside a character.
                let hex: &str = after.get(1..5).unwrap_or("");
                let valid = hex.len() == 4
                    && hex.bytes().all(|b| b.is_ascii_hexdigit())
                    && u32::from_str_radix(hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .is_some();
                if valid {
                    6
                } else {
                    self.error(
                        Code::InvalidEscape,
                        i,
                        i + 2,
                        "invalid unicode escape",
                        "write `\\u` followed by four hex digits, e.g. `\\u00e9`",
                    );
                    2
                }
            }
            Some('\n' | '\r') | None => 1,
            Some(other) => {
                self.error(
                    Code::InvalidEscape,
                    i,
                    i + 1 + other.len_utf8(),
                    &format!("unknown escape `\\{other}`"),
                    "known escapes are \\\" \\\\ \\n \\t \\r \\{ \\} and \\uXXXX",
                );
                1 + other.len_utf8()
            }
        }
    }

    /// Dates (`2026-11-10`), durations (`90d`, `2w`) and numbers (`90`, `0.05`, `1_000`).
    fn number_like(&mut self, rest: &str) -> (TokenKind, usize) {
        if let Ok((after, date)) = date_shape(rest) {
            if !after.starts_with(is_ident_char) {
                if !is_valid_date(date) {
                    self.error(
                        Code::InvalidDate,
                        0,
                        date.len(),
                        &format!("`{date}` is not a calendar date"),
                        "write dates as YYYY-MM-DD with a real month and day",
                    );
                }
                return (TokenKind::Date, date.len());
            }
        }
        let number_len = consumed(rest, number(rest));
        let after = &rest[number_len..];
        let suffix_len = after
            .find(|c: char| !is_ident_char(c))
            .unwrap_or(after.len());
        match &after[..suffix_len] {
            "" => (TokenKind::Number, number_len),
            "d" | "w" if !rest[..number_len].contains('.') => (TokenKind::Duration, number_len + 1),
            suffix => {
                let len = number_len + suffix_len;
                self.error(
                    Code::InvalidNumber,
                    0,
                    len,
                    &format!("`{}` is not a number", &rest[..len]),
                    &format!("durations end in `d` (days) or `w` (weeks); put a space between a number and a name (found suffix `{suffix}`)"),
                );
                (TokenKind::Error, len)
            }
        }
    }

    /// A run of characters that start no token becomes one error.
    /// `/* … */`, which the language does not have: one error, and the block is skipped as a
    /// comment so that its text is not read as policy.
    fn block_comment(&mut self, rest: &str) -> (TokenKind, usize) {
        let len = rest.find("*/").map_or(rest.len(), |end| end + 2);
        self.error(
            Code::UnexpectedCharacter,
            0,
            2,
            "block comments `/* … */` are not part of the language",
            "start each comment line with `//`",
        );
        (TokenKind::Comment, len)
    }

    fn unexpected(&mut self, rest: &str) -> (TokenKind, usize) {
        let len = rest
            .char_indices()
            .find(|&(_, c)| {
                c.is_whitespace()
                    || c.is_ascii_alphanumeric()
                    || "\"{}()[],:.?=<>+-*/!_".contains(c)
            })
            .map_or(rest.len(), |(i, _)| {
                i.max(rest.chars().next().map_or(1, char::len_utf8))
            });
        let shown = &rest[..len];
        let help = if shown.starts_with('!') {
            "use `not` for negation and `!=` for inequality".to_string()
        } else if shown.starts_with('&') || shown.starts_with('|') {
            "use `and` / `or` for boolean logic".to_string()
        } else if !shown.is_ascii() {
            "names are ASCII; non-Latin text belongs in strings or comments".to_string()
        } else {
            "remove it, or put it inside a string".to_string()
        };
        self.error(
            Code::UnexpectedCharacter,
            0,
            len,
            &format!("unexpected `{}`", shown.escape_debug()),
            &help,
        );
        (TokenKind::Error, len)
    }
}

fn consumed(rest: &str, result: IResult<&str, &str>) -> usize {
    result.map_or(1, |(after, _)| rest.len() - after.len())
}

/// A `//` comment runs to the end of its line.
fn comment(rest: &str) -> (TokenKind, usize) {
    let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let body = &rest[..len];
    let kind = if body.starts_with("///") && !body.starts_with("////") {
        TokenKind::DocComment
    } else {
        TokenKind::Comment
    };
    (kind, len)
}

/// True for characters that may continue a name.
pub fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The length of the name at the start of `input` (whose first character starts a name): name
/// characters, and `-` between runs of them (`gov-ci-designation`).
fn ident_len(input: &str) -> usize {
    let bytes = input.as_bytes();
    let run = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|&&b| is_ident_byte(b))
            .count()
    };
    let mut len = 1 + run(1);
    while bytes.get(len) == Some(&b'-') && bytes.get(len + 1).is_some_and(|&b| is_ident_byte(b)) {
        len += 1 + run(len + 1);
    }
    len
}

fn number(input: &str) -> IResult<&str, &str> {
    recognize((
        take_while1(|c: char| c.is_ascii_digit()),
        take_while(|c: char| c.is_ascii_digit() || c == '_'),
        opt((char('.'), take_while1(|c: char| c.is_ascii_digit()))),
    ))
    .parse(input)
}

fn date_shape(input: &str) -> IResult<&str, &str> {
    let digits = |n| take_while_m_n(n, n, |c: char| c.is_ascii_digit());
    recognize((digits(4), char('-'), digits(2), char('-'), digits(2))).parse(input)
}

fn is_valid_date(text: &str) -> bool {
    crate::date::Date::parse(text).is_some()
}

/// The operator or delimiter at the start of `input` and its length, if there is one.
fn punctuation(input: &str) -> Option<(TokenKind, usize)> {
    use TokenKind::*;
    let bytes = input.as_bytes();
    let two = match (bytes.first()?, bytes.get(1)) {
        (b'=', Some(b'=')) => Some(EqEq),
        (b'!', Some(b'=')) => Some(NotEq),
        (b'<', Some(b'=')) => Some(Le),
        (b'>', Some(b'=')) => Some(Ge),
        _ => None,
    };
    if let Some(kind) = two {
        return Some((kind, 2));
    }
    let one = match bytes[0] {
        b'{' => LBrace,
        b'}' => RBrace,
        b'(' => LParen,
        b')' => RParen,
        b'[' => LBracket,
        b']' => RBracket,
        b',' => Comma,
        b':' => Colon,
        b'.' => Dot,
        b'?' => Question,
        b'=' => Assign,
        b'<' => Lt,
        b'>' => Gt,
        b'+' => Plus,
        b'-' => Minus,
        b'*' => Star,
        b'/' => Slash,
        _ => return None,
    };
    Some((one, 1))
}

/// The value of a string token's text (quotes included): escapes resolved, invalid ones kept
/// as written (the lexer already reported them).
pub fn unescape(raw: &str) -> String {
    let inner = raw.strip_prefix('"').unwrap_or(raw);
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) if hex.len() == 4 => {
                        out.push(decoded);
                        chars.nth(3);
                    }
                    _ => out.push_str("\\u"),
                }
            }
            Some(other @ ('"' | '\\' | '{' | '}')) => out.push(other),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        lex(FileId(0), text).tokens.iter().map(|t| t.kind).collect()
    }

    #[test]
    fn hyphenated_names_are_one_token_but_spaced_minus_is_not() {
        use TokenKind::*;
        assert_eq!(kinds("gov-ci-designation"), [Ident, Eof]);
        assert_eq!(kinds("a - b"), [Ident, Minus, Ident, Eof]);
        assert_eq!(kinds("a -b"), [Ident, Minus, Ident, Eof]);
    }

    #[test]
    fn dates_durations_and_numbers_are_told_apart() {
        use TokenKind::*;
        assert_eq!(
            kinds("2026-11-10 90d 2w 0.05 1_000"),
            [Date, Duration, Duration, Number, Number, Eof]
        );
        assert_eq!(kinds("2026-02-30").first(), Some(&Date));
        assert_eq!(
            lex(FileId(0), "2026-02-30").diagnostics[0].code,
            Code::InvalidDate
        );
        assert_eq!(
            lex(FileId(0), "12abc").diagnostics[0].code,
            Code::InvalidNumber
        );
    }

    #[test]
    fn strings_keep_escapes_and_stop_at_line_end() {
        assert_eq!(unescape(r#""a\"b\u00e9\{""#), "a\"bé{");
        let lexed = lex(FileId(0), "\"open\nnorm");
        assert_eq!(lexed.diagnostics[0].code, Code::UnterminatedString);
        assert_eq!(lexed.tokens[1].kind, TokenKind::Ident);
    }

    #[test]
    fn names_take_hyphens_only_between_name_characters() {
        for (text, len) in [
            ("gov-ci-designation", 18),
            ("a-", 1),
            ("a--b", 1),
            ("a-1-_x y", 6),
            ("_x-\u{e9}", 2),
            ("x.y", 1),
        ] {
            assert_eq!(ident_len(text), len, "{text:?}");
        }
    }

    #[test]
    fn two_character_operators_win_over_one_character_ones() {
        use TokenKind::*;
        assert_eq!(
            kinds("== != <= >= = < > ! - /"),
            [
                EqEq, NotEq, Le, Ge, Assign, Lt, Gt, Error, Minus, Slash, Eof
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let lexed = lex(FileId(0), "\u{feff}norm");
        assert!(lexed.diagnostics.is_empty());
        assert_eq!(lexed.tokens[0].span.start, 3);
    }
}
