//! The whole job for one input: bytes → `Document`.

use crate::diag::{Diag, WarningCode};
use crate::error::{Error, ErrorKind, Result};
use crate::header;
use crate::ingest::{self, Input};
use crate::model::{Document, Source, SCHEMA_VERSION};
use crate::parse::{self, Context};
use crate::rows::Row;
use crate::segment;

/// Extract one report. `file` is the name reported in `source.file` and in error messages.
/// Never panics: a panic inside a stage becomes an `Internal` error naming the file.
pub fn extract(bytes: &[u8], file: &str) -> Result<Document> {
    let run = std::panic::catch_unwind(|| extract_inner(bytes, file));
    match run {
        Ok(r) => r.map_err(|e| {
            if e.file.is_none() {
                e.with_file(file)
            } else {
                e
            }
        }),
        Err(_) => Err(Error::new(
            ErrorKind::Internal,
            "internal error while reading this input (please report it)",
        )
        .with_file(file)),
    }
}

fn extract_inner(bytes: &[u8], file: &str) -> Result<Document> {
    let sha256 = ingest::sha256_hex(bytes);
    match ingest::classify(bytes)? {
        Input::Text { text, encoding } => {
            let rows = crate::text::rows(&text);
            let source = Source {
                file: file.to_string(),
                sha256,
                format: "text".into(),
                encoding: Some(encoding.into()),
                pages: None,
                producer: None,
                ocr: None,
            };
            from_rows(&rows, source, Diag::default())
        }
        Input::Pdf => {
            let content = crate::pdf::read(bytes, &crate::pdf::Limits::default())?;
            if crate::scan::is_scan(&content) {
                let pages = crate::scan::pdf_page_images(bytes, &content)?;
                let producer = content.producer.clone();
                return from_scan(
                    crate::scan::read_pages(pages, file, None)?,
                    file,
                    sha256,
                    producer,
                );
            }
            let pdf = crate::pdf::rows_from_content(content)?;
            let source = Source {
                file: file.to_string(),
                sha256,
                format: "pdf".into(),
                encoding: None,
                pages: Some(pdf.pages),
                producer: pdf.producer,
                ocr: None,
            };
            from_rows(&pdf.rows, source, pdf.diag)
        }
        Input::Image { .. } => {
            let pages = crate::scan::file_page_images(bytes)?;
            from_scan(
                crate::scan::read_pages(pages, file, None)?,
                file,
                sha256,
                None,
            )
        }
    }
}

/// A scan read by OCR → Document (`source.format` "scan", with the OCR provenance).
fn from_scan(
    scan: crate::scan::ScanRows,
    file: &str,
    sha256: String,
    producer: Option<String>,
) -> Result<Document> {
    let source = Source {
        file: file.to_string(),
        sha256,
        format: "scan".into(),
        encoding: None,
        pages: Some(scan.pages),
        producer,
        ocr: Some(scan.ocr),
    };
    from_rows(&scan.rows, source, scan.diag)
}

/// The shared back half: Rows → segment → parse → Document.
pub fn from_rows(rows: &[Row], source: Source, mut diag: Diag) -> Result<Document> {
    let seg = segment::segment(rows);
    let report = header::report(&seg.page_lines);
    if report.plan_title.is_none() {
        diag.warn(
            WarningCode::MissingField,
            None,
            Some("report.plan_title"),
            "no plan title line with a period such as 「…プラン (2024 - 2028)」".into(),
        );
    }
    if report.fiscal_year.is_none() {
        diag.warn(
            WarningCode::MissingField,
            None,
            Some("report.fiscal_year"),
            "no report title line with a year such as 「… (2024年度報告)」".into(),
        );
    }
    let ctx = Context {
        plan_start: report.plan_period.map(|p| p.start),
        plan_end: report.plan_period.map(|p| p.end),
        fiscal_year: report.fiscal_year,
    };
    let mut items = Vec::with_capacity(seg.blocks.len());
    for block in &seg.blocks {
        diag.item = None;
        if let Some(item) = parse::parse_block(block, &ctx, &mut diag) {
            items.push(item);
        }
    }
    diag.item = None;
    if items.is_empty() {
        // Say why when the cause is known: text the fonts did not let us read.
        let unreadable = diag
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::PageUnreadable)
            .count();
        let low_dpi = diag
            .warnings
            .iter()
            .find(|w| w.code == WarningCode::LowResolution);
        let why = if let Some(w) = low_dpi {
            // "page 1: scanned at 100 dpi; …" → why OCR read nothing useful.
            let dpi = w.message.split("; ").next().unwrap_or("");
            format!("; {dpi}, too coarse for OCR (scan at 300 dpi)")
        } else if unreadable > 0 {
            format!("; {unreadable} pages hold text whose fonts have no usable Unicode mapping")
        } else {
            String::new()
        };
        return Err(Error::new(
            ErrorKind::NoItems,
            format!("no report items found (no 項目番号 in the input){why}"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for it in &items {
        if !seen.insert(it.item_key.clone()) {
            diag.warn(
                WarningCode::DuplicateItem,
                Some(&it.item_number),
                None,
                format!("項目番号 {} appears more than once", it.item_number),
            );
        }
    }
    Ok(Document {
        schema_version: SCHEMA_VERSION.into(),
        profile: Some(crate::model::ProfileRef {
            id: "tsukubamirai-action-plan".into(),
            origin: "builtin".into(),
        }),
        source,
        report,
        items,
        warnings: diag.warnings,
        corrections: diag.corrections,
    })
}
