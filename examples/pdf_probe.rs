//! Corpus probe: what the PDF front end makes of one file, as one JSON line on stdout
//! (used by `tools/pdf_corpus.py`; see `make corpus`).
//!
//! `pdf_probe FILE.pdf` prints `{"file", "exit", "kind", "message", "pages", "chars",
//! "warnings", "text"}`: `exit` is the exit code `jisseki extract` would give for the PDF stage
//! (0 when text came out), `chars` the non-white-space characters read, `text` the text of all
//! pages in content order (at most 4 MB).

use std::io::Write;
use std::process::ExitCode;

use jisseki::pdf::{read_pages, Limits};

const MAX_TEXT: usize = 4 << 20;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pdf_probe FILE.pdf");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(3);
        }
    };
    let mut text = String::new();
    let mut chars = 0usize;
    let mut pages = Vec::new();
    let result = read_pages(&bytes, &Limits::default(), |mut page| {
        for g in &page.glyphs {
            chars += g.text.chars().filter(|c| !c.is_whitespace()).count();
            if text.len() < MAX_TEXT {
                text.push_str(&g.text);
            }
        }
        if text.len() < MAX_TEXT {
            text.push('\n');
        }
        // The table stage needs only the page's own content; keep it small for classification.
        page.rules.clear();
        page.fills.clear();
        pages.push(page);
    });
    let (exit, kind, message, warnings) = match result {
        Err(e) => (
            e.exit_code(),
            format!("{:?}", e.kind),
            e.message,
            Vec::new(),
        ),
        Ok(info) => {
            let content = jisseki::pdf::PdfContent {
                pages,
                producer: info.producer,
                problems: info.problems,
            };
            match jisseki::pdf::rows_from_content(content) {
                Ok(rows) => (
                    0,
                    "Ok".to_string(),
                    String::new(),
                    rows.diag.warnings.into_iter().map(|w| w.message).collect(),
                ),
                Err(e) => (
                    e.exit_code(),
                    format!("{:?}", e.kind),
                    e.message,
                    Vec::new(),
                ),
            }
        }
    };
    // Text in fonts that map to no characters: `jisseki extract` paints the glyphs their
    // programs can draw and reads them by OCR; so does the probe (`"ocr": true`).
    let mut ocr = false;
    let (exit, kind, message, warnings) = if kind == "PdfUnmappedFonts" {
        let unmapped =
            jisseki::error::Error::new(jisseki::error::ErrorKind::PdfUnmappedFonts, message);
        match jisseki::scan::read_unmapped(&bytes, &path, unmapped) {
            Ok((scan, _)) => {
                ocr = true;
                text.clear();
                for row in &scan.rows {
                    for cell in &row.cells {
                        chars += cell.text.chars().filter(|c| !c.is_whitespace()).count();
                        if text.len() < MAX_TEXT {
                            text.push_str(&cell.text);
                            text.push('\n');
                        }
                    }
                }
                let warnings = scan.diag.warnings.into_iter().map(|w| w.message).collect();
                (0, "Ok".to_string(), String::new(), warnings)
            }
            Err(e) => (
                e.exit_code(),
                format!("{:?}", e.kind),
                e.message,
                Vec::new(),
            ),
        }
    } else {
        (exit, kind, message, warnings)
    };
    let line = serde_json::json!({
        "ocr": ocr,
        "file": path,
        "exit": exit,
        "kind": kind,
        "message": message,
        "chars": chars,
        "warnings": warnings,
        "text": text,
    });
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    ExitCode::SUCCESS
}
