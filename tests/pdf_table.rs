//! Table stage (glyphs + rules → rows) on synthetic pages, and a development harness that
//! replays pages dumped from the PDF fixtures by pdfplumber.

use jisseki::pdf::table::page_rows;
use jisseki::pdf::{Glyph, PageContent, Rule};
use jisseki::rows::{BBox, Row};
use unicode_normalization::UnicodeNormalization;

fn texts(row: &Row) -> Vec<&str> {
    row.cells.iter().map(|c| c.text.as_str()).collect()
}

/// Glyphs of `s` set left to right from `x` on baseline `y`: full width for CJK, half for ASCII,
/// and an ASCII space advances without a glyph (as most producers do).
fn text_at(s: &str, x: f32, y: f32, size: f32) -> Vec<Glyph> {
    let mut out = Vec::new();
    let mut pen = x;
    for c in s.chars() {
        let w = if c.is_ascii() { size * 0.5 } else { size };
        if c != ' ' {
            out.push(Glyph {
                text: c.to_string().into(),
                bbox: BBox {
                    x0: pen,
                    y0: y - 0.12 * size,
                    x1: pen + w,
                    y1: y + 0.88 * size,
                },
                size,
                vertical: false,
            });
        }
        pen += w;
    }
    out
}

fn hline(y: f32, x0: f32, x1: f32) -> Rule {
    Rule {
        x0,
        y0: y,
        x1,
        y1: y,
    }
}

fn vline(x: f32, y0: f32, y1: f32) -> Rule {
    Rule {
        x0: x,
        y0,
        x1: x,
        y1,
    }
}

fn page(glyphs: Vec<Glyph>, rules: Vec<Rule>) -> PageContent {
    PageContent {
        number: 1,
        width: 595.0,
        height: 842.0,
        glyphs,
        rules,
        ..Default::default()
    }
}

/// A 3 × 3 grid, columns at x = 100, 200, 300, 400 and rows at y = 700, 680, 660, 640.
/// The top row's right two cells are merged; the middle cell of the middle row is empty.
fn three_by_three() -> PageContent {
    let mut rules = vec![
        hline(700.0, 100.0, 400.0),
        hline(680.0, 100.0, 400.0),
        hline(660.0, 100.0, 400.0),
        hline(640.0, 100.0, 400.0),
        vline(100.0, 640.0, 700.0),
        vline(200.0, 640.0, 680.0), // not through the top row: merged cell
        vline(300.0, 640.0, 700.0),
        vline(400.0, 640.0, 700.0),
    ];
    // The merged cell is [200, 400] in the top row: the rule at 300 must not cut it.
    rules[6] = vline(300.0, 640.0, 680.0);
    rules.push(vline(200.0, 680.0, 700.0));
    let mut glyphs = Vec::new();
    glyphs.extend(text_at("項目", 105.0, 685.0, 10.0));
    glyphs.extend(text_at("結合セル", 205.0, 685.0, 10.0));
    glyphs.extend(text_at("行二", 105.0, 665.0, 10.0));
    glyphs.extend(text_at("値", 305.0, 665.0, 10.0));
    glyphs.extend(text_at("行三", 105.0, 645.0, 10.0));
    glyphs.extend(text_at("a b", 205.0, 645.0, 10.0));
    glyphs.extend(text_at("c", 305.0, 645.0, 10.0));
    page(glyphs, rules)
}

#[test]
fn ruled_grid_with_merged_and_empty_cells() {
    let rows = page_rows(&three_by_three());
    let got: Vec<Vec<&str>> = rows.iter().map(texts).collect();
    assert_eq!(
        got,
        vec![
            vec!["項目", "結合セル"],
            vec!["行二", "", "値"],
            vec!["行三", "a b", "c"]
        ]
    );
    assert!(rows.iter().all(|r| r.page == Some(1)));
    let merged = rows[0].cells[1].bbox.unwrap();
    assert_eq!((merged.x0, merged.x1), (200.0, 400.0));
}

