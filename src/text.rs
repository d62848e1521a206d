//! Text front end: a decoded text dump → Rows. One line is one row, tabs separate cells
//! (the form OCR tools and spreadsheet exports give). LF, CRLF and CR line endings.

use crate::rows::{Cell, Row};

pub fn rows(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (n, line) in lines(text).enumerate() {
        let cells = line.split('\t').map(Cell::new).collect();
        rows.push(Row {
            page: None,
            page_end: None,
            line: Some(u32::try_from(n + 1).unwrap_or(u32::MAX)),
            cells,
        });
    }
    rows
}

/// Lines split on CRLF, LF or a lone CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        match s.find(['\r', '\n']) {
            Some(i) => {
                let skip = if s[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = Some(&s[i + skip..]);
                Some(&s[..i])
            }
            None => {
                rest = None;
                Some(s)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_and_cells() {
        for t in ["a\tb\nc", "a\tb\r\nc", "a\tb\rc"] {
            let r = rows(t);
            assert_eq!(r.len(), 2);
            assert_eq!(r[0].cells.len(), 2);
            assert_eq!(r[1].cells[0].text, "c");
        }
    }
}
