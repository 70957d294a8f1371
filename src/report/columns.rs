//! Text for the columns of terminal tables: cells made safe to print (no control or
//! reordering characters), cut and padded by the width they take on a terminal, where most
//! East Asian characters take two columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// True for characters that can drive a terminal or reorder what it shows: control
/// characters and the bidirectional embedding, override and isolate marks.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as an escape (`\u{1b}`), line breaks included:
/// for one-line messages that quote file names or document text.
pub fn escape_unsafe(text: &str) -> String {
    escape_where(text, is_unsafe_char)
}

/// `text` with every character for which `escaped` holds written as an escape (`\u{1b}`).
pub fn escape_where(text: &str, escaped: impl Fn(char) -> bool) -> String {
    if !text.chars().any(&escaped) {
        return text.to_string();
    }
    text.chars()
        .map(|c| match escaped(c) {
            true => format!("\\u{{{:x}}}", u32::from(c)),
            false => c.to_string(),
        })
        .collect()
}

/// The columns `text` takes on a terminal.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` with unsafe characters replaced, cut to `max` columns (ending in `…`).
pub fn cell(text: &str, max: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if is_unsafe_char(c) { '\u{fffd}' } else { c })
        .collect();
    if clean.width() <= max {
        return clean;
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let columns = c.width().unwrap_or(0);
        if used + columns > max.saturating_sub(1) {
            break;
        }
        used += columns;
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// Pads `text` on the right to `columns` columns.
pub fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(text.width())))
}

/// `text` cut to its last `max` columns (starting with `…`), for a path whose end names
/// the file; unsafe characters are kept for the caller to escape.
pub fn tail(text: &str, max: usize) -> String {
    if text.width() <= max {
        return text.to_string();
    }
    let mut kept = Vec::new();
    let mut used = 0;
    for c in text.chars().rev() {
        let columns = c.width().unwrap_or(0);
        if used + columns > max.saturating_sub(1) {
            break;
        }
        used += columns;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

#[cfg(test)]
mod tests {
    use super::{cell, escape_unsafe, pad, tail, width};

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("桜国 (Sakura)"), 13);
        assert_eq!(pad("桜国", 6), "桜国  ");
        assert_eq!(cell("桜国桜国桜国", 7), "桜国桜…");
        assert_eq!(width(&cell("桜国桜国桜国", 7)), 7);
        assert_eq!(cell("a\u{1b}]0;x", 20), "a\u{fffd}]0;x");
        assert_eq!(tail("dir/桜国.json", 10), "…桜国.json");
        assert_eq!(
            escape_unsafe("a\u{1b}]0;x\u{7}\n"),
            "a\\u{1b}]0;x\\u{7}\\u{a}"
        );
        assert_eq!(tail("dir/桜国.json", 9), "…国.json");
    }
}