#[test]
fn shading_does_not_break_the_grid() {
    let mut p = three_by_three();
    // Label shading as fills, plus a shading box that a producer drew as a filled rectangle
    // the glyph stage kept among the rules, and per-cell border pieces offset by 0.4 pt.
    p.fills = vec![BBox {
        x0: 100.0,
        y0: 640.0,
        x1: 200.0,
        y1: 700.0,
    }];
    p.rules.push(Rule {
        x0: 100.4,
        y0: 640.4,
        x1: 199.6,
        y1: 699.6,
    });
    p.rules.push(hline(660.4, 100.0, 250.0));
    p.rules.push(hline(659.8, 250.5, 400.0));
    let got: Vec<Vec<String>> = page_rows(&p)
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
        .collect();
    assert_eq!(
        got,
        vec![
            vec!["項目", "結合セル"],
            vec!["行二", "", "値"],
            vec!["行三", "a b", "c"]
        ]
    );
}

#[test]
fn shuffled_glyphs_come_out_in_reading_order() {
    let mut p = three_by_three();
    // A fixed pseudo-random permutation (LibreOffice writes cells column by column, typst
    // glyph by glyph): Fisher-Yates driven by a small LCG.
    let mut order: Vec<usize> = (0..p.glyphs.len()).collect();
    let mut state: u64 = 0x2545_f491;
    for i in (1..order.len()).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        order.swap(i, (state >> 33) as usize % (i + 1));
    }
    p.glyphs = order.iter().map(|&i| p.glyphs[i].clone()).collect();
    assert_eq!(page_rows(&p), page_rows(&three_by_three()));
}

#[test]
fn wrapped_lines_are_joined() {
    // One cell [100, 300] with three lines: CJK wrapped at the right edge, then a short line
    // ending a paragraph, then Latin words wrapped onto two lines.
    let rules = vec![
        hline(700.0, 100.0, 300.0),
        hline(600.0, 100.0, 300.0),
        vline(100.0, 600.0, 700.0),
        vline(300.0, 600.0, 700.0),
    ];
    let mut glyphs = Vec::new();
    glyphs.extend(text_at(
        "一二三四五六七八九十一二三四五六七八九",
        102.0,
        685.0,
        10.0,
    ));
    glyphs.extend(text_at("十で終わり。", 102.0, 673.0, 10.0));
    glyphs.extend(text_at(
        "Latin words wrapped in a cell that is",
        102.0,
        661.0,
        10.0,
    ));
    glyphs.extend(text_at("narrow", 102.0, 649.0, 10.0));
    let rows = page_rows(&page(glyphs, rules));
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0].cells[0].text,
        "一二三四五六七八九十一二三四五六七八九十で終わり。\nLatin words wrapped in a cell that is narrow"
    );
}

#[test]
fn rowspan_text_once_then_placeholder() {
    // Label cell spanning two rows, two value rows on the right.
    let rules = vec![
        hline(700.0, 100.0, 300.0),
        hline(680.0, 200.0, 300.0),
        hline(660.0, 100.0, 300.0),
        vline(100.0, 660.0, 700.0),
        vline(200.0, 660.0, 700.0),
        vline(300.0, 660.0, 700.0),
    ];
    let mut glyphs = text_at("総括評価", 105.0, 677.0, 10.0);
    glyphs.extend(text_at("見出し", 205.0, 685.0, 10.0));
    glyphs.extend(text_at("本文", 205.0, 665.0, 10.0));
    let rows = page_rows(&page(glyphs, rules));
    let got: Vec<Vec<&str>> = rows.iter().map(texts).collect();
    assert_eq!(got, vec![vec!["総括評価", "見出し"], vec!["", "本文"]]);
}

