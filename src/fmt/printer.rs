//! The line writer under the formatter: it places tokens, spaces and line breaks, and re-inserts
//! every comment of the source before the first token that followed it in the source.
//!
//! Breaks are lazy: a token only says which separator it wants before the next one
//! ([`Pending`]), so a comment that trailed a token in the source can still be put at the end of
//! that token's line. The writer knows nothing about the AST; `items`, `expr` and `json` drive it.

use crate::syntax::{FileId, Span};

/// Widest line the layout rules aim for, in characters.
pub const MAX_WIDTH: usize = 100;

/// What separates the last written token from the next one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Pending {
    /// Nothing: the next token is glued on.
    None,
    /// One space.
    Space,
    /// Spaces up to a column (at least one).
    Pad(usize),
    /// A line break.
    Newline,
    /// A line break and one empty line.
    Blank,
}

/// Writes formatted text and the source's comments.
pub struct Printer<'t> {
    /// The source text.
    text: &'t str,
    /// `//` comments and unattached `///` lines, in source order.
    comments: Vec<Span>,
    /// Index of the first comment not yet written.
    next_comment: usize,
    out: String,
    /// Byte offset in `out` where the current line starts.
    line_start: usize,
    pending: Pending,
    /// Column at which a new line starts.
    pub indent: usize,
    /// End of the last source token or comment written.
    src_pos: usize,
    /// True right after `{`, a doc comment or the start of the file: no empty line follows.
    suppress_blank: bool,
    /// True when the current line ends in a comment (nothing may follow it on that line).
    line_has_comment: bool,
    /// True when measuring: no comments, and callers choose the flat layout.
    pub flat: bool,
}

impl<'t> Printer<'t> {
    /// A writer for `text` that re-inserts `comments` (sorted by position).
    pub fn new(text: &'t str, comments: Vec<Span>) -> Self {
        Printer {
            text,
            comments,
            next_comment: 0,
            out: String::new(),
            line_start: 0,
            pending: Pending::None,
            indent: 0,
            src_pos: 0,
            suppress_blank: true,
            line_has_comment: false,
            flat: false,
        }
    }

    /// A writer that only measures the flat layout of some syntax.
    pub fn measuring(text: &'t str) -> Self {
        Printer {
            flat: true,
            ..Printer::new(text, Vec::new())
        }
    }

