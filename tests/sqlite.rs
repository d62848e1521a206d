//! The SQLite archive on the bundled real report: counts, idempotent reloads, a second fiscal
//! year, and the README's example queries.

mod common;

use common::*;
use jisseki::error::ErrorKind;
use jisseki::model::Document;
use jisseki::sqlite::{write_sqlite, EXAMPLE_QUERIES, SCHEMA_VERSION};
use rusqlite::Connection;
use std::path::Path;

fn seed_doc() -> Document {
    jisseki::extract(&seed_bytes(), "tsukubamirai_gyokaku_2024_jisseki.txt").expect("extracts")
}

/// The same report one year on: the 2025 report, where initiative 1 of 1-① slipped from
/// ○ 順調 to △ やや遅れ and its KPI moved on.
fn next_year_doc() -> Document {
    let text = String::from_utf8(seed_bytes()).expect("utf-8 fixture");
    let text = text
        .replace("2024年度報告", "2025年度報告")
        .replacen("○\t順調", "△\tやや遅れ", 1)
        .replace(
            "外部研修受講率は46% (2024年度)",
            "外部研修受講率は52% (2025年度)",
        );
    jisseki::extract(text.as_bytes(), "tsukubamirai_gyokaku_2025_jisseki.txt").expect("extracts")
}

fn count(db: &Path, table: &str) -> i64 {
    let conn = Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn counts(db: &Path) -> [i64; 6] {
    [
        count(db, "reports"),
        count(db, "items"),
        count(db, "initiatives"),
        count(db, "schedule"),
        count(db, "warnings"),
        count(db, "corrections"),
    ]
}

/// Every row of a query as strings (NULL → "NULL"), to compare with expected tables.
fn rows(db: &Path, sql: &str) -> Vec<Vec<String>> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let out = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "NULL".to_string(),
                        rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                        rusqlite::types::ValueRef::Real(v) => v.to_string(),
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into(),
                        rusqlite::types::ValueRef::Blob(_) => "<blob>".to_string(),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<Vec<Vec<String>>, _>>()
        .unwrap();
    out
}

fn query(title_start: &str) -> &'static str {
    // Titles as in the README.
    EXAMPLE_QUERIES
        .iter()
        .find(|(t, _)| t.starts_with(title_start))
        .map(|(_, sql)| *sql)
        .expect("example query")
}

#[test]
fn one_report_counts_and_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    let doc = seed_doc();
    write_sqlite(&db, &[&doc]).unwrap();

    assert_eq!(counts(&db), [1, 23, 61, 75, 4, 20]);
    let conn = Connection::open(&db).unwrap();
    let version: i32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let dangling: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);

    let id = jisseki::model::report_id(&doc.report);
    let report = rows(
        &db,
        "SELECT r.report_id, municipality, plan_title, plan_start, plan_end, fiscal_year, format,
                encoding, r.item_count, r.warning_count
         FROM reports r JOIN sources s ON s.report_id = r.report_id",
    );
    assert_eq!(
        report,
        vec![vec![
            id.clone(),
            "つくばみらい市".into(),
            "つくばみらい市行政改革プラン".into(),
            "2024".into(),
            "2028".into(),
            "2024".into(),
            "text".into(),
            "UTF-8".into(),
            "23".into(),
            "4".into(),
        ]]
    );

    // Flattened KPI columns keep numbers as REAL (printed here the Rust way: 5.0 → "5") and
    // flags as 0/1.
    let item = rows(
        &db,
        "SELECT kpi_target_value, kpi_target_unit, kpi_actual_value, kpi_actual_approx,
                kpi_actual_qualifier, kpi_actual_year, departments
         FROM items WHERE item_key = '3-6'",
    );
    assert_eq!(item[0][..6], ["5", "%", "6.3", "1", "減", "2024"]);
    let big: f64 = conn
        .query_row(
            "SELECT kpi_actual_value FROM items WHERE item_key = '3-5'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(big, 2_310_000_000.0);

    // Schedule marks and initiatives of 1-①, in the JSON's shape.
    let marks = rows(
        &db,
        "SELECT initiative_no, year, phase FROM schedule WHERE item_key = '1-1'
         ORDER BY initiative_no, year",
    );
    assert_eq!(
        marks,
        vec![
            vec!["1", "2024", "実施"],
            vec!["2", "2026", "実施"],
            vec!["3", "2024", "実施"]
        ]
    );
    let progress = rows(
        &db,
        "SELECT no, progress_symbol, progress_label FROM initiatives WHERE item_key = '1-1'
         ORDER BY no",
    );
    assert_eq!(
        progress,
        vec![
            vec!["1", "○", "順調"],
            vec!["2", "-", "未着手"],
            vec!["3", "○", "順調"]
        ]
    );
}

