//! Years side by side, on the real fixture and a "2025" version of it with three known edits.

mod common;

use std::path::PathBuf;

use jisseki::compare::{self, ChangeKind, Direction};
use jisseki::error::ErrorKind;
use jisseki::model::{Document, PageSpan};

const PROGRESS_LINE: &str = "取組内容 1\t人材育成基本方針の見直しを行う。\t進捗状況\t○\t順調";
const KPI_2024: &str = "【寄附金年間受入額 23億1千万円 (2024年度)】";
const DROPPED_ITEM: &str = "実施項目\t多様な主体との連携";

/// The fixture with: the report year 2025, 1-① #1 順調 → 遅れ, the 3-⑤ result 23億1千万円 →
/// 25億円, and item 5-⑤ (the last one) cut off.
fn text_2025(text: &str) -> String {
    for needle in [PROGRESS_LINE, KPI_2024, DROPPED_ITEM] {
        assert_eq!(text.matches(needle).count(), 1, "fixture changed: {needle}");
    }
    let t = text
        .replace("2024年度報告", "2025年度報告")
        .replace(
            PROGRESS_LINE,
            "取組内容 1\t人材育成基本方針の見直しを行う。\t進捗状況\t△\t遅れ",
        )
        .replace(KPI_2024, "【寄附金年間受入額 25億円 (2024年度)】");
    let cut = t.find(DROPPED_ITEM).expect("5-⑤ block");
    t[..cut].to_string()
}

fn docs() -> (Document, Document) {
    let bytes = common::seed_bytes();
    let text = String::from_utf8(bytes.clone()).expect("fixture is UTF-8");
    let d24 = jisseki::extract(&bytes, "2024.txt").expect("2024 extracts");
    let d25 = jisseki::extract(text_2025(&text).as_bytes(), "2025.txt").expect("2025 extracts");
    assert_eq!(d24.report.fiscal_year, Some(2024));
    assert_eq!(d25.report.fiscal_year, Some(2025));
    assert_eq!(d25.items.len(), d24.items.len() - 1);
    (d24, d25)
}

#[test]
fn exactly_the_three_edits_are_reported() {
    let (d24, d25) = docs();
    // Input order does not matter: the years are ordered.
    let c = compare::compare(&[d25, d24]);
    assert!(c.skipped.is_empty(), "{:?}", c.skipped);
    assert_eq!(c.pairs.len(), 1);
    let p = &c.pairs[0];
    assert_eq!((p.from_year, p.to_year), (2024, 2025));
    assert_eq!(p.municipality, "つくばみらい市");
    assert_eq!(p.plan_title, "つくばみらい市行政改革プラン");
    assert_eq!(
        (p.items_compared, p.items_added, p.items_dropped),
        (22, 0, 1)
    );
    assert_eq!((p.initiatives_added, p.initiatives_dropped), (0, 0));
    assert_eq!(
        (p.progress_improved, p.progress_worsened, p.progress_other),
        (0, 1, 0)
    );
    assert_eq!(p.kpi_changed, 1);

    let got: Vec<_> = c
        .changes
        .iter()
        .map(|ch| {
            (
                ch.item_key.as_str(),
                ch.initiative_no,
                ch.kind,
                ch.from.as_deref(),
                ch.to.as_deref(),
                ch.direction,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "1-1",
                Some(1),
                ChangeKind::Progress,
                Some("順調"),
                Some("遅れ"),
                Some(Direction::Worsened)
            ),
            (
                "3-5",
                None,
                ChangeKind::Kpi,
                Some("2310000000円"),
                Some("2500000000円"),
                // Closer to the 40億円 target, still short of it.
                Some(Direction::Improved)
            ),
            (
                "5-5",
                None,
                ChangeKind::ItemDropped,
                Some("多様な主体との連携"),
                None,
                None
            ),
        ]
    );
    for ch in &c.changes {
        assert_eq!((ch.from_year, ch.to_year), (2024, 2025));
        assert_eq!(ch.municipality, "つくばみらい市");
    }
    let kpi = &c.changes[1];
    assert_eq!(kpi.item_number, "3-⑤");
    assert_eq!(kpi.title.as_deref(), Some("ふるさと納税の推進"));
    let (from, to) = (kpi.kpi_from.as_ref().unwrap(), kpi.kpi_to.as_ref().unwrap());
    assert_eq!(from.value, Some(2_310_000_000.0));
    assert_eq!(to.value, Some(2_500_000_000.0));
    assert_eq!(to.unit.as_deref(), Some("円"));
    assert_eq!(to.target_value, Some(4_000_000_000.0));
    assert_eq!((from.target_met, to.target_met), (Some(false), Some(false)));

    // The KPI table holds every item of both years.
    assert_eq!(c.kpis.len(), 23 + 22);
}