    /// The source text.
    pub fn source(&self) -> &'t str {
        self.text
    }

    /// The output so far, comments after the last token included.
    pub fn finish(mut self) -> String {
        self.flush_before(usize::MAX);
        if !self.out.is_empty() {
            self.trim_line_end();
            self.out.push('\n');
        }
        self.out
    }

    /// The text written so far, without pending separators or comments.
    pub fn written(&self) -> &str {
        &self.out
    }

    // ----- separators -----

    /// Asks for one space before the next token.
    pub fn space(&mut self) {
        self.pending = self.pending.max(Pending::Space);
    }

    /// Asks for spaces up to `column` (at least one) before the next token.
    pub fn pad_to(&mut self, column: usize) {
        if self.pending < Pending::Pad(0) {
            self.pending = Pending::Pad(column);
        }
    }

    /// Asks for a line break before the next token.
    pub fn newline(&mut self) {
        self.pending = self.pending.max(Pending::Newline);
    }

    /// Asks for a line break and an empty line before the next token.
    pub fn blank_line(&mut self) {
        self.pending = Pending::Blank;
    }

    /// Drops a requested empty line (before `}`).
    pub fn no_blank_line(&mut self) {
        if self.pending == Pending::Blank {
            self.pending = Pending::Newline;
        }
    }

    /// Forbids an empty line before the next line (after `{` or a doc comment).
    pub fn suppress_blank(&mut self) {
        self.suppress_blank = true;
    }

    /// The column the next token would start at.
    pub fn next_column(&self) -> usize {
        let column = self.column();
        match self.pending {
            Pending::None => column,
            Pending::Space => column + 1,
            Pending::Pad(target) => target.max(column + 1),
            Pending::Newline | Pending::Blank => self.indent,
        }
    }

    /// True when a line break is pending.
    pub fn at_line_start(&self) -> bool {
        self.pending >= Pending::Newline
    }

    fn column(&self) -> usize {
        self.out
            .get(self.line_start..)
            .unwrap_or_default()
            .chars()
            .count()
    }

    // ----- tokens -----

    /// Starts a line at `indent` for the syntax starting at source offset `start`: comments
    /// before it are written first, and one empty line is kept where the source had any.
    pub fn begin_line(&mut self, start: u32, indent: usize) {
        self.indent = indent;
        self.newline();
        self.flush_before(start as usize);
        if self.blank_in_source(start as usize) {
            self.pending = self.pending.max(Pending::Blank);
        }
    }

    /// Writes `text` for the source token at `span`.
    pub fn token(&mut self, text: &str, span: Span) {
        self.flush_before(span.start as usize);
        self.write(text);
        self.src_pos = self.src_pos.max(span.end as usize);
    }

    /// Writes the punctuation or keyword `text`, which has no span in the tree: it is matched
    /// with the next token of the source when that is the same text (optional commas may be
    /// missing there).
    pub fn punct(&mut self, text: &str) {
        let next = self.next_source_token();
        if self
            .text
            .get(next..)
            .is_some_and(|rest| rest.starts_with(text))
        {
            self.flush_before(next);
            self.src_pos = next + text.len();
        }
        self.write(text);
    }

    /// Writes the comments before the next token of the source.
    pub fn flush_comments(&mut self) {
        let next = self.next_source_token();
        self.flush_before(next);
    }

    /// Writes `text` for the next token of the source, a value the tree keeps without a span.
    pub fn next_token_as(&mut self, text: &str) {
        let span = self.next_token_span();
        self.token(text, span);
    }

    /// Writes the next token of the source as it is written there.
    pub fn next_token_raw(&mut self) {
        let span = self.next_token_span();
        let raw = self.text.get(span.range()).unwrap_or_default();
        self.token(raw, span);
    }

    fn next_token_span(&self) -> Span {
        let start = self.next_source_token();
        let rest = self.text.get(start..).unwrap_or_default();
        Span::new(FileId::default(), start, start + token_len(rest))
    }

    /// True when a comment not yet written starts inside `span`.
    pub fn has_comment_in(&self, span: Span) -> bool {
        self.comments
            .iter()
            .skip(self.next_comment)
            .any(|comment| comment.start > span.start && comment.start < span.end)
    }

    /// Writes a piece of the source verbatim (inline JSON holding comments), with the
    /// comments inside it.
    pub fn verbatim(&mut self, span: Span) {
        self.flush_before(span.start as usize);
        let raw = self.text.get(span.range()).unwrap_or_default();
        self.write(&raw.replace("\r\n", "\n"));
        while self
            .comments
            .get(self.next_comment)
            .is_some_and(|comment| comment.start < span.end)
        {
            self.next_comment += 1;
        }
        self.src_pos = self.src_pos.max(span.end as usize);
    }

    /// Writes already formatted text, which may span lines.
    pub fn write(&mut self, text: &str) {
        self.resolve_pending();
        self.out.push_str(text);
        if let Some(last_break) = text.rfind('\n') {
            self.line_start = self.out.len() - text.len() + last_break + 1;
        }
        self.suppress_blank = false;
        self.line_has_comment = false;
    }

    fn resolve_pending(&mut self) {
        let pending = std::mem::replace(&mut self.pending, Pending::None);
        match pending {
            Pending::None => {}
            Pending::Space => self.out.push(' '),
            Pending::Pad(target) => {
                let n = target.saturating_sub(self.column()).max(1);
                self.out.extend(std::iter::repeat_n(' ', n));
            }
            Pending::Newline | Pending::Blank if self.out.is_empty() => {}
            Pending::Newline | Pending::Blank => {
                self.trim_line_end();
                self.out.push('\n');
                if pending == Pending::Blank && !self.suppress_blank {
                    self.out.push('\n');
                }
                self.line_start = self.out.len();
                self.out.extend(std::iter::repeat_n(' ', self.indent));
            }
        }
    }

    fn trim_line_end(&mut self) {
        let trimmed = self.out.trim_end_matches(' ').len();
        self.out.truncate(trimmed.max(self.line_start));
    }

    // ----- comments -----

    /// Writes every comment that starts before source offset `offset`.
    fn flush_before(&mut self, offset: usize) {
        while let Some(&comment) = self.comments.get(self.next_comment) {
            if comment.start as usize >= offset {
                return;
            }
            self.next_comment += 1;
            self.comment(comment);
        }
    }

    fn comment(&mut self, span: Span) {
        let text = self
            .text
            .get(span.range())
            .unwrap_or_default()
            .trim_end()
            .to_string();
        let start = span.start as usize;
        let trails = self.trails_in_source(start) && !self.line_has_comment && !self.out.is_empty();
        if trails {
            self.out.push(' ');
            self.out.push_str(&text);
            self.pending = self.pending.max(Pending::Newline);
        } else {
            let at_boundary = self.at_line_start();
            self.newline();
            if at_boundary && self.blank_in_source(start) {
                self.pending = Pending::Blank;
            }
            self.resolve_pending();
            self.out.push_str(&text);
            self.suppress_blank = false;
            self.newline();
        }
        self.line_has_comment = true;
        self.src_pos = self.src_pos.max(span.end as usize);
    }

    /// True when the comment at `start` follows a token on the same source line.
    fn trails_in_source(&self, start: usize) -> bool {
        let before = self.text.get(..start).unwrap_or_default();
        let line = before.rsplit('\n').next().unwrap_or_default();
        !line
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
            .is_empty()
    }

    /// True when the source has an empty line between the last thing written and `offset`.
    fn blank_in_source(&self, offset: usize) -> bool {
        if self.suppress_blank || offset <= self.src_pos {
            return false;
        }
        let gap = self.text.get(self.src_pos..offset).unwrap_or_default();
        let mut inner_lines: Vec<&str> = gap.split('\n').skip(1).collect();
        inner_lines.pop();
        inner_lines.iter().any(|line| line.trim().is_empty())
    }

    /// Offset of the next significant token after the last one written.
    fn next_source_token(&self) -> usize {
        let mut pos = self.src_pos;
        loop {
            let rest = self.text.get(pos..).unwrap_or_default();
            let trimmed = rest.trim_start();
            pos += rest.len() - trimmed.len();
            if !trimmed.starts_with("//") {
                return pos;
            }
            pos += trimmed.find('\n').unwrap_or(trimmed.len());
        }
    }
}

/// Length of the string, number or word token at the start of `rest`.
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    if rest.starts_with('"') {
        chars.next();
        while let Some((idx, ch)) = chars.next() {
            match ch {
                '"' => return idx + 1,
                '\\' => {
                    chars.next();
                }
                '\n' => return idx,
                _ => {}
            }
        }
        return rest.len();
    }
    rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .unwrap_or(rest.len())
}