#[test]
fn loading_again_replaces_instead_of_duplicating() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    let doc = seed_doc();
    write_sqlite(&db, &[&doc]).unwrap();
    let once = counts(&db);
    // A second run on the same archive, and one report given twice in one run.
    write_sqlite(&db, &[&doc]).unwrap();
    assert_eq!(counts(&db), once);
    write_sqlite(&db, &[&doc, &doc]).unwrap();
    assert_eq!(counts(&db), once);

    // The newer copy wins: a re-read from another file replaces the source columns.
    let mut renamed = doc.clone();
    renamed.source.file = "again.txt".into();
    write_sqlite(&db, &[&renamed]).unwrap();
    assert_eq!(counts(&db), once);
    assert_eq!(
        rows(&db, "SELECT file FROM reports"),
        vec![vec!["again.txt"]]
    );
}

#[test]
fn a_second_year_is_a_second_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    let y2024 = seed_doc();
    let y2025 = next_year_doc();
    assert_eq!(y2025.report.fiscal_year, Some(2025));
    write_sqlite(&db, &[&y2024]).unwrap();
    // The archive grows run by run.
    write_sqlite(&db, &[&y2025]).unwrap();
    assert_eq!(counts(&db)[..4], [2, 46, 122, 150]);
    assert_eq!(
        rows(&db, "SELECT fiscal_year FROM reports ORDER BY fiscal_year"),
        vec![vec!["2024"], vec!["2025"]]
    );

    // kpi_progress: one row per item and year; 1-① is followed from 46% to 52% of 50%.
    let kpi = rows(
        &db,
        "SELECT fiscal_year, year, target_value, actual_value, met, attainment
         FROM kpi_progress WHERE item_key = '1-1' ORDER BY year",
    );
    assert_eq!(
        kpi,
        vec![
            vec!["2024", "2024", "50", "46", "0", "0.92"],
            vec!["2025", "2025", "50", "52", "1", "1.04"]
        ]
    );
    assert_eq!(count(&db, "kpi_progress"), 46);
}

#[test]
fn kpi_progress_columns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    write_sqlite(&db, &[&seed_doc()]).unwrap();
    let got = rows(
        &db,
        "SELECT item_key, year, actual_as_of, target_year, target_due, comparable, direction, met
         FROM kpi_progress WHERE item_key IN ('1-2', '1-4', '2-2', '2-4', '3-1', '3-6', '4-2')
         ORDER BY item_key",
    );
    let want: Vec<Vec<&str>> = vec![
        // 以上: higher is better, and 11 倍 meets 10 倍以上.
        vec!["1-2", "2024", "NULL", "NULL", "2028", "1", "higher", "1"],
        // A target of 0 can only be met from below.
        vec!["1-4", "2024", "NULL", "NULL", "2028", "1", "lower", "1"],
        // 「2025年4月1日時点」: no year of its own, so the report's fiscal year.
        vec![
            "2-2",
            "2024",
            "2025-04-01",
            "NULL",
            "2028",
            "1",
            "higher",
            "0",
        ],
        vec!["2-4", "2024", "NULL", "NULL", "2028", "1", "lower", "0"],
        // 実質公債費比率: lower is better (assumed 以下), and 7.1% meets 7.2%.
        vec!["3-1", "2024", "NULL", "2027", "2027", "1", "lower", "1"],
        // 5%減 against 約6.3%減: a larger reduction meets it.
        vec!["3-6", "2024", "NULL", "NULL", "2028", "1", "higher", "1"],
        // No number could be read from the actual.
        vec!["4-2", "2024", "NULL", "NULL", "2028", "0", "higher", "NULL"],
    ];
    assert_eq!(got, want);
}

