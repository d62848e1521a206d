//! Every text-bearing fixture PDF (the same report from five producers) against the gold:
//! every field, plus `pages` (one item per page) and `source`.

mod common;

use common::*;

fn check_producer(name: &str) {
    let path = fixture(&format!("pdf/{name}.pdf"));
    let bytes = std::fs::read(&path).unwrap();
    let doc = jisseki::extract(&bytes, name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let v = serde_json::to_value(&doc).unwrap();
    let diffs = compare_with_gold(&gold(), &v);
    assert!(
        diffs.is_empty(),
        "{name}: {} mismatches:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert_schema_valid(&v);
    assert_eq!(doc.source.format, "pdf");
    assert_eq!(doc.source.pages, Some(23));
    assert_eq!(doc.source.encoding, None);
    // typst writes /Creator but no /Producer: then producer is null, not a guess.
    assert_eq!(
        doc.source.producer.is_some(),
        name != "seed_typst",
        "{:?}",
        doc.source.producer
    );
    for (i, item) in doc.items.iter().enumerate() {
        let p = i as u32 + 1;
        let pages = item
            .pages
            .unwrap_or_else(|| panic!("{name}: {} has no pages", item.item_number));
        assert_eq!(
            (pages.start, pages.end),
            (p, p),
            "{name}: {}",
            item.item_number
        );
    }
    // No replacement characters or radicals leak into the output.
    let json = serde_json::to_string(&doc.items).unwrap();
    assert!(!json.contains('\u{FFFD}'), "{name}: U+FFFD in output");
    assert!(
        !json.chars().any(|c| ('\u{2E80}'..='\u{2FDF}').contains(&c)),
        "{name}: radical in output"
    );
    // The 5-② grid rows are empty in every rendering.
    let missing = doc
        .warnings
        .iter()
        .filter(|w| w.code.as_str() == "schedule_missing")
        .count();
    assert_eq!(missing, 3, "{name}: {:#?}", doc.warnings);
}

#[test]
fn chromium_matches_gold() {
    check_producer("seed_chromium");
}

#[test]
fn libreoffice_matches_gold() {
    check_producer("seed_libreoffice");
}

#[test]
fn typst_matches_gold() {
    check_producer("seed_typst");
}

#[test]
fn reportlab_ucs2_matches_gold() {
    check_producer("seed_reportlab_ucs2");
}

#[test]
fn reportlab_rksj_matches_gold() {
    check_producer("seed_reportlab_rksj");
}

fn error_of(rel: &str) -> jisseki::error::Error {
    let bytes = std::fs::read(fixture(rel)).unwrap();
    jisseki::extract(&bytes, rel).expect_err("should fail")
}

#[test]
fn broken_pdfs_give_clear_errors() {
    use jisseki::error::ErrorKind;
    let e = error_of("pdf/cases/encrypted_user_password.pdf");
    assert_eq!(e.kind, ErrorKind::PdfEncrypted);
    assert!(e.message.contains("password is required"), "{e}");
    for rel in ["pdf/cases/truncated.pdf", "pdf/cases/random_header.pdf"] {
        let e = error_of(rel);
        assert_eq!(e.kind, ErrorKind::PdfUnreadable, "{rel}: {e}");
        assert!(!e.message.contains('\n'));
    }
    // Random bytes without a PDF header are not text either.
    let e = error_of("pdf/cases/random.bin");
    assert_eq!(e.kind, ErrorKind::NotText, "{e}");
}

/// A real report cut short: whatever happens, a clear error or a partial result, never a panic.
#[test]
fn truncated_real_reports_never_panic() {
    for name in ["seed_typst", "seed_chromium", "seed_reportlab_rksj"] {
        let bytes = std::fs::read(fixture(&format!("pdf/{name}.pdf"))).unwrap();
        for frac in [10, 50, 90, 99] {
            let cut = &bytes[..bytes.len() * frac / 100];
            if let Err(e) = jisseki::extract(cut, name) {
                assert_ne!(
                    e.kind,
                    jisseki::error::ErrorKind::Internal,
                    "{name} {frac}%: {e}"
                );
            }
        }
    }
}

/// A page whose font maps nothing: its glyphs are left out (never U+FFFD or garbage) and a
/// `page_unreadable` warning names the page; the other pages still give their items.
#[test]
fn unmapped_font_gives_page_unreadable_warning() {
    let bytes = std::fs::read(fixture("pdf/seed_typst.pdf")).unwrap();
    let mut content = jisseki::pdf::read(&bytes, &jisseki::pdf::Limits::default()).unwrap();
    // As the glyph stage reports a font without a usable mapping: glyphs counted, not kept.
    let page = &mut content.pages[4];
    page.unmapped_glyphs = page.glyphs.len() as u32;
    page.glyphs.clear();
    let pdf =
        jisseki::pdf::rows_from_content_with(content, &jisseki::pipeline::hints(None)).unwrap();
    let source = jisseki::model::Source {
        format: "pdf".into(),
        ..Default::default()
    };
    let doc =
        jisseki::pipeline::from_rows(&pdf.rows, source, pdf.diag, &Default::default()).unwrap();
    let w: Vec<&jisseki::model::Warning> = doc
        .warnings
        .iter()
        .filter(|w| w.code.as_str() == "page_unreadable")
        .collect();
    assert_eq!(w.len(), 1, "{:#?}", doc.warnings);
    assert!(w[0].message.starts_with("page 5: "), "{}", w[0].message);
    assert_eq!(doc.items.len(), 22, "page 5 (2-①) is gone, the others stay");
    assert!(!doc.items.iter().any(|i| i.item_key == "2-1"));
}

#[test]
fn pdf_exit_codes_from_the_command_line() {
    let run = |rel: &str| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_jisseki"))
            .args(["extract", fixture(rel).to_str().unwrap()])
            // A scan without Tesseract (tests/scan.rs covers it with Tesseract).
            .env("JISSEKI_TESSERACT", "/nonexistent/libtesseract.so.5")
            .output()
            .unwrap();
        (
            o.status.code().unwrap(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    for (rel, code, msg) in [
        ("pdf/seed_scanned.pdf", 7, "no text layer"),
        (
            "pdf/seed_scanned.pdf",
            7,
            "apt-get install tesseract-ocr tesseract-ocr-jpn",
        ),
        (
            "pdf/cases/encrypted_user_password.pdf",
            9,
            "encrypted PDF: a password is required",
        ),
        ("pdf/cases/vector_only.pdf", 10, "no text at all"),
        ("pdf/cases/annotation_only.pdf", 10, "only annotations"),
        (
            "pdf/cases/unmapped_with_image.pdf",
            11,
            "no usable Unicode mapping",
        ),
        ("pdf/cases/truncated.pdf", 6, "damaged beyond repair"),
        ("pdf/cases/random_header.pdf", 6, "damaged beyond repair"),
        ("pdf/cases/random.bin", 4, "binary"),
    ] {
        let (c, err) = run(rel);
        assert_eq!(c, code, "{rel}: {err}");
        assert!(
            err.contains(msg) && err.lines().count() == 1,
            "{rel}: {err}"
        );
    }
}
