//! Property: for reports assembled from the seed's real item blocks — shuffled, repeated and
//! cut short — the data package always validates (header, types, required fields, code lists,
//! unique primary keys, resolving foreign keys), the SQLite archive holds the same rows with no
//! dangling key, and every table's row count equals what the JSON holds.

mod outputs_common;

use jisseki::model::Document;
use jisseki::tables::{self, CsvOptions, Table};
use outputs_common::*;
use proptest::prelude::*;

/// The seed's title lines and its item blocks (each from its `実施項目` line to the next).
fn blocks() -> (String, Vec<Vec<String>>) {
    let t = seed_text();
    let lines: Vec<&str> = t.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with("実施項目\t"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(starts.len(), 23);
    let header = lines[..starts[0]].join("\n");
    let blocks = starts
        .iter()
        .enumerate()
        .map(|(n, &s)| {
            let e = starts.get(n + 1).copied().unwrap_or(lines.len());
            lines[s..e].iter().map(|l| l.to_string()).collect()
        })
        .collect();
    (header, blocks)
}

fn check(doc: &Document) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let sets = tables::group(&[doc]);
    jisseki::output::write_csv(dir.path(), &sets, CsvOptions::default()).unwrap();
    jisseki::output::write_atomic(
        &dir.path().join("datapackage.json"),
        jisseki::datapackage::json(CsvOptions::default(), &Default::default()).as_bytes(),
    )
    .unwrap();
    let problems = package_problems(dir.path());
    prop_assert!(problems.is_empty(), "{problems:?}");
    let db = dir.path().join("jisseki.sqlite");
    jisseki::sqlite::write_sqlite(&db, &[doc]).unwrap();
    prop_assert_eq!(sqlite_dangling(&db), 0);
    let want = json_counts(doc);
    for t in Table::ALL {
        let (_, csv) = read_csv(&dir.path().join(t.file_name()));
        prop_assert_eq!(csv.len(), want[&t], "{:?}: CSV and JSON", t);
        prop_assert_eq!(sqlite_rows(&db, t), csv, "{:?}: SQLite and CSV", t);
    }
    // Keys are unique within the report and the first of each stays as the JSON has it.
    let keys = &sets[0].keys;
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    prop_assert_eq!(sorted.len(), keys.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn assembled_reports_always_make_a_valid_package(
        picks in prop::collection::vec((0usize..23, 0usize..100, prop::bool::weighted(0.25)), 1..30)
    ) {
        let (header, blocks) = blocks();
        let mut text = header;
        for (b, cut, truncate) in &picks {
            let block = &blocks[*b];
            // Cut short: keep a prefix of the block (at least its first line).
            let n = if *truncate { 1 + cut % block.len() } else { block.len() };
            text.push('\n');
            text.push_str(&block[..n].join("\n"));
        }
        match jisseki::extract(text.as_bytes(), "assembled.txt") {
            Ok(doc) => check(&doc)?,
            Err(e) => prop_assert_eq!(&e.kind, &jisseki::error::ErrorKind::NoItems, "{}", e),
        }
    }
}

/// The cases the property is about, once each: every block twice, and every block cut after
/// its first line.
#[test]
fn every_block_twice_and_every_block_cut_short() {
    let (header, blocks) = blocks();
    let twice: String = std::iter::once(header.clone())
        .chain(blocks.iter().chain(&blocks).map(|b| b.join("\n")))
        .collect::<Vec<_>>()
        .join("\n");
    let doc = jisseki::extract(twice.as_bytes(), "twice.txt").unwrap();
    assert_eq!(doc.items.len(), 46);
    check(&doc).unwrap();
    let cut: String = std::iter::once(header)
        .chain(blocks.iter().map(|b| b[..2].join("\n")))
        .collect::<Vec<_>>()
        .join("\n");
    if let Ok(doc) = jisseki::extract(cut.as_bytes(), "cut.txt") {
        check(&doc).unwrap();
    }
}
