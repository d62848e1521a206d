//! Other report families (contract v2): the sample reports — a list table rated S/A/B/C and a
//! one-page-per-item ledger rated A–D — read from their text dumps and PDFs, against their
//! gold, field by field; detected by their profile; the same when re-encoded; a legend read
//! wherever it stands; and a report of one family read with another's profile fails clearly.

mod common;

use common::*;
use jisseki::model::{Document, Level};
use jisseki::profile;

const FAMILIES: &[(&str, &str)] = &[
    ("midorino_list_sabc", "midorino-list-sabc"),
    ("sakuradai_ledger_ad", "sakuradai-ledger-ad"),
];

fn sample(dir: &str, file: &str) -> Vec<u8> {
    std::fs::read(fixture(&format!("samples/{dir}/{file}"))).expect("sample fixture")
}

fn sample_gold(dir: &str) -> serde_json::Value {
    let s = std::fs::read_to_string(fixture(&format!("samples/{dir}/gold.json"))).unwrap();
    serde_json::from_str(&s).unwrap()
}

fn assert_gold(dir: &str, doc: &Document) {
    let out = serde_json::to_value(doc).unwrap();
    let diffs = compare_with_gold(&sample_gold(dir), &out);
    assert!(
        diffs.is_empty(),
        "{dir}: {} mismatches:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    assert_schema_valid(&out);
}

#[test]
fn sample_text_dumps_match_their_gold() {
    for (dir, id) in FAMILIES {
        let doc = jisseki::extract(&sample(dir, "report.txt"), "report.txt").unwrap();
        assert_eq!(doc.profile.as_ref().unwrap().id, *id);
        assert_eq!(doc.profile.as_ref().unwrap().origin, "builtin");
        assert_gold(dir, &doc);
    }
}

#[test]
fn sample_pdfs_match_their_gold() {
    for (dir, id) in FAMILIES {
        let doc = jisseki::extract(&sample(dir, "report.pdf"), "report.pdf").unwrap();
        assert_eq!(doc.profile.as_ref().unwrap().id, *id);
        assert_gold(dir, &doc);
        // Each item's page: the ledger has one page per item, the list several items a page.
        assert!(doc.items.iter().all(|i| i.pages.is_some()), "{dir}");
    }
    let ledger = jisseki::extract(&sample("sakuradai_ledger_ad", "report.pdf"), "l.pdf").unwrap();
    for (n, it) in ledger.items.iter().enumerate() {
        let p = it.pages.unwrap();
        assert_eq!((p.start, p.end), (n as u32 + 1, n as u32 + 1));
    }
}

#[test]
fn sample_values_worth_naming() {
    let list = jisseki::extract(&sample("midorino_list_sabc", "report.txt"), "l.txt").unwrap();
    let it = |d: &Document, k: &str| d.items.iter().find(|i| i.item_key == k).unwrap().clone();
    let no1 = it(&list, "1");
    assert_eq!(no1.item_number, "No.1");
    assert_eq!((no1.pillar, no1.seq), (None, Some(1)));
    let a = no1.assessment.unwrap();
    assert_eq!(
        (a.symbol.as_deref(), a.label.as_deref(), a.level),
        (Some("B"), Some("概ね進捗"), Some(Level::MostlyOnTrack))
    );
    assert_eq!(no1.groups[0].label.as_deref(), Some("重点改革項目"));
    assert_eq!(no1.initiatives.len(), 3);
    assert!(no1
        .initiatives
        .iter()
        .all(|i| i.schedule.is_empty() && i.progress.is_none()));
    // The 評価 count table on page 1 is not items.
    assert_eq!(list.items.len(), 23);

    let ledger = jisseki::extract(&sample("sakuradai_ledger_ad", "report.txt"), "l.txt").unwrap();
    let i13 = it(&ledger, "13");
    assert_eq!(i13.effects[0].value, Some(1_155_000_000.0));
    assert_eq!(i13.effects[0].unit.as_deref(), Some("円"));
    assert_eq!(i13.extra[0].label, "特記事項");
    assert_eq!(i13.groups.len(), 2);
    assert_eq!(i13.groups[1].number.as_deref(), Some("イ"));
    // 令和5年度 is the grid's first column.
    assert_eq!(it(&ledger, "2").initiatives[0].schedule[0].year, 2023);
    assert_eq!(ledger.report.plan_period.unwrap().start, 2023);
}

/// The same reports in Shift_JIS with CRLF give the same document (but for `source`).
#[test]
fn shift_jis_crlf_samples() {
    for (dir, _) in FAMILIES {
        let utf8 = String::from_utf8(sample(dir, "report.txt")).unwrap();
        let crlf = utf8.replace('\n', "\r\n");
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&crlf);
        assert!(!unmappable, "{dir} is representable in Shift_JIS");
        let a = jisseki::extract(&bytes, "sjis.txt").unwrap();
        let b = jisseki::extract(utf8.as_bytes(), "utf8.txt").unwrap();
        assert_eq!(a.source.encoding.as_deref(), Some("Shift_JIS"));
        assert_eq!(
            (&a.items, &a.report, &a.warnings),
            (&b.items, &b.report, &b.warnings)
        );
    }
}