#[test]
fn schedule_row_keeps_empty_year_cells() {
    // 取組内容 | text | 2024 .. 2028, 実施 in 2026.
    let xs = [40.0, 120.0, 350.0, 390.0, 430.0, 470.0, 510.0, 550.0];
    let mut rules: Vec<Rule> = xs.iter().map(|&x| vline(x, 600.0, 620.0)).collect();
    rules.push(hline(600.0, 40.0, 550.0));
    rules.push(hline(620.0, 40.0, 550.0));
    let mut glyphs = text_at("取組内容 2", 45.0, 606.0, 8.0);
    glyphs.extend(text_at("職員研修を拡充する。", 125.0, 606.0, 8.0));
    glyphs.extend(text_at("実施", 440.0, 606.0, 8.0));
    let rows = page_rows(&page(glyphs, rules));
    assert_eq!(
        texts(&rows[0]),
        vec!["取組内容 2", "職員研修を拡充する。", "", "", "実施", "", ""]
    );
}

#[test]
fn vertical_writing_reads_columns_right_to_left() {
    let rules = vec![
        hline(700.0, 100.0, 140.0),
        hline(600.0, 100.0, 140.0),
        vline(100.0, 600.0, 700.0),
        vline(140.0, 600.0, 700.0),
    ];
    // Two columns of a vertical (-V) font: 縦書き on the right, 表記 on the left.
    let mut glyphs = Vec::new();
    for (col_x, text) in [(125.0, "縦書き"), (110.0, "表記")] {
        for (i, c) in text.chars().enumerate() {
            let top = 695.0 - i as f32 * 10.0;
            glyphs.push(Glyph {
                text: c.to_string().into(),
                bbox: BBox {
                    x0: col_x,
                    y0: top - 10.0,
                    x1: col_x + 10.0,
                    y1: top,
                },
                size: 10.0,
                vertical: true,
            });
        }
    }
    glyphs.reverse();
    let rows = page_rows(&page(glyphs, rules));
    assert_eq!(texts(&rows[0]), vec!["縦書き\n表記"]);
}

#[test]
fn no_rules_falls_back_to_alignment() {
    let mut glyphs = Vec::new();
    // Out of order on purpose: the footer first, then the second line, then the header.
    glyphs.extend(text_at("- 3 -", 290.0, 30.0, 9.0));
    glyphs.extend(text_at("主管課", 300.0, 760.0, 9.0));
    glyphs.extend(text_at("〈アクション項目の概要〉", 42.0, 760.0, 9.0));
    glyphs.extend(text_at(
        "つくばみらい市行政改革プラン (2024 - 2028)",
        42.0,
        800.0,
        9.0,
    ));
    // The caption is one because the built-in profiles say so (layout hints), as in a run.
    let hints = jisseki::pipeline::hints(None);
    let rows = jisseki::pdf::table::page_rows_cut(&page(glyphs, Vec::new()), &hints).rows;
    let got: Vec<Vec<&str>> = rows.iter().map(texts).collect();
    assert_eq!(
        got,
        vec![
            vec!["つくばみらい市行政改革プラン (2024 - 2028)"],
            vec!["〈アクション項目の概要〉", "主管課"],
            vec!["- 3 -"],
        ]
    );
}

#[test]
fn text_outside_the_table_is_interleaved_by_height() {
    let mut p = three_by_three();
    p.glyphs.extend(text_at("〈見出し〉", 100.0, 720.0, 10.0));
    p.glyphs.extend(text_at("- 1 -", 250.0, 600.0, 10.0));
    let got: Vec<Vec<String>> = page_rows(&p)
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
        .collect();
    assert_eq!(got.first().unwrap(), &vec!["〈見出し〉".to_string()]);
    assert_eq!(got.last().unwrap(), &vec!["- 1 -".to_string()]);
    assert_eq!(got.len(), 5);
}