#[test]
fn kpi_verdicts_of_the_fixture() {
    let (d24, d25) = docs();
    let c = compare::compare(&[d24, d25]);
    let met = |key: &str| {
        c.kpis
            .iter()
            .find(|k| k.fiscal_year == 2024 && k.item_key == key)
            .map(|k| (k.status.target_met, k.status.rule.clone()))
    };
    let rule = |r: &str| Some(r.to_string());
    assert_eq!(met("1-1"), Some((Some(false), rule("assumed 以上")))); // 46% of 50%
    assert_eq!(met("1-2"), Some((Some(true), rule("以上")))); // 11倍, 10倍以上
    assert_eq!(met("1-3"), Some((Some(false), rule("減")))); // 4%減 of 10%減
    assert_eq!(met("1-4"), Some((Some(true), rule("assumed 以下")))); // 0件 of 0件
    assert_eq!(met("2-4"), Some((Some(false), rule("assumed 以下")))); // 5人 over 0人
    assert_eq!(met("3-1"), Some((Some(true), rule("assumed 以下")))); // 公債費比率 7.1% ≤ 7.2%
    assert_eq!(met("3-6"), Some((Some(true), rule("減")))); // 約6.3%減 of 5%減
    assert_eq!(met("5-4"), Some((Some(true), rule("assumed 以上")))); // 4~6回 of 4回
                                                                      // Not measured in 2024: no verdict.
    assert_eq!(met("4-2").map(|m| m.0), Some(None));
    assert_eq!(met("4-3").map(|m| m.0), Some(None));
}

#[test]
fn an_unchanged_year_yields_no_changes_and_duplicates_are_skipped() {
    let (d24, _) = docs();
    let mut same = d24.clone();
    same.report.fiscal_year = Some(2025);
    same.source.file = "same.txt".into();
    let mut dup = d24.clone();
    dup.source.file = "dup.txt".into();
    let c = compare::compare(&[d24, same, dup]);
    assert_eq!(c.pairs.len(), 1);
    assert!(c.changes.is_empty(), "{:#?}", c.changes);
    assert_eq!(c.skipped.len(), 1);
    assert_eq!(c.skipped[0].file, "dup.txt");
    assert!(compare::to_csv(&c).ends_with(b"to_target_met\n"));
}

#[test]
fn csv_has_one_row_per_change() {
    let (d24, d25) = docs();
    let c = compare::compare(&[d24, d25]);
    let csv = compare::to_csv(&c);
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, compare::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), c.changes.len());
    let col = |name: &str| compare::CSV_HEADER.iter().position(|h| *h == name).unwrap();
    let kpi = &rows[1];
    assert_eq!(&kpi[col("kind")], "kpi");
    assert_eq!(&kpi[col("from_value")], "2310000000");
    assert_eq!(&kpi[col("to_value")], "2500000000");
    assert_eq!(&kpi[col("target_value")], "4000000000");
    assert_eq!(&kpi[col("unit")], "円");
    assert_eq!(&kpi[col("to_target_met")], "false");
    assert_eq!(&kpi[col("direction")], "improved");
    assert_eq!(&rows[0][col("initiative_no")], "1");
    assert_eq!(&rows[2][col("initiative_no")], "");
    assert_eq!(&rows[2][col("direction")], "");
}

