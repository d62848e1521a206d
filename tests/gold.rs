//! The bundled real report against its hand-checked gold, field by field.

mod common;

use common::*;

fn extract_json(bytes: &[u8], name: &str) -> serde_json::Value {
    let doc = jisseki::extract(bytes, name).expect("extracts");
    serde_json::to_value(&doc).expect("serializes")
}

#[test]
fn seed_text_matches_gold_on_every_field() {
    let out = extract_json(&seed_bytes(), "seed.txt");
    let diffs = compare_with_gold(&gold(), &out);
    assert!(
        diffs.is_empty(),
        "{} mismatches:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn seed_text_source_and_diagnostics() {
    let bytes = seed_bytes();
    let doc = jisseki::extract(&bytes, "seed.txt").unwrap();
    assert_eq!(doc.source.format, "text");
    assert_eq!(doc.source.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(doc.source.sha256, jisseki::ingest::sha256_hex(&bytes));
    assert_eq!(doc.source.sha256.len(), 64);
    assert!(doc.items.iter().all(|i| i.pages.is_none()));

    // The gold notes: 5-② has three empty grid rows, 2-② #3 differs by one に.
    let codes: Vec<(&str, Option<&str>, Option<&str>)> = doc
        .warnings
        .iter()
        .map(|w| {
            (
                w.code.as_str(),
                w.item_number.as_deref(),
                w.field.as_deref(),
            )
        })
        .collect();
    for i in 0..3 {
        let f = format!("initiatives[{i}].schedule");
        assert!(
            codes.contains(&("schedule_missing", Some("5-②"), Some(f.as_str()))),
            "{codes:?}"
        );
    }
    assert!(codes.contains(&(
        "initiative_mismatch",
        Some("2-②"),
        Some("initiatives[2].text")
    )));
    assert_eq!(doc.warnings.len(), 4, "{:#?}", doc.warnings);

    // OCR damage 川順調 / 川原調 → 順調, each one listed.
    assert_eq!(doc.corrections.len(), 20, "{:#?}", doc.corrections);
    assert!(doc
        .corrections
        .iter()
        .all(|c| c.to == "順調" && c.rule == "progress_label_vocabulary"));
    let c = doc
        .corrections
        .iter()
        .find(|c| c.item_number.as_deref() == Some("5-①"))
        .unwrap();
    assert_eq!(
        (c.field.as_str(), c.from.as_str()),
        ("initiatives[1].progress.label", "川原調")
    );
}

#[test]
fn seed_selected_values() {
    let doc = jisseki::extract(&seed_bytes(), "seed.txt").unwrap();
    let item = |k: &str| doc.items.iter().find(|i| i.item_key == k).unwrap();
    let k = item("3-5").kpi_actual.as_ref().unwrap();
    assert_eq!(k.value, Some(2_310_000_000.0));
    assert_eq!(k.unit.as_deref(), Some("円"));
    assert_eq!(item("3-5").departments, vec!["秘書広報課", "企画政策課"]);
    let k = item("5-4").kpi_actual.as_ref().unwrap();
    assert_eq!((k.value, k.value_max), (Some(4.0), Some(6.0)));
    let s = &item("1-1").initiatives[1].schedule;
    assert_eq!((s[0].year, s[0].phase.as_str()), (2026, "実施"));
    // 4-② 's year header row is shifted, and its rows have only 4 trailing cells.
    let s = &item("4-2").initiatives[1].schedule;
    assert_eq!(
        s.iter()
            .map(|m| (m.year, m.phase.as_str()))
            .collect::<Vec<_>>(),
        vec![(2024, "検討"), (2025, "実施")]
    );
    assert_eq!(
        item("5-5").initiatives[2]
            .next_steps
            .as_deref()
            .map(|s| !s.is_empty()),
        Some(true)
    );
    assert!(
        item("3-3").summary.as_ref().unwrap().contains('\n'),
        "paragraphs kept as \\n"
    );
    assert!(!item("3-3").summary.as_ref().unwrap().contains("<p>"));
}

#[test]
fn output_is_deterministic() {
    let a = jisseki::output::to_json(&jisseki::extract(&seed_bytes(), "s").unwrap(), true);
    let b = jisseki::output::to_json(&jisseki::extract(&seed_bytes(), "s").unwrap(), true);
    assert_eq!(a, b);
}

/// A page break inside an item (the page header lines repeated, and a footer, between two of
/// its rows) does not cut the item.
#[test]
fn page_header_inside_an_item_does_not_cut_it() {
    let seed = String::from_utf8(seed_bytes()).unwrap();
    let brk = "\n- 7 -\n\nつくばみらい市行政改革プラン (2024 - 2028)\n\nアクションプラン個別項目 – 実績報告 (2024年度報告)\n\n";
    let anchor = "〈取組内容別の実績報告〉";
    let at = seed.find(anchor).unwrap();
    let t = format!("{}{brk}{}", &seed[..at], &seed[at..]);
    let a = jisseki::extract(t.as_bytes(), "brk.txt").unwrap();
    let b = jisseki::extract(seed.as_bytes(), "seed.txt").unwrap();
    assert_eq!(a.items, b.items);
    assert_eq!(a.report, b.report);
}

/// The header rows of an item in another order (項目番号 and 主管課 before 実施項目) give the
/// same item.
#[test]
fn header_rows_in_any_order() {
    let seed = String::from_utf8(seed_bytes()).unwrap();
    let title = "実施項目\tふるさと納税の推進\n------\t-----------\n\n";
    let rest = "項目番号\t3-⑤\n主管課\t秘書広報課 企画政策課\n";
    assert!(seed.contains(&format!("{title}{rest}")));
    let swapped = seed.replace(&format!("{title}{rest}"), &format!("{rest}{title}"));
    let a = jisseki::extract(swapped.as_bytes(), "swapped.txt").unwrap();
    let b = jisseki::extract(seed.as_bytes(), "seed.txt").unwrap();
    assert_eq!(a.items, b.items);
}