#[test]
fn hostile_input_does_not_panic() {
    let nan = f32::NAN;
    let mut glyphs = text_at("正常", 10.0, 10.0, 10.0);
    glyphs.push(Glyph {
        text: "x".into(),
        bbox: BBox {
            x0: nan,
            y0: 0.0,
            x1: 1.0,
            y1: 1.0,
        },
        size: nan,
        vertical: false,
    });
    glyphs.push(Glyph {
        text: "y".into(),
        bbox: BBox {
            x0: 5.0,
            y0: 5.0,
            x1: 5.0,
            y1: 5.0,
        },
        size: 0.0,
        vertical: true,
    });
    glyphs.push(Glyph {
        text: String::new().into(),
        bbox: BBox::default(),
        size: 1.0,
        vertical: false,
    });
    let rules = vec![
        Rule {
            x0: nan,
            y0: 0.0,
            x1: 1.0,
            y1: 0.0,
        },
        Rule {
            x0: f32::INFINITY,
            y0: 0.0,
            x1: 0.0,
            y1: 0.0,
        },
        hline(0.0, 0.0, 0.0),
        vline(0.0, 0.0, 0.0),
        hline(1.0, 0.0, 1e30),
        vline(1e-30, -1e30, 1e30),
    ];
    let mut p = page(glyphs, rules);
    p.width = 0.0;
    p.height = nan;
    let rows = page_rows(&p);
    assert!(rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.text.contains("正常"))));
    assert!(page_rows(&PageContent::default()).is_empty());
}

proptest::proptest! {
    /// Any coordinates at all (NaN, infinities, huge, reversed boxes) give rows, never a panic,
    /// and no glyph text is dropped unless its box is unusable.
    #[test]
    fn arbitrary_pages_do_not_panic(
        rules in proptest::collection::vec(
            (coord(), coord(), coord(), coord()), 0..40),
        glyphs in proptest::collection::vec(
            (coord(), coord(), 0.0f32..30.0, 0.0f32..30.0, proptest::bool::ANY), 0..60),
    ) {
        let rules: Vec<Rule> = rules.into_iter().map(|(x0, y0, x1, y1)| Rule { x0, y0, x1, y1 }).collect();
        let glyphs: Vec<Glyph> = glyphs
            .into_iter()
            .map(|(x, y, w, h, vertical)| Glyph {
                text: "字".into(),
                bbox: BBox { x0: x, y0: y, x1: x + w, y1: y + h },
                size: h,
                vertical,
            })
            .collect();
        let usable = glyphs.iter().filter(|g| [g.bbox.x0, g.bbox.y0, g.bbox.x1, g.bbox.y1].iter().all(|v| v.is_finite())).count();
        let rows = page_rows(&page(glyphs, rules));
        let out: usize = rows.iter().flat_map(|r| &r.cells).map(|c| c.text.matches('字').count()).sum();
        proptest::prop_assert_eq!(out, usable);
    }
}

/// Mostly ordinary page coordinates on a coarse lattice (so rules meet), sometimes hostile.
fn coord() -> impl proptest::strategy::Strategy<Value = f32> {
    use proptest::prelude::*;
    prop_oneof![
        8 => (0i32..40).prop_map(|v| v as f32 * 20.0),
        1 => proptest::num::f32::ANY,
        1 => Just(f32::NAN),
    ]
}

#[test]
fn many_glyphs_and_rules_stay_fast() {
    // 60 × 40 grid, a glyph in every cell, ~5 000 glyphs of free text (speed is measured by
    // the benchmarks, not here).
    let mut rules = Vec::new();
    for i in 0..=60 {
        rules.push(vline(10.0 + i as f32 * 9.0, 100.0, 500.0));
    }
    for j in 0..=40 {
        rules.push(hline(100.0 + j as f32 * 10.0, 10.0, 550.0));
    }
    let mut glyphs = Vec::new();
    for i in 0..60 {
        for j in 0..40 {
            glyphs.extend(text_at(
                "字",
                12.0 + i as f32 * 9.0,
                102.0 + j as f32 * 10.0,
                6.0,
            ));
        }
    }
    for line in 0..100 {
        glyphs.extend(text_at(
            &"あ".repeat(50),
            10.0,
            520.0 + line as f32 * 3.0,
            2.5,
        ));
    }
    let rows = page_rows(&page(glyphs, rules));
    assert_eq!(rows.iter().filter(|r| r.cells.len() == 60).count(), 40);
}