#[test]
fn text_summary() {
    let (d24, d25) = docs();
    let text = compare::render_text(&compare::compare(&[d24, d25]));
    for line in [
        "つくばみらい市 つくばみらい市行政改革プラン: ratings by level",
        "  2024 initiatives (61 rated of 61): achieved 2 (3%), on_track 56 (92%), not_started 3 (5%)",
        // 1-① #1 fell to 遅れ; 5-⑤ and its three initiatives are gone.
        "  2025 initiatives (58 rated of 58): achieved 2 (3%), on_track 52 (90%), delayed 1 (2%), not_started 3 (5%)",
        "つくばみらい市 つくばみらい市行政改革プラン: 2024 → 2025",
        "  22 items compared (0 added, 1 dropped)",
        "  progress: 0 improved, 1 worsened",
        "  1-① #1 progress 順調 → 遅れ (worsened)",
        "  3-⑤ KPI 寄附金年間受入額 2310000000円 → 2500000000円 vs target 4000000000円 (not met) (improved)",
        "  5-⑤ item dropped: 多様な主体との連携",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert_eq!(text.lines().count(), 9, "{text}");
}

/// The sample families rate items on their own scales (S/A/B/C, A–D); on the common scale
/// their distributions sit beside the seed's, in the text and in the levels CSV.
#[test]
fn level_distributions_compare_municipalities() {
    let sample = |family: &str| {
        let dir = common::fixture("samples").join(family);
        let mut doc: Document =
            serde_json::from_str(&std::fs::read_to_string(dir.join("gold.json")).unwrap()).unwrap();
        doc.source.file = format!("{family}.txt");
        doc
    };
    let (d24, _) = docs();
    let c = compare::compare(&[
        sample("midorino_list_sabc"),
        d24,
        sample("sakuradai_ledger_ad"),
    ]);
    assert!(c.pairs.is_empty());
    let text = compare::render_text(&c);
    for line in [
        "さくら台町 さくら台町行政改革推進プラン: ratings by level",
        "  2024 items (23 rated of 23): on_track 20 (87%), mostly_on_track 1 (4%), slightly_delayed 2 (9%)",
        "みどり野市 第3次みどり野市行財政改革行動計画: ratings by level",
        "  2024 items (23 rated of 23): ahead 2 (9%), on_track 18 (78%), mostly_on_track 1 (4%), delayed 2 (9%)",
        "  2024 initiatives (61 rated of 61): achieved 2 (3%), on_track 56 (92%), not_started 3 (5%)",
        "nothing to compare: give reports of at least two fiscal years of the same plan",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let csv = compare::levels_to_csv(&c);
    let mut r = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, compare::LEVELS_CSV_HEADER);
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 3 + 4 + 3);
    assert!(rows.contains(
        &[
            "みどり野市",
            "第3次みどり野市行財政改革行動計画",
            "2024",
            "item",
            "delayed",
            "2",
            "23",
            "23",
            "0.087"
        ]
        .map(String::from)
        .to_vec()
    ));
    assert!(rows.contains(
        &[
            "つくばみらい市",
            "つくばみらい市行政改革プラン",
            "2024",
            "initiative",
            "on_track",
            "56",
            "61",
            "61",
            "0.918"
        ]
        .map(String::from)
        .to_vec()
    ));
}

#[test]
fn json_round_trip() {
    let (d24, _) = docs();
    // PDF-only fields too, so that every optional number is exercised.
    let mut pdf = d24.clone();
    pdf.source.pages = Some(23);
    pdf.source.producer = Some("Microsoft® Word".into());
    pdf.items[0].pages = Some(PageSpan { start: 1, end: 2 });
    for doc in [d24, pdf] {
        for pretty in [true, false] {
            let json = jisseki::output::to_json(&doc, pretty);
            let back: Document = serde_json::from_str(&json).expect("reads back");
            assert_eq!(back, doc);
            // And writes the same bytes again.
            assert_eq!(jisseki::output::to_json(&back, pretty), json);
        }
    }
}

#[test]
fn reading_files_and_folders() {
    let (d24, d25) = docs();
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    std::fs::write(p("b_2024.json"), jisseki::output::to_json(&d24, true)).unwrap();
    std::fs::write(p("a_2025.json"), jisseki::output::to_json(&d25, false)).unwrap();
    std::fs::write(
        p("datapackage.json"),
        r#"{"name": "jisseki", "resources": []}"#,
    )
    .unwrap();
    std::fs::write(p("notes.txt"), "not json at all").unwrap();

    let docs = compare::read_documents(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(docs.len(), 2);
    // Name order: a_2025 before b_2024.
    assert_eq!(docs[0], d25);
    assert_eq!(docs[1], d24);

    // A file named explicitly must be a report.
    let e = compare::read_documents(&[p("datapackage.json")]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotText);
    assert!(e.file.as_deref().unwrap().ends_with("datapackage.json"));
    let e = compare::read_documents(&[p("notes.txt")]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotText);
    assert!(e.to_string().contains("notes.txt"), "{e}");

    let e = compare::read_documents(&[p("missing.json")]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InputUnreadable);
    assert!(e.to_string().contains("missing.json"), "{e}");

    // A broken JSON in a folder is an error naming it, not silently left out.
    std::fs::write(
        p("c_broken.json"),
        "{\"schema_version\": \"1\", \"items\": [",
    )
    .unwrap();
    let e = compare::read_documents(&[dir.path().to_path_buf()]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotText);
    assert!(e.to_string().contains("c_broken.json"), "{e}");

    // A folder without reports.
    let empty = tempfile::tempdir().unwrap();
    let e = compare::read_documents(&[PathBuf::from(empty.path())]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NoItems);
}
