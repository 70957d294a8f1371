//! Maps byte offsets to lines and columns, counting columns in UTF-8 bytes, characters or UTF-16
//! code units (the unit the language server protocol uses), and back.
//!
//! A line ends at `\n`, `\r\n` or a lone `\r` (old Mac files), as the language server protocol
//! says; [`line_starts`] is the one place that knows it.

/// Line starts of one text, for offset ↔ position conversion.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    text_len: u32,
    /// The lines holding a character other than ASCII, in order: on the others every unit
    /// counts bytes, so a column is found without reading the line (a line of half a megabyte
    /// would otherwise be read again for each position on it).
    non_ascii_lines: Vec<u32>,
}

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// Zero-based line number.
    pub line: u32,
    /// Zero-based column, in the unit that was asked for.
    pub col: u32,
}

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (LSP's default).
    Utf16,
    /// Unicode scalar values (what people count in an editor's status bar).
    Char,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let line_starts: Vec<u32> = line_starts(text).map(|start| start as u32).collect();
        let non_ascii_lines = if text.is_ascii() {
            Vec::new()
        } else {
            let ends = line_starts
                .iter()
                .skip(1)
                .map(|&s| s as usize)
                .chain([text.len()]);
            (line_starts.iter().zip(ends).enumerate())
                .filter(|&(_, (&start, end))| !text.as_bytes()[start as usize..end].is_ascii())
                .map(|(line, _)| line as u32)
                .collect()
        };
        LineIndex {
            line_starts,
            text_len: text.len() as u32,
            non_ascii_lines,
        }
    }

    /// True when `line` holds only ASCII, so that every column unit counts bytes.
    fn is_ascii_line(&self, line: usize) -> bool {
        (self.non_ascii_lines)
            .binary_search(&(line as u32))
            .is_err()
    }

    /// Number of lines (a text always has at least one).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Line and column of byte `offset` in `text`, which must be the indexed text.
    /// Offsets past the end clamp to the end; offsets inside a character round down to it.
    pub fn line_col(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.text_len as usize));
        let line = self
            .line_starts
            .partition_point(|&start| start as usize <= offset)
            - 1;
        let line_start = self.line_starts[line] as usize;
        let prefix = &text[line_start..offset];
        let col = match unit {
            _ if self.is_ascii_line(line) => prefix.len(),
            ColumnUnit::Utf8 => prefix.len(),
            ColumnUnit::Utf16 => prefix.chars().map(char::len_utf16).sum(),
            ColumnUnit::Char => prefix.chars().count(),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Zero-based `line` of `text` (the indexed text), without its line break; empty past the
    /// end.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.line_starts.get(line) else {
            return "";
        };
        let end = (self.line_starts.get(line + 1)).map_or(text.len(), |&next| next as usize - 1);
        let line = text.get(start as usize..end).unwrap_or("");
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// Byte offset of `pos` in `text`; a column past the end of its line clamps to the line end
    /// (before its line break), a line past the end clamps to the end of the text.
    pub fn offset(&self, text: &str, pos: LineCol, unit: ColumnUnit) -> usize {
        let Some(&line_start) = self.line_starts.get(pos.line as usize) else {
            return text.len();
        };
        let line_start = line_start as usize;
        let line_end = self
            .line_starts
            .get(pos.line as usize + 1)
            .map_or(text.len(), |&next| next as usize - 1);
        let line = text[line_start..line_end].trim_end_matches('\r');
        if self.is_ascii_line(pos.line as usize) {
            return line_start + (pos.col as usize).min(line.len());
        }
        let mut seen = 0u32;
        for (byte_idx, ch) in line.char_indices() {
            if seen >= pos.col {
                return line_start + byte_idx;
            }
            seen += match unit {
                ColumnUnit::Utf8 => ch.len_utf8() as u32,
                ColumnUnit::Utf16 => ch.len_utf16() as u32,
                ColumnUnit::Char => 1,
            };
        }
        line_start + line.len()
    }
}

/// The byte offset of the start of each line of `text`, in order: 0, then the offset after each
/// `\n`, `\r\n` and lone `\r`.
pub fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    // `memchr2_iter` finds the breaks with a vectorised search.
    let breaks = memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(move |&at| bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n'));
    std::iter::once(0).chain(breaks.map(|at| at + 1))
}

/// The largest char boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, unit: ColumnUnit) {
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let pos = index.line_col(text, offset, unit);
            let back = index.offset(text, pos, unit);
            // A position inside a line break maps to the end of its line.
            let in_line_break =
                text[offset..].starts_with("\r\n") || text[..offset].ends_with('\r');
            if !in_line_break {
                assert_eq!(back, offset, "offset {offset} via {pos:?} in {text:?}");
            }
        }
    }

    #[test]
    fn round_trips_over_tabs_crlf_and_non_ascii() {
        let text = "norm a {\r\n\ttitle \"Ελληνικά 🗳 中文\"\n}\r\n// ü\n";
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            round_trip(text, unit);
        }
    }

    #[test]
    fn round_trips_over_lone_carriage_returns_and_mixed_line_breaks() {
        let text = "norm a {\r\ttitle \"é\"\r\r\n\n\r}\n\r";
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            round_trip(text, unit);
        }
    }

    #[test]
    fn line_text_leaves_out_the_line_break() {
        let text = "a\r\nbc\n\nd\re\r\rf\r";
        let index = LineIndex::new(text);
        let lines: Vec<&str> = (0..9).map(|line| index.line_text(text, line)).collect();
        assert_eq!(lines, ["a", "bc", "", "d", "e", "", "f", "", ""]);
        assert_eq!(index.line_count(), 8);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "ab\rcd\r\nef";
        let index = LineIndex::new(text);
        let at = |offset| index.line_col(text, offset, ColumnUnit::Utf16);
        assert_eq!(at(3), LineCol { line: 1, col: 0 });
        assert_eq!(at(7), LineCol { line: 2, col: 0 });
        let end_of_first = LineCol { line: 0, col: 9 };
        assert_eq!(index.offset(text, end_of_first, ColumnUnit::Utf16), 2);
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let text = "\"🗳x\"";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(
            index.line_col(text, x, ColumnUnit::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            index.line_col(text, x, ColumnUnit::Char),
            LineCol { line: 0, col: 2 }
        );
        assert_eq!(
            index.line_col(text, x, ColumnUnit::Utf8),
            LineCol { line: 0, col: 5 }
        );
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\ncd";
        let index = LineIndex::new(text);
        assert_eq!(
            index.offset(text, LineCol { line: 0, col: 99 }, ColumnUnit::Utf16),
            2
        );
        assert_eq!(
            index.offset(text, LineCol { line: 9, col: 0 }, ColumnUnit::Utf16),
            6
        );
        assert_eq!(
            index.line_col(text, 99, ColumnUnit::Utf8),
            LineCol { line: 1, col: 2 }
        );
    }
}