/// What every fixture's page 1 must give (compared after NFKC, which also folds the Kangxi
/// radicals Chromium's ToUnicode produces): the item header row, and the schedule row of
/// 取組内容 2 with 実施 in the 2026 column (cells[4]) and empty 2024/2025 cells before it.
fn check_page1(name: &str, rows: &[Row]) {
    let nfkc = |s: &str| s.nfkc().collect::<String>();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.cells.iter().map(|c| nfkc(&c.text)).collect())
        .collect();
    assert!(
        cells
            .iter()
            .any(|r| r == &["実施項目", "人材の育成", "項目番号", "1-1"]),
        "{name}: no item header row in {cells:?}"
    );
    let sched = cells
        .iter()
        .find(|r| r.first().is_some_and(|c| c.starts_with("取組内容 2")) && r.len() == 7)
        .unwrap_or_else(|| panic!("{name}: no 取組内容 2 schedule row in {cells:?}"));
    assert_eq!(
        (sched[2].as_str(), sched[3].as_str(), sched[4].as_str()),
        ("", "", "実施"),
        "{name}: {sched:?}"
    );
}

#[test]
fn real_fixtures_page1_rows() {
    for name in [
        "seed_chromium",
        "seed_libreoffice",
        "seed_typst",
        "seed_reportlab_ucs2",
        "seed_reportlab_rksj",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("fixtures/pdf/{name}.pdf"));
        let content = jisseki::pdf::read(
            &std::fs::read(path).unwrap(),
            &jisseki::pdf::Limits::default(),
        )
        .unwrap();
        check_page1(name, &page_rows(&content.pages[0]));
    }
}

/// Two pages of a two-column table [100, 180, 500] cut inside a row: on page 1, under a header
/// row 「」|「見出しの行」, the row 「2024年度の」|「前半の…」 (a line filling the cell) runs to
/// the table's unruled bottom edge (y = 60); on page 2
/// its rest 「実施内容」|「後半の文章。」 sits above the first rule (y = 700) under an unruled
/// top edge, and a closed row 「次年度」|「以上。」 follows. `top_rule` and `x_mid2` vary page 2.
const FIRST_HALF: &str = "前半の文章で、一二三四五六七八九十一二三四五六七八九十一二三四";

fn cut_pages(top_rule: bool, x_mid2: f32) -> (PageContent, PageContent) {
    let mut rules = vec![hline(200.0, 100.0, 500.0), hline(180.0, 100.0, 500.0)];
    rules.extend([100.0, 180.0, 500.0].map(|x| vline(x, 60.0, 200.0)));
    let mut glyphs = text_at("2024年度の", 105.0, 70.0, 10.0);
    glyphs.extend(text_at(FIRST_HALF, 185.0, 70.0, 10.0));
    glyphs.extend(text_at("見出しの行", 185.0, 185.0, 10.0));
    glyphs.extend(text_at("- 1 -", 290.0, 20.0, 9.0));
    let p1 = page(glyphs, rules);
    let mut rules = vec![hline(700.0, 100.0, 500.0), hline(660.0, 100.0, 500.0)];
    rules.extend([100.0, x_mid2, 500.0].map(|x| vline(x, 660.0, 770.0)));
    if top_rule {
        rules.push(hline(770.0, 100.0, 500.0));
    }
    let mut glyphs = text_at(
        "つくばみらい市行政改革プラン (2024 - 2028)",
        100.0,
        800.0,
        9.0,
    );
    glyphs.extend(text_at("実施内容", 105.0, 750.0, 10.0));
    glyphs.extend(text_at("後半の文章。", 185.0, 750.0, 10.0));
    glyphs.extend(text_at("次年度", 105.0, 675.0, 10.0));
    glyphs.extend(text_at("以上。", 185.0, 675.0, 10.0));
    let mut p2 = page(glyphs, rules);
    p2.number = 2;
    (p1, p2)
}

