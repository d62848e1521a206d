//! Nothing read is lost silently: a duplicated item number keeps both items under distinct
//! keys, a damaged header is repaired (and listed) or reported, numbers out of sequence or
//! missing from a run warn, and every output stays valid.

mod common;

use common::*;
use jisseki::model::Document;

fn seed() -> String {
    String::from_utf8(seed_bytes()).unwrap()
}

fn extract(t: &str) -> Document {
    let doc = jisseki::extract(t.as_bytes(), "t.txt").unwrap();
    assert_schema_valid(&serde_json::to_value(&doc).unwrap());
    doc
}

fn codes(doc: &Document) -> Vec<(&str, Option<&str>)> {
    doc.warnings
        .iter()
        .map(|w| (w.code.as_str(), w.item_number.as_deref()))
        .collect()
}

#[test]
fn duplicate_item_numbers_keep_both_items() {
    let t = seed().replace("項目番号\t1-②", "項目番号\t1-①");
    let doc = extract(&t);
    assert_eq!(doc.items.len(), 23);
    let keys: Vec<&str> = doc.items.iter().map(|i| i.item_key.as_str()).collect();
    assert_eq!(&keys[..3], ["1-1", "1-1_2", "1-3"]);
    assert_eq!(doc.items[1].title.as_deref(), Some("人材の確保"));
    assert!(codes(&doc).contains(&("duplicate_item", Some("1-①"))));
    // Unique keys, so every table keeps every item.
    let mut k = keys.clone();
    k.sort_unstable();
    k.dedup();
    assert_eq!(k.len(), 23);
}

#[test]
fn damaged_headers_are_repaired_and_listed() {
    // A label typo and a long-vowel mark for the hyphen.
    let t = seed()
        .replace("項目番号\t1-②", "項目晩号\t1-②")
        .replace("項目番号\t2-③", "項目番号\t2ー③");
    let doc = extract(&t);
    assert_eq!(doc.items.len(), 23);
    let i = doc.items.iter().find(|i| i.item_key == "1-2").unwrap();
    assert_eq!(i.title.as_deref(), Some("人材の確保"));
    assert!(doc
        .corrections
        .iter()
        .any(|c| c.rule == "label_vocabulary" && c.from == "項目晩号" && c.to == "項目番号"));
    assert!(doc.items.iter().any(|i| i.item_number == "2-③"));
    assert!(doc
        .corrections
        .iter()
        .any(|c| c.rule == "item_number_vocabulary" && c.from == "2ー③" && c.to == "2-③"));
}

#[test]
fn an_item_without_a_number_is_reported_with_its_position() {
    let t = seed().replace(
        "実施項目\t人材の確保\t項目番号\t1-②",
        "実施項目\t人材の確保",
    );
    let doc = extract(&t);
    assert_eq!(doc.items.len(), 22);
    let w = doc
        .warnings
        .iter()
        .find(|w| w.code.as_str() == "item_unreadable")
        .expect("an item_unreadable warning");
    assert!(w.message.contains("line 39"), "{}", w.message);
    assert!(w.message.contains("人材の確保"), "{}", w.message);
}

#[test]
fn numbers_out_of_sequence_or_missing_warn() {
    let t = seed().replace("項目番号\t2-②", "項目番号\t2-⑪");
    let doc = extract(&t);
    let c = codes(&doc);
    assert!(c.contains(&("item_number_gap", Some("2-⑪"))), "{c:?}");
    assert!(c.contains(&("item_number_gap", Some("2-③"))), "{c:?}");

    // 2-③ dropped from the report: 2-④ follows 2-②.
    let s = seed();
    let a = s.find("実施項目\tワーク・ライフ・バランスの充実").unwrap();
    let b = s.find("実施項目\t時間外勤務の縮減").unwrap();
    let t = format!("{}{}", &s[..a], &s[b..]);
    let doc = extract(&t);
    let w = doc
        .warnings
        .iter()
        .find(|w| w.code.as_str() == "item_number_gap")
        .expect("a gap warning");
    assert_eq!(w.item_number.as_deref(), Some("2-④"));
    assert!(w.message.contains("2-②"), "{}", w.message);
    // The seed itself runs without a gap.
    let doc = extract(&seed());
    assert!(!codes(&doc).iter().any(|(c, _)| *c == "item_number_gap"));
}

/// Two reports concatenated: every item of both is kept (the second copy under suffixed
/// keys) and said so.
#[test]
fn two_reports_concatenated() {
    let t = format!("{}\n{}", seed(), seed());
    let doc = extract(&t);
    assert_eq!(doc.items.len(), 46);
    let dups = codes(&doc)
        .iter()
        .filter(|(c, _)| *c == "duplicate_item")
        .count();
    assert_eq!(dups, 23);
}

/// OCR damage the reader mends from the report's own structure, each change listed: a head
/// label badly damaged beside its sibling, an initiative label that lost its number, a caption
/// with a broken bracket pair, a number with its hyphen lost.
#[test]
fn ocr_damage_mended_from_the_layout_is_listed() {
    let t = seed()
        .replacen(
            "実施項目\t人材の育成\t項目番号\t1-①",
            "論放項目\t人材の育成\t項目番号\t1-①",
            1,
        )
        .replacen(
            "取組内容 1\t人材育成基本方針の見直しを行う。\t実施",
            "取組内容\t人材育成基本方針の見直しを行う。\t実施",
            1,
        )
        .replacen("〈アクション項目の総括〉", "(アクション項目の総括〉", 1)
        .replacen("項目番号\t1-③", "項目番号\t1③", 1);
    let doc = extract(&t);
    assert_eq!(doc.items.len(), 23);
    let i = &doc.items[0];
    assert_eq!(i.title.as_deref(), Some("人材の育成"));
    assert_eq!(i.initiatives.len(), 3);
    assert_eq!(
        i.initiatives[0]
            .schedule
            .iter()
            .map(|s| (s.year, s.phase.as_str()))
            .collect::<Vec<_>>(),
        [(2024, "実施")]
    );
    // The caption is not read into the last initiative's text.
    assert_eq!(
        i.initiatives[2].text.as_deref(),
        Some("幅広い見識を身に付けるための職員の外部派遣や自主的な資格取得等の支援を行う。")
    );
    assert!(doc
        .items
        .iter()
        .any(|i| i.item_key == "1-3" && i.item_number == "1-③"));
    let fixes: Vec<(&str, &str, &str)> = doc
        .corrections
        .iter()
        .map(|c| (c.from.as_str(), c.to.as_str(), c.rule.as_str()))
        .collect();
    for want in [
        ("論放項目", "実施項目", "label_vocabulary"),
        ("取組内容", "取組内容1", "label_vocabulary"),
        (
            "(アクション項目の総括〉",
            "〈アクション項目の総括〉",
            "label_vocabulary",
        ),
        ("1③", "1-③", "item_number_vocabulary"),
    ] {
        assert!(fixes.contains(&want), "{want:?} not in {fixes:?}");
    }
}