#[test]
fn example_query_progress_fell() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    write_sqlite(&db, &[&seed_doc()]).unwrap();
    // One year only: nothing to compare with.
    assert!(rows(&db, query("Initiatives that fell behind")).is_empty());

    write_sqlite(&db, &[&next_year_doc()]).unwrap();
    let got = rows(&db, query("Initiatives that fell behind"));
    assert_eq!(
        got,
        vec![vec![
            "つくばみらい市",
            "つくばみらい市行政改革プラン",
            "2024",
            "2025",
            "1-1",
            "1-①",
            "人材の育成",
            "1",
            "人材育成基本方針の見直しを行う。",
            "○ 順調",
            "△ やや遅れ",
        ]]
    );
}

#[test]
fn example_query_kpis_short_of_target() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    // The 2025 report is in the archive too; the query keeps to fiscal year 2024.
    write_sqlite(&db, &[&seed_doc(), &next_year_doc()]).unwrap();
    let got = rows(&db, query("KPIs short of their target"));
    let keys: Vec<(&str, &str)> = got.iter().map(|r| (r[1].as_str(), r[9].as_str())).collect();
    assert_eq!(
        keys,
        vec![
            // 5 人 over against a target of 0: no ratio, but short.
            ("2-④", "NULL"),
            ("5-⑤", "0.25"),
            ("2-③", "0.39"),
            ("4-①", "0.396"),
            ("1-③", "0.4"),
            ("3-④", "0.4"),
            ("3-⑤", "0.578"),
            ("2-②", "0.7"),
            ("2-①", "0.857"),
            ("3-②", "0.868"),
            ("1-①", "0.92"),
            ("5-③", "0.94"),
            ("4-④", "0.96"),
        ]
    );
    assert!(got
        .iter()
        .all(|r| r[0] == "つくばみらい市" && r[8] == "2024"));
}

#[test]
fn example_query_progress_labels() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    write_sqlite(&db, &[&seed_doc(), &next_year_doc()]).unwrap();
    let got = rows(&db, query("Initiatives per progress label"));
    let want: Vec<Vec<&str>> = vec![
        vec!["つくばみらい市", "2024", "○", "順調", "56"],
        vec!["つくばみらい市", "2024", "-", "未着手", "3"],
        vec!["つくばみらい市", "2024", "◎", "達成", "2"],
        vec!["つくばみらい市", "2025", "○", "順調", "55"],
        vec!["つくばみらい市", "2025", "-", "未着手", "3"],
        vec!["つくばみらい市", "2025", "◎", "達成", "2"],
        vec!["つくばみらい市", "2025", "△", "やや遅れ", "1"],
    ];
    assert_eq!(got, want);
}

#[test]
fn every_example_query_runs_on_an_empty_archive() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.sqlite");
    write_sqlite(&db, &[]).unwrap();
    assert_eq!(EXAMPLE_QUERIES.len(), 4);
    for (title, sql) in EXAMPLE_QUERIES {
        assert!(rows(&db, sql).is_empty(), "{title}");
    }
}

#[test]
fn unwritable_targets_are_output_errors() {
    let dir = tempfile::tempdir().unwrap();
    let doc = seed_doc();

    let missing = dir.path().join("no/such/dir/archive.sqlite");
    let e = write_sqlite(&missing, &[&doc]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutputUnwritable);
    assert_eq!(
        e.file.as_deref(),
        Some(missing.display().to_string().as_str())
    );

    let not_db = dir.path().join("notes.sqlite");
    std::fs::write(
        &not_db,
        "this is not a database, just text that is long enough",
    )
    .unwrap();
    let e = write_sqlite(&not_db, &[&doc]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutputUnwritable);
    assert!(!e.to_string().contains('\n'), "{e}");

    // An archive from a newer jisseki is left alone.
    let newer = dir.path().join("newer.sqlite");
    Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    let e = write_sqlite(&newer, &[&doc]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutputUnwritable);
    assert!(e.message.contains("newer"), "{e}");
    assert_eq!(count(&newer, "sqlite_master"), 0);
}

