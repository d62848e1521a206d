//! The PDF glyph stage on hand-made encoding cases (fixtures/pdf/cases, made by
//! fixtures/pdf/gen/) and on the five real producers of the 2024 report.

use jisseki::error::ErrorKind;
use jisseki::pdf::{read, Limits, PageContent, PdfContent};
use unicode_normalization::UnicodeNormalization;

fn bytes_of(path: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/fixtures/pdf/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn load(path: &str) -> PdfContent {
    read(&bytes_of(path), &Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn text(page: &PageContent) -> String {
    page.glyphs.iter().map(|g| g.text.as_str()).collect()
}

fn case(name: &str) -> (String, PageContent) {
    let doc = load(&format!("cases/{name}"));
    assert_eq!(doc.pages.len(), 1, "{name}");
    let page = doc.pages.into_iter().next().unwrap();
    (text(&page), page)
}

fn assert_case(name: &str, expected: &str) {
    let (got, page) = case(name);
    assert_eq!(got, expected, "{name}");
    assert_eq!(page.unmapped_glyphs, 0, "{name}");
}

#[test]
fn identity_h_with_tounicode() {
    assert_case("identity_h_tounicode.pdf", "人材の育成ABC");
}

#[test]
fn unijis_ucs2_h() {
    assert_case("unijis_ucs2_h.pdf", "人材の育成ABC");
}

#[test]
fn unijis_utf16_h_with_surrogates() {
    assert_case("unijis_utf16_h.pdf", "\u{20BB7}野家人材の育成");
}

#[test]
fn rksj_90ms_h() {
    // The single-byte space is CID 231, which Adobe-Japan1-UCS2 maps to U+2002 (NFKC: space).
    assert_case("rksj_90ms_h.pdf", "人材の育成\u{2002}1-①ｱｲ");
}

#[test]
fn rksj_90msp_h() {
    assert_case("rksj_90msp_h.pdf", "人材の育成ABC");
}

#[test]
fn euc_h() {
    assert_case("euc_h.pdf", "人材の育成ABC");
}

#[test]
fn jis_h() {
    assert_case("jis_h.pdf", "人材の育成");
}

#[test]
fn identity_h_adobe_japan1_without_tounicode() {
    assert_case("identity_h_japan1.pdf", "ABC123あ亜辻");
}

#[test]
fn vertical_fonts_advance_downward_in_reading_order() {
    for name in ["unijis_ucs2_v.pdf", "rksj_90ms_v.pdf"] {
        let (got, page) = case(name);
        assert_eq!(got, "縦書き", "{name}");
        assert!(page.glyphs.iter().all(|g| g.vertical), "{name}");
        let ys: Vec<f32> = page.glyphs.iter().map(|g| g.bbox.y1).collect();
        assert!(ys.windows(2).all(|w| w[1] < w[0]), "{name}: {ys:?}");
        let xs: Vec<f32> = page.glyphs.iter().map(|g| g.bbox.x0).collect();
        assert!(
            xs.windows(2).all(|w| (w[1] - w[0]).abs() < 0.01),
            "{name}: {xs:?}"
        );
        // The first glyph hangs below the text origin (300, 700).
        assert!((page.glyphs[0].bbox.y1 - 700.0).abs() < 0.01, "{name}");
    }
}

#[test]
fn winansi() {
    assert_case("winansi.pdf", "Café – 100€ “q”");
}

#[test]
fn macroman() {
    assert_case("macroman.pdf", "Café – Ü");
}

#[test]
fn differences_glyph_names() {
    let (got, page) = case("differences.pdf");
    // /g123 has no Unicode meaning: counted, not guessed.
    assert_eq!(got, "Hello人–😀A!");
    assert_eq!(page.unmapped_glyphs, 1);
}

#[test]
fn symbol_font() {
    assert_case("symbol.pdf", "αβγ ≥∞");
}

#[test]
fn type3_font_matrix_widths_and_actual_text() {
    let (got, page) = case("type3.pdf");
    // F1: /Differences names; F2: ToUnicode gives the Kangxi radical ⾏, /ActualText the
    // ideograph 行 (first glyph); the second glyph has no ActualText and keeps its ToUnicode.
    assert_eq!(got, "ABAB行⾏");
    let g = &page.glyphs;
    // FontMatrix 0.01: width 50 = half an em of the 10 pt font.
    assert!((g[1].bbox.x0 - g[0].bbox.x0 - 5.0).abs() < 0.01);
    assert!((g[2].bbox.x0 - g[1].bbox.x0 - 10.0).abs() < 0.01);
    assert!((g[0].size - 10.0).abs() < 0.01);
    // Flipped FontMatrix and text matrix: still upright, baseline at 700.
    assert!((g[4].size - 12.0).abs() < 0.01);
    assert!(g[4].bbox.y0 < 700.0 && g[4].bbox.y1 > 700.0);
}

#[test]
fn a_font_name_means_the_font_of_the_resources_in_force() {
    // /F1 is one font on the page and another in the form's own resources (code 65: A, Z);
    // the page selects its /F1 again after the form.
    let (got, _) = case("font_names_per_resources.pdf");
    assert_eq!(got, "AZA");
}

#[test]
fn operators_forms_images_rules() {
    let (got, page) = case("misc_ops.pdf");
    // TJ, T*, ', ", invisible text (Tr 3), overstruck "Bold" once, then the form's text.
    assert_eq!(got, "ABCLine2Line3Line4HiddenBoldForm");
    let g = &page.glyphs;
    // No /Widths: the 500 default. TJ 120 after A moves B 1.2 pt left, -50 moves C 0.5 right.
    assert!(
        (g[1].bbox.x0 - (72.0 + 5.0 - 1.2)).abs() < 0.01,
        "{:?}",
        g[1].bbox
    );
    assert!(
        (g[2].bbox.x0 - (g[1].bbox.x0 + 5.0 + 0.5)).abs() < 0.01,
        "{:?}",
        g[2].bbox
    );
    // The form's /Matrix translates by 100.
    let f = g.iter().find(|g| g.text == "F").unwrap();
    assert!(
        (f.bbox.x0 - 100.0).abs() < 0.01 && (f.bbox.y0 - 498.0).abs() < 0.01,
        "{:?}",
        f.bbox
    );
    assert_eq!(page.images, 2);
    // Two stroked lines, one thin filled rectangle, four edges of a stroked rectangle.
    assert_eq!(page.rules.len(), 7, "{:?}", page.rules);
    assert_eq!(page.fills.len(), 1);
    assert!(page
        .rules
        .iter()
        .any(|r| r.y0 == 600.0 && r.y1 == 600.0 && r.x0 == 50.0 && r.x1 == 550.0));
    assert!(page
        .rules
        .iter()
        .any(|r| (r.y0 - 500.4).abs() < 0.01 && r.x0 == 60.0 && r.x1 == 260.0));
}

#[test]
fn producer_utf16() {
    assert_eq!(
        load("cases/misc_ops.pdf").producer.as_deref(),
        Some("jisseki")
    );
}

#[test]
fn encrypted_with_empty_user_password_opens() {
    assert_case("encrypted_empty_password.pdf", "人材の育成ABC");
}

#[test]
fn unreadable_inputs_are_errors_not_panics() {
    for name in [
        "encrypted_user_password.pdf",
        "truncated.pdf",
        "random.bin",
        "random_header.pdf",
    ] {
        let err = read(&bytes_of(&format!("cases/{name}")), &Limits::default()).unwrap_err();
        if name.starts_with("encrypted") {
            assert_eq!(err.kind, ErrorKind::PdfEncrypted, "{name}: {err}");
            assert!(err.message.contains("password is required"), "{err}");
        } else {
            assert_eq!(err.kind, ErrorKind::PdfUnreadable, "{name}: {err}");
        }
    }
    assert_eq!(
        read(b"", &Limits::default()).unwrap_err().kind,
        ErrorKind::PdfUnreadable
    );
}

#[test]
fn prefixes_of_a_small_pdf_read_or_fail_cleanly() {
    let bytes = bytes_of("cases/misc_ops.pdf");
    for n in (0..bytes.len()).step_by(37) {
        let _ = read(&bytes[..n], &Limits::default());
    }
}

#[test]
fn limits_give_errors() {
    let bytes = bytes_of("seed_typst.pdf");
    let limits = Limits {
        max_glyphs_per_page: 100,
        ..Limits::default()
    };
    let err = read(&bytes, &limits).unwrap_err();
    assert_eq!(err.kind, ErrorKind::PdfUnreadable);
    assert!(err.message.contains("glyphs"), "{err}");
    let limits = Limits {
        max_operators: 1000,
        ..Limits::default()
    };
    assert!(read(&bytes, &limits)
        .unwrap_err()
        .message
        .contains("operators"));
    // Over the page limit: the first pages are read, the rest is said.
    let limits = Limits {
        max_pages: 5,
        ..Limits::default()
    };
    let doc = read(&bytes, &limits).unwrap();
    assert_eq!(doc.pages.len(), 5);
    assert!(
        doc.problems[0].contains("more than 5 pages"),
        "{:?}",
        doc.problems
    );
}

const PRODUCERS: [&str; 5] = [
    "seed_chromium.pdf",
    "seed_libreoffice.pdf",
    "seed_typst.pdf",
    "seed_reportlab_ucs2.pdf",
    "seed_reportlab_rksj.pdf",
];

#[test]
fn real_producers_page_one() {
    let typst = load("seed_typst.pdf");
    let typst_text: String = text(&typst.pages[0]).nfkc().collect();
    for name in PRODUCERS {
        let doc = load(name);
        assert_eq!(doc.pages.len(), 23, "{name}");
        let page = &doc.pages[0];
        assert_eq!(page.unmapped_glyphs, 0, "{name}");
        assert!(
            (page.width - 595.0).abs() < 1.0 && (page.height - 842.0).abs() < 1.0,
            "{name}"
        );
        assert!(page.rules.len() > 20, "{name}: {} rules", page.rules.len());
        let t: String = text(page).nfkc().collect();
        for needle in ["人材の育成", "項目番号", "1-①", "総務課"] {
            let needle: String = needle.nfkc().collect();
            assert!(t.contains(&needle), "{name}: no {needle}");
        }
        // Overstruck bold (ReportLab) must not double the text.
        for needle in ["項目番号", "人材の育成", "主管課"] {
            assert_eq!(
                t.matches(needle).count(),
                typst_text.matches(needle).count(),
                "{name}: {needle}"
            );
        }
    }
}

#[test]
fn real_producers_give_the_same_characters() {
    // Same report, same characters on every page (as multisets, after NFKC). The only
    // differences are known source quirks: RKSJ prints – and — as ― and ～ as 〜 (Shift_JIS 8160), Chromium ' for ’, white space differs.
    let norm = |doc: &PdfContent, i: usize| {
        let mut v: Vec<char> = text(&doc.pages[i])
            .nfkc()
            .map(|c| if c == '〜' { '~' } else { c })
            .filter(|c| !c.is_whitespace() && !matches!(c, '–' | '—' | '―' | '\'' | '’'))
            .collect();
        v.sort_unstable();
        v
    };
    let typst = load("seed_typst.pdf");
    for name in PRODUCERS {
        let doc = load(name);
        for i in 0..23 {
            let (got, want) = (norm(&doc, i), norm(&typst, i));
            if got != want {
                let extra: String = got.iter().filter(|c| !want.contains(c)).collect();
                let missing: String = want.iter().filter(|c| !got.contains(c)).collect();
                panic!(
                    "{name} page {}: extra {extra:?}, missing {missing:?}",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn scan_has_images_and_no_glyphs() {
    let doc = load("seed_scanned.pdf");
    assert!(!doc.pages.is_empty());
    for p in &doc.pages {
        assert_eq!(p.glyphs.len(), 0);
        assert!(p.images > 0);
    }
}

#[test]
fn fake_bold_copies_are_dropped_and_the_text_after_them_is_placed_right() {
    // "Bold" shown at x 72, then again at 72.25 followed by " after"; "Twice" at 72 and at
    // 77 (no copy: 5 pt apart). Every glyph is 500 units wide at 12 pt: 6 pt. The copy is
    // dropped as an overstrike (content::remove_overstrike) after it moved the text position.
    let (got, page) = case("fake_bold.pdf");
    assert_eq!(got, "Bold afterTwiceTwice");
    let x0 = |i: usize| page.glyphs[i].bbox.x0;
    // The kept "Bold" is the first; " after" starts where the copy ends: 72.25 + 4 × 6.
    assert!((x0(0) - 72.0).abs() < 1e-3, "{}", x0(0));
    assert!((x0(4) - 96.25).abs() < 1e-3, "{}", x0(4));
    assert!((x0(5) - 102.25).abs() < 1e-3, "{}", x0(5));
    assert!((x0(15) - 77.0).abs() < 1e-3, "{}", x0(15));
}
