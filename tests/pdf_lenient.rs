//! Lenient reading: damaged and unusual PDFs read the way poppler reads them, a page that
//! cannot be read is skipped with a `page_unreadable` warning naming it, and a PDF without
//! usable text gets the answer that says why (exit codes 6, 7, 9, 10, 11).
//!
//! The hand-made cases are written by `fixtures/pdf/gen/make_cases.py`. The public
//! reproducers (pdf.js, pdfminer.six, PyMuPDF test files; see docs/pdf-backend.md for their
//! sources) are not committed: `public_reproducers` reads them from `$JISSEKI_PUBLIC_PDFS`
//! (default `fixtures/pdf/public/`) where present.

use jisseki::error::ErrorKind;
use jisseki::pdf::{read, rows, Limits, PdfContent};

fn bytes_of(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/pdf/cases/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn load(name: &str) -> PdfContent {
    read(&bytes_of(name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn page_texts(doc: &PdfContent) -> Vec<String> {
    doc.pages
        .iter()
        .map(|p| p.glyphs.iter().map(|g| g.text.as_str()).collect())
        .collect()
}

fn clean(name: &str) -> Vec<String> {
    let doc = load(name);
    for p in &doc.pages {
        assert!(p.problems.is_empty(), "{name}: {:?}", p.problems);
        assert_eq!(p.unmapped_glyphs, 0, "{name} page {}", p.number);
    }
    page_texts(&doc)
}

#[test]
fn bad_stream_length_is_recovered_by_scanning_to_endstream() {
    // /Length -1, 2^64, a reference to a missing object, and a correct one.
    assert_eq!(
        clean("bad_length.pdf"),
        ["Page one", "Page two", "Page three", "Page four"]
    );
}

#[test]
fn indirect_filter_is_resolved() {
    assert_eq!(
        clean("indirect_filter.pdf"),
        ["Indirect filter", "Indirect array"]
    );
}

#[test]
fn operator_inside_tj_array_is_skipped_not_the_page() {
    assert_eq!(
        clean("operator_in_tj.pdf"),
        ["GrandesClienteles,MarchesAfter"]
    );
}

#[test]
fn root_that_is_a_single_page() {
    assert_eq!(clean("single_page_root.pdf"), ["Lonely page"]);
}

#[test]
fn annotation_appearances_are_read_unless_hidden() {
    assert_eq!(clean("annotation_appearance.pdf"), ["Filled in"]);
}

#[test]
fn type3_named_encoding_and_tex_glyph_names() {
    assert_eq!(clean("type3_names.pdf"), ["WinTeX"]);
}

#[test]
fn tounicode_with_usecmap_of_a_predefined_cmap() {
    // CIDs 843 and 1125 through Adobe-Japan1-UCS2, CID 34 overridden by the CMap itself.
    assert_eq!(clean("usecmap_japan1.pdf"), ["あ亜Z"]);
}

#[test]
fn embedded_truetype_without_tounicode_maps_through_its_own_cmap() {
    assert_eq!(
        clean("truetype_identity_no_tounicode.pdf"),
        ["人材の育成ABC"]
    );
    assert_eq!(clean("truetype_symbolic_no_tounicode.pdf"), ["XYZ"]);
}

#[test]
fn a_page_over_a_limit_is_skipped_and_the_rest_is_read() {
    let doc = load("bomb_page.pdf");
    assert_eq!(page_texts(&doc), ["First page", "", "Third page"]);
    let bomb = &doc.pages[1];
    assert!(bomb.skipped);
    assert!(
        bomb.problems[0].starts_with("page 2: ")
            && bomb.problems[0].contains("decompresses to more than"),
        "{:?}",
        bomb.problems
    );
    // Through the front end: a page_unreadable warning names page 2.
    let pdf = rows(&bytes_of("bomb_page.pdf")).unwrap();
    let w: Vec<_> = pdf
        .diag
        .warnings
        .iter()
        .filter(|w| w.code.as_str() == "page_unreadable")
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.starts_with("page 2: "), "{}", w[0].message);
}

#[test]
fn a_limit_exceeded_on_every_page_fails_the_document() {
    let limits = Limits {
        max_stream_bytes: 10,
        ..Limits::default()
    };
    let e = read(&bytes_of("bad_length.pdf"), &limits).unwrap_err();
    assert_eq!(e.kind, ErrorKind::PdfUnreadable);
    assert!(e.message.contains("none of the 4 pages"), "{e}");
}

#[test]
fn missing_content_stream_is_a_warning_not_a_silent_loss() {
    // Page 2's /Contents points at an object that is not in the file at all.
    let pdf = rows(&bytes_of("missing_contents.pdf")).unwrap();
    let msgs: Vec<_> = pdf.diag.warnings.iter().map(|w| &w.message).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(
        msgs[0].starts_with("page 2: ") && msgs[0].contains("missing"),
        "{msgs:?}"
    );
}

#[test]
fn codes_of_a_font_without_any_mapping_are_taken_as_unicode_where_plausible() {
    // Not embedded, Adobe-Identity, a /CIDToGIDMap stream: poppler's and pdf.js's reading.
    let doc = load("identity_codes_are_unicode.pdf");
    assert_eq!(page_texts(&doc), ["Arial 人材"]);
    assert_eq!(doc.pages[0].guessed_glyphs, 8);
    assert_eq!(doc.pages[0].unmapped_glyphs, 0);
    // The guess is a warning through the front end.
    let pdf = rows(&bytes_of("identity_codes_are_unicode.pdf")).unwrap();
    let w: Vec<_> = pdf
        .diag
        .warnings
        .iter()
        .filter(|w| w.code == jisseki::diag::WarningCode::TextGuessed)
        .collect();
    assert_eq!(w.len(), 1);
    assert!(
        w[0].message.starts_with("page 1: 8 characters"),
        "{}",
        w[0].message
    );
}

#[test]
fn glyph_ids_of_a_named_system_font_are_read_by_its_glyph_order() {
    // Not embedded, Identity-H, /CIDToGIDMap /Identity: the codes are glyph ids of the
    // system's Arial (a space is 3), read through pdf.js's standard-font glyph order (pdf.js
    // issue20453.pdf), never as Unicode.
    let doc = load("identity_codes_are_glyph_ids.pdf");
    assert_eq!(page_texts(&doc), ["Уг ло "]);
    assert_eq!(doc.pages[0].guessed_glyphs, 6);
    assert_eq!(doc.pages[0].system_font_glyphs, 6);
    let pdf = rows(&bytes_of("identity_codes_are_glyph_ids.pdf")).unwrap();
    let w: Vec<_> = pdf
        .diag
        .warnings
        .iter()
        .filter(|w| w.code == jisseki::diag::WarningCode::TextGuessed)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("page 1: 6 characters are in a system font"),
        "{w:?}"
    );
    // Arial Black orders a few glyphs differently (pdf.js issue5801.pdf: 227 is ł, not š).
    let doc = load("system_font_arial_black.pdf");
    assert_eq!(page_texts(&doc), ["Rozkład"]);
    // A family whose glyph order we do not know maps nothing.
    let (k, m) = kind_of("system_font_unknown_order.pdf");
    assert_eq!(k, ErrorKind::PdfUnmappedFonts, "{m}");
}

fn kind_of(name: &str) -> (ErrorKind, String) {
    let e = rows(&bytes_of(name)).err().expect("an error");
    (e.kind, e.message)
}

#[test]
fn distinct_answers_for_pdfs_without_usable_text() {
    let (k, m) = kind_of("vector_only.pdf");
    assert_eq!(k, ErrorKind::PdfNoText, "{m}");
    let (k, m) = kind_of("annotation_only.pdf");
    assert_eq!(k, ErrorKind::PdfNoText, "{m}");
    assert!(m.contains("annotations"), "{m}");
    // Unmapped text beside an image is not a scan.
    let (k, m) = kind_of("unmapped_with_image.pdf");
    assert_eq!(k, ErrorKind::PdfUnmappedFonts, "{m}");
    let (k, m) = kind_of("encrypted_user_password.pdf");
    assert_eq!(k, ErrorKind::PdfEncrypted, "{m}");
    let exit: Vec<i32> = [
        ErrorKind::PdfUnreadable,
        ErrorKind::NoTextLayer,
        ErrorKind::PdfEncrypted,
        ErrorKind::PdfNoText,
        ErrorKind::PdfUnmappedFonts,
    ]
    .iter()
    .map(ErrorKind::exit_code)
    .collect();
    assert_eq!(exit, [6, 7, 9, 10, 11]);
}

/// The public reproducers of the issue, where present: (file, expected exit of the PDF stage,
/// text that must be read). Exit 0 means text came out.
const PUBLIC: &[(&str, i32, &str)] = &[
    // pdf.js test/pdfs
    (
        "operator-in-TJ-array.pdf",
        0,
        "GrandesClientèles,FinancementsetMarchés",
    ),
    ("javauninstall-7r.pdf", 0, "コントロールパネル"),
    ("issue5010.pdf", 0, ""),
    ("pr6531_2.pdf", 0, "Bluebeam should be encrypting this."),
    ("auth-event-ef-open.pdf", 0, "Example"),
    ("issue21436.pdf", 10, ""),
    ("issue11915.pdf", 0, "Courier New"),
    ("issue20453.pdf", 11, ""),
    // pdfminer.six samples/contrib
    ("issue-1062-filters.pdf", 0, "Lenze B.V."),
    ("issue-625-identity-cmap.pdf", 0, "Faktura"),
    ("issue_566_test_2.pdf", 0, "甲方"),
    ("2b.pdf", 0, "Booked"),
    // pdfminer.six samples/encryption (user password "foo" / "usersecret")
    ("aes-128.pdf", 9, ""),
    ("aes-128-m.pdf", 9, ""),
    ("aes-256.pdf", 9, ""),
    ("aes-256-m.pdf", 9, ""),
    ("aes-256-r6.pdf", 9, ""),
    ("rc4-40.pdf", 9, ""),
    ("rc4-128.pdf", 9, ""),
    ("base.pdf", 0, "Secret!"),
    ("encrypted_doc_no_id.pdf", 7, ""),
    // PyMuPDF tests/resources
    ("test_3186.pdf", 0, "Assicurazione"),
];

#[test]
fn public_reproducers() {
    let dir = std::env::var("JISSEKI_PUBLIC_PDFS")
        .unwrap_or_else(|_| format!("{}/fixtures/pdf/public", env!("CARGO_MANIFEST_DIR")));
    let mut seen = 0;
    for &(name, exit, must) in PUBLIC {
        let Ok(bytes) = std::fs::read(format!("{dir}/{name}")) else {
            continue;
        };
        seen += 1;
        match rows(&bytes) {
            Ok(pdf) => {
                assert_eq!(exit, 0, "{name}: read, expected exit {exit}");
                let text: String = pdf
                    .rows
                    .iter()
                    .flat_map(|r| r.cells.iter().map(|c| c.text.as_str()))
                    .collect::<String>()
                    .split_whitespace()
                    .collect();
                let must: String = must.split_whitespace().collect();
                assert!(text.contains(&must), "{name}: {text}");
            }
            Err(e) => assert_eq!(e.exit_code(), exit, "{name}: {e}"),
        }
    }
    eprintln!(
        "public reproducers: {seen} of {} present in {dir}",
        PUBLIC.len()
    );
}

/// Thousands of broken streams without `endstream`: each recovery would scan to the end of
/// the file; the scan budget keeps the whole read linear, and every part is warned about.
#[test]
fn many_unterminated_streams_do_not_make_recovery_quadratic() {
    let n = 3000;
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + i)).collect();
    let objs = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /Contents [{}] >>",
            kids.join(" ")
        ),
    ];
    for (i, body) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    for i in 0..n {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n<< /Length -1 >>\nstream\n", 4 + i).bytes());
        out.extend(std::iter::repeat_n(b'x', 200));
        out.push(b'\n');
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).bytes());
    for off in &offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .bytes(),
    );
    let doc = read(&out, &Limits::default()).expect("reads");
    assert_eq!(doc.pages.len(), 1);
    // One warning for the page, not one per stream.
    assert_eq!(
        doc.pages[0].problems.len(),
        1,
        "{:?}",
        doc.pages[0].problems
    );
}