/// Every table's rows in key order, for comparing archives built in different ways.
fn dump(db: &Path) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    for t in jisseki::tables::Table::ALL {
        let key = t.primary_key().join(", ");
        all.extend(rows(
            db,
            &format!("SELECT * FROM {} ORDER BY {key}", t.name()),
        ));
    }
    all
}

#[test]
fn content_does_not_depend_on_the_archive_history() {
    let dir = tempfile::tempdir().unwrap();
    let (y2024, y2025) = (seed_doc(), next_year_doc());
    let fresh = dir.path().join("fresh.sqlite");
    write_sqlite(&fresh, &[&y2024, &y2025]).unwrap();
    let grown = dir.path().join("grown.sqlite");
    write_sqlite(&grown, &[&y2025]).unwrap();
    write_sqlite(&grown, &[&y2024]).unwrap();
    write_sqlite(&grown, &[&y2025, &y2024]).unwrap();
    assert_eq!(dump(&fresh), dump(&grown));

    // Numbers are stored as REAL and INTEGER, not as text, so that comparisons are numeric.
    let types = rows(
        &fresh,
        "SELECT DISTINCT typeof(kpi_target_value), typeof(kpi_actual_year), typeof(pillar)
         FROM items WHERE kpi_actual_value IS NOT NULL AND kpi_actual_year IS NOT NULL",
    );
    assert_eq!(types, vec![vec!["real", "integer", "integer"]]);
}

#[test]
fn a_repeated_item_keeps_both_copies() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    let mut doc = seed_doc();
    // A document whose reader repeated an item_key (an older jisseki): the tables key the
    // second copy as the reader now does, and nothing is dropped.
    let mut again = doc.items[0].clone();
    again.title = Some("second copy".into());
    doc.items.push(again);
    write_sqlite(&db, &[&doc]).unwrap();
    assert_eq!(counts(&db)[..4], [1, 24, 64, 78]);
    assert_eq!(
        rows(&db, "SELECT item_count FROM reports"),
        vec![vec!["24"]]
    );
    assert_eq!(
        rows(
            &db,
            "SELECT item_key, title FROM items WHERE item_number = '1-①' ORDER BY item_key"
        ),
        vec![vec!["1-1", "人材の育成"], vec!["1-1_2", "second copy"]]
    );
}

#[test]
fn an_archive_of_the_older_schema_is_refused_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.sqlite");
    let conn = Connection::open(&old).unwrap();
    conn.execute_batch(
        "CREATE TABLE reports (report_id TEXT PRIMARY KEY, file TEXT); PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let e = write_sqlite(&old, &[&seed_doc()]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutputUnwritable);
    assert!(e.message.contains("older jisseki"), "{e}");
    assert_eq!(count(&old, "reports"), 0, "left as it was");
}

#[test]
fn sync_keeps_exactly_the_given_reports_and_skips_unchanged_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("archive.sqlite");
    let (y2024, y2025) = (seed_doc(), next_year_doc());
    write_sqlite(&db, &[&y2024, &y2025]).unwrap();
    assert_eq!(count(&db, "reports"), 2);
    // An unchanged report is not rewritten: its rowids stay.
    let rowid = |db: &Path| {
        rows(db, "SELECT MIN(rowid) FROM items WHERE report_id IN (SELECT report_id FROM reports WHERE fiscal_year = 2024)")
    };
    let before = rowid(&db);
    let sets = jisseki::tables::group(&[&y2024]);
    jisseki::sqlite::sync_sqlite(&db, &sets).unwrap();
    assert_eq!(
        rows(&db, "SELECT fiscal_year FROM reports"),
        vec![vec!["2024"]]
    );
    assert_eq!(rowid(&db), before);
    assert_eq!(counts(&db)[..4], [1, 23, 61, 75]);
    assert_eq!(count(&db, "jisseki_loaded"), 1);
}