/// The printed legend decides, wherever it stands: moved to the end of the report and
/// changed (B now means やや遅れ), it still maps every B.
#[test]
fn legend_read_wherever_it_stands() {
    let t = String::from_utf8(sample("midorino_list_sabc", "report.txt")).unwrap();
    let legend = t
        .lines()
        .find(|l| l.starts_with("【評価区分】"))
        .unwrap()
        .to_string();
    let moved = t.replace(&format!("{legend}\n"), "")
        + "\n"
        + &legend.replace("B：概ね進捗", "B：やや遅れ");
    let doc = jisseki::extract(moved.as_bytes(), "moved.txt").unwrap();
    let b: Vec<_> = doc
        .items
        .iter()
        .filter_map(|i| i.assessment.as_ref())
        .filter(|a| a.symbol.as_deref() == Some("B"))
        .collect();
    assert!(!b.is_empty());
    for a in b {
        assert_eq!(
            (a.label.as_deref(), a.level),
            (Some("やや遅れ"), Some(Level::SlightlyDelayed))
        );
    }
    // The ledger prints its legend in every page footer: keeping only the last one changes
    // nothing.
    let t = String::from_utf8(sample("sakuradai_ledger_ad", "report.txt")).unwrap();
    let legend = "評価 A:計画どおり B:ほぼ計画どおり C:やや遅れ気味 D:未着手";
    let once = t.replace(legend, "") + "\n" + legend + "\n";
    let a = jisseki::extract(once.as_bytes(), "once.txt").unwrap();
    let b = jisseki::extract(t.as_bytes(), "all.txt").unwrap();
    assert_eq!(a.items, b.items);
}

/// A report read with another family's profile fails with a clear message (exit 5) instead
/// of giving garbage.
#[test]
fn wrong_profile_fails_clearly() {
    let cases = [
        ("midorino_list_sabc", "sakuradai-ledger-ad"),
        ("sakuradai_ledger_ad", "tsukubamirai-action-plan"),
    ];
    for (dir, wrong) in cases {
        let opts = jisseki::Options {
            profile: Some(profile::load(wrong).unwrap()),
        };
        let e = jisseki::extract_with(&sample(dir, "report.txt"), "r.txt", &opts).unwrap_err();
        assert_eq!(e.exit_code(), 5, "{dir}");
        assert!(
            e.message.contains(wrong) && e.message.contains("labels not found"),
            "{}",
            e.message
        );
    }
    let opts = jisseki::Options {
        profile: Some(profile::load("midorino-list-sabc").unwrap()),
    };
    let e = jisseki::extract_with(&seed_bytes(), "seed.txt", &opts).unwrap_err();
    assert_eq!(e.exit_code(), 5);
}

/// A report of no known family: exit 5, naming the closest profile and what it missed.
#[test]
fn unknown_family_names_the_closest() {
    let t = "桜市行政改革大綱 実施状況（令和6年度）\n\n番号\t取組事項\t担当課\t実施状況\n1\t窓口の改善\t市民課\t順調\n";
    let e = jisseki::extract(t.as_bytes(), "other.txt").unwrap_err();
    assert_eq!(e.exit_code(), 5);
    assert!(e.message.contains("the closest is"), "{}", e.message);
    assert!(e.message.contains("labels not found"), "{}", e.message);
}

#[test]
fn every_builtin_detects_its_own_family_only() {
    let seeds = [
        ("tsukubamirai-action-plan", seed_bytes()),
        (
            "midorino-list-sabc",
            sample("midorino_list_sabc", "report.txt"),
        ),
        (
            "sakuradai-ledger-ad",
            sample("sakuradai_ledger_ad", "report.txt"),
        ),
    ];
    for (id, bytes) in &seeds {
        let doc = jisseki::extract(bytes, "x.txt").unwrap();
        assert_eq!(doc.profile.unwrap().id, *id);
    }
    assert_eq!(profile::builtins().len(), seeds.len());
}
