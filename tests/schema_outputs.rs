//! Every document the tool writes validates against schemas/report.schema.json, and the CSV
//! tables hold the JSON values.

mod common;

use common::*;

#[test]
fn seed_output_validates() {
    let doc = jisseki::extract(
        &seed_bytes(),
        "fixtures/tsukubamirai_gyokaku_2024_jisseki.txt",
    )
    .unwrap();
    assert_schema_valid(&serde_json::to_value(&doc).unwrap());
}

#[test]
fn damaged_report_output_validates() {
    // A report with its header gone, a progress label beyond repair and an empty grid.
    let t = String::from_utf8(seed_bytes()).unwrap();
    let t: String = t
        .lines()
        .filter(|l| !l.contains("行政改革プラン"))
        .collect::<Vec<_>>()
        .join("\n");
    let t = t.replacen("○\t順調", "○\tよくわからない", 1);
    let doc = jisseki::extract(t.as_bytes(), "damaged.txt").unwrap();
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.code.as_str() == "unknown_progress_label"));
    assert!(doc
        .warnings
        .iter()
        .any(|w| w.field.as_deref() == Some("report.plan_title")
            || w.code.as_str() == "missing_field"));
    assert_schema_valid(&serde_json::to_value(&doc).unwrap());
}

#[test]
fn csv_tables_hold_the_json_values() {
    let doc = jisseki::extract(&seed_bytes(), "seed.txt").unwrap();
    let t = jisseki::output::csv_tables(&[&doc]);
    let mut items = csv::Reader::from_reader(t.items.as_slice());
    let header = items.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = items.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 23);
    let r = rows.iter().find(|r| &r[col("item_key")] == "3-5").unwrap();
    assert_eq!(&r[col("municipality")], "つくばみらい市");
    assert_eq!(&r[col("fiscal_year")], "2024");
    assert_eq!(&r[col("item_number")], "3-⑤");
    assert_eq!(&r[col("departments")], "秘書広報課;企画政策課");
    assert_eq!(&r[col("kpi_actual_value")], "2310000000");
    assert_eq!(&r[col("kpi_target_value")], "4000000000");
    assert_eq!(&r[col("kpi_target_year")], "2027");
    let sched = csv::Reader::from_reader(t.schedule.as_slice())
        .records()
        .count();
    assert_eq!(sched, 75, "the gold has 75 schedule marks");
    let inits = csv::Reader::from_reader(t.initiatives.as_slice())
        .records()
        .count();
    assert_eq!(inits, 61);
}