fn document(pages: &[&PageContent]) -> Vec<Row> {
    use jisseki::pdf::table::{join_cut_rows, page_rows_cut};
    let hints = jisseki::rows::LayoutHints::default();
    join_cut_rows(pages.iter().map(|p| page_rows_cut(p, &hints)).collect())
}

/// The rows of `cut_pages` with the cut row joined; `page2_top` is page 2's first row.
fn assert_joined(rows: &[Row], page2_top: &[&str]) {
    let got: Vec<Vec<&str>> = rows.iter().map(texts).collect();
    let joined = format!("{FIRST_HALF}後半の文章。");
    assert_eq!(
        got,
        vec![
            vec!["", "見出しの行"],
            vec!["2024年度の実施内容", &joined],
            vec!["- 1 -"],
            page2_top.to_vec(),
            vec!["次年度", "以上。"],
        ]
    );
}

#[test]
fn row_cut_by_a_page_break_is_joined() {
    let (p1, p2) = cut_pages(false, 180.0);
    let rows = document(&[&p1, &p2]);
    assert_joined(&rows, &["つくばみらい市行政改革プラン (2024 - 2028)"]);
    let joined = &rows[1];
    assert_eq!((joined.page, joined.page_end), (Some(1), Some(2)));
    assert_eq!(joined.cells[0].lines, vec!["2024年度の", "実施内容"]);
    assert_eq!(joined.cells[1].lines, vec![FIRST_HALF, "後半の文章。"]);
    // Every other row keeps its page and has no page_end.
    assert!(rows
        .iter()
        .enumerate()
        .all(|(i, r)| i == 1 || r.page_end.is_none()));
    assert_eq!(rows[4].page, Some(2));
}

#[test]
fn ruled_or_different_rows_at_a_page_break_stay_apart() {
    // The rest of the row has a top rule: the break fell between two rows.
    let (p1, p2) = cut_pages(true, 180.0);
    let rows = document(&[&p1, &p2]);
    assert!(rows
        .iter()
        .any(|r| texts(r) == vec!["2024年度の", FIRST_HALF]));
    assert!(rows
        .iter()
        .any(|r| texts(r) == vec!["実施内容", "後半の文章。"]));
    assert!(rows.iter().all(|r| r.page_end.is_none()));
    // Different column edges: not the same row.
    let (p1, p2) = cut_pages(false, 200.0);
    let rows = document(&[&p1, &p2]);
    assert!(rows
        .iter()
        .any(|r| texts(r) == vec!["2024年度の", FIRST_HALF]));
    assert!(rows.iter().all(|r| r.page_end.is_none()));
}

#[test]
fn cut_row_keeps_a_paragraph_end_at_the_break() {
    // The first part's last line stops short: its paragraph ended before the break.
    let (mut p1, p2) = cut_pages(false, 180.0);
    p1.glyphs
        .retain(|g| !(g.bbox.y0 > 60.0 && g.bbox.y0 < 100.0 && g.bbox.x0 > 180.0));
    p1.glyphs
        .extend(text_at("前半で終わり。", 185.0, 70.0, 10.0));
    let rows = document(&[&p1, &p2]);
    assert_eq!(rows[1].cells[1].text, "前半で終わり。\n後半の文章。");
}

#[test]
fn row_cut_after_repeated_header_rows_is_joined() {
    // Page 2 repeats page 1's header row 「」|「見出しの行」 (ruled all round) before the rest.
    let (p1, mut p2) = cut_pages(true, 180.0);
    p2.rules.push(hline(790.0, 100.0, 500.0));
    p2.rules
        .extend([100.0, 180.0, 500.0].map(|x| vline(x, 770.0, 790.0)));
    p2.glyphs.retain(|g| g.bbox.y0 < 790.0);
    p2.glyphs.extend(text_at("見出しの行", 185.0, 775.0, 10.0));
    let rows = document(&[&p1, &p2]);
    assert_joined(&rows, &["", "見出しの行"]);
    assert_eq!(rows[1].page_end, Some(2));
}
