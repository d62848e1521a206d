//! Contract v2 in the tables: the sample families' gold (groups, assessments with levels,
//! effects, extra) and the seed, through CSV, the data package and SQLite — every column and
//! table, the `ratings` view and its README query, and the three outputs agreeing row for row.

mod outputs_common;

use std::collections::BTreeMap;
use std::path::Path;

use jisseki::model::Document;
use jisseki::tables::{self, CsvOptions, Table};
use outputs_common::*;

fn docs() -> Vec<Document> {
    vec![
        seed_doc("seed.txt"),
        sample_doc("midorino_list_sabc"),
        sample_doc("sakuradai_ledger_ad"),
    ]
}

/// The CSV files and the data package of `docs` in `dir`.
fn write_package(dir: &Path, docs: &[&Document]) {
    let sets = tables::group(docs);
    jisseki::output::write_csv(dir, &sets, CsvOptions::default()).unwrap();
    jisseki::output::write_atomic(
        &dir.join("datapackage.json"),
        jisseki::datapackage::json(CsvOptions::default(), &Default::default()).as_bytes(),
    )
    .unwrap();
}

/// One table as maps of column → value, for reading rows by name.
fn table(dir: &Path, t: Table) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = read_csv(&dir.join(t.file_name()));
    rows.into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

/// The named columns of each row.
fn pick<'a>(rows: &[&'a BTreeMap<String, String>], names: &[&str]) -> Vec<Vec<&'a str>> {
    rows.iter()
        .map(|r| names.iter().map(|n| r[*n].as_str()).collect())
        .collect()
}

fn find<'a>(
    rows: &'a [BTreeMap<String, String>],
    muni: &str,
    key: &str,
) -> Vec<&'a BTreeMap<String, String>> {
    rows.iter()
        .filter(|r| r["municipality"] == muni && r["item_key"] == key)
        .collect()
}

#[test]
fn every_v2_column_and_table_from_the_sample_golds() {
    let docs = docs();
    let refs: Vec<&Document> = docs.iter().collect();
    let dir = tempfile::tempdir().unwrap();
    write_package(dir.path(), &refs);
    assert_eq!(package_problems(dir.path()), Vec::<String>::new());
    // frictionless itself, on a package with every v2 table filled: validate, load into
    // SQLite, foreign_key_check, counts against the JSON beside it.
    for d in &docs {
        let name = format!("{}.json", d.source.sha256);
        std::fs::write(dir.path().join(name), jisseki::output::to_json(d, false)).unwrap();
    }
    if let Some(r) = frictionless_check(dir.path()) {
        let text = r.unwrap_or_else(|e| panic!("tools/check_package.py failed:\n{e}"));
        assert!(text.contains("effects 8, extra 3"), "{text}");
    }

    // reports: one row each, with the profile.
    let reports = table(dir.path(), Table::Reports);
    assert_eq!(
        pick(
            &reports.iter().collect::<Vec<_>>(),
            &["municipality", "profile", "item_count"]
        ),
        [
            ["さくら台町", "sakuradai-ledger-ad", "23"],
            ["つくばみらい市", "tsukubamirai-action-plan", "23"],
            ["みどり野市", "midorino-list-sabc", "23"]
        ]
    );

    // items: groups, assessment, next_steps, nullable pillar.
    let items = table(dir.path(), Table::Items);
    let s13 = find(&items, "さくら台町", "13");
    assert_eq!(
        s13[0]["groups"],
        "大項目 3 健全な財政運営 > 中項目 イ 財源の確保と資産の有効活用"
    );
    let cols = [
        "item_number",
        "pillar",
        "seq",
        "departments",
        "assessment_symbol",
        "assessment_label",
        "assessment_level",
    ];
    assert_eq!(
        pick(&s13, &cols),
        [[
            "13",
            "",
            "13",
            "秘書広報課;企画政策課",
            "A",
            "計画どおり",
            "on_track"
        ]]
    );
    assert!(s13[0]["next_steps"].starts_with("日常消耗品とされる米や野菜等の返礼品"));
    let m13 = find(&items, "みどり野市", "13");
    assert_eq!(
        pick(&m13, &cols),
        [[
            "No.13",
            "",
            "13",
            "秘書広報課;企画政策課",
            "A",
            "良好に進捗",
            "on_track"
        ]]
    );
    assert_eq!(m13[0]["groups"], "重点改革項目 3 持続可能な財政基盤の確立");
    // The seed has no groups, assessment or item next_steps; the KPI verdict of goal.rs:
    // 23億1千万円 of 40億円, higher is better.
    let t35 = find(&items, "つくばみらい市", "3-5");
    assert_eq!(
        pick(
            &t35,
            &[
                "pillar",
                "seq",
                "groups",
                "assessment_level",
                "next_steps",
                "kpi_direction",
                "kpi_met",
                "kpi_attainment"
            ]
        ),
        [["3", "5", "", "", "", "higher", "false", "0.5775"]]
    );

    // effects: 8 in さくら台町, 千円 → 円.
    let effects = table(dir.path(), Table::Effects);
    assert_eq!(effects.len(), 8);
    assert_eq!(
        pick(
            &find(&effects, "さくら台町", "13"),
            &["seq", "raw", "indicator", "value", "unit", "year"]
        ),
        [["1", "1,155,000", "効果額", "1155000000", "円", ""]]
    );

    // extra: the three 特記事項.
    let extra = table(dir.path(), Table::Extra);
    assert_eq!(
        pick(
            &extra.iter().collect::<Vec<_>>(),
            &["item_key", "seq", "label"]
        ),
        [
            ["13", "1", "特記事項"],
            ["15", "1", "特記事項"],
            ["20", "1", "特記事項"]
        ]
    );
    assert_eq!(
        extra[0]["text"],
        "返礼品の新規開拓により、返礼品取扱事業者数が前年度から12事業者増加した。"
    );

    // item_departments: one department per row (26 for 23 items in each family).
    let deps = table(dir.path(), Table::ItemDepartments);
    assert_eq!(
        pick(&find(&deps, "さくら台町", "13"), &["seq", "department"]),
        [["1", "秘書広報課"], ["2", "企画政策課"]]
    );
    for muni in ["つくばみらい市", "みどり野市", "さくら台町"] {
        let n = deps.iter().filter(|r| r["municipality"] == muni).count();
        assert_eq!(n, 26, "{muni}");
    }

    // item_groups: two levels in さくら台町, one in みどり野市, none in the seed.
    let groups = table(dir.path(), Table::ItemGroups);
    assert_eq!(
        pick(
            &find(&groups, "さくら台町", "13"),
            &["depth", "label", "number", "title"]
        ),
        [
            ["1", "大項目", "3", "健全な財政運営"],
            ["2", "中項目", "イ", "財源の確保と資産の有効活用"]
        ]
    );
    let per_muni = |muni: &str| groups.iter().filter(|r| r["municipality"] == muni).count();
    assert_eq!(
        (
            per_muni("さくら台町"),
            per_muni("みどり野市"),
            per_muni("つくばみらい市")
        ),
        (46, 23, 0)
    );

    // initiatives: progress_level (the seed rates initiatives, the samples items).
    let inis = table(dir.path(), Table::Initiatives);
    let mut levels: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for r in &inis {
        *levels
            .entry((r["municipality"].as_str(), r["progress_level"].as_str()))
            .or_default() += 1;
    }
    assert_eq!(
        levels,
        BTreeMap::from([
            (("さくら台町", ""), 61),
            (("つくばみらい市", "achieved"), 2),
            (("つくばみらい市", "not_started"), 3),
            (("つくばみらい市", "on_track"), 56),
            (("みどり野市", ""), 61),
        ])
    );

    // Every table has the rows the JSON has, report by report.
    let want = expected_counts(&refs);
    for d in &docs {
        for (t, n) in json_counts(d) {
            let got = table(dir.path(), t)
                .iter()
                .filter(|r| {
                    r.get("municipality")
                        .is_none_or(|m| Some(m.as_str()) == d.report.municipality.as_deref())
                })
                .count();
            if t != Table::Sources {
                assert_eq!(got, n, "{t:?} of {:?}", d.report.municipality);
            }
        }
    }
    for t in Table::ALL {
        assert_eq!(table(dir.path(), t).len(), want[&t], "{t:?}");
    }
}

#[test]
fn sqlite_holds_the_csv_rows_and_rates_on_one_scale() {
    let docs = docs();
    let refs: Vec<&Document> = docs.iter().collect();
    let dir = tempfile::tempdir().unwrap();
    write_package(dir.path(), &refs);
    let db = dir.path().join("jisseki.sqlite");
    jisseki::sqlite::write_sqlite(&db, &refs).unwrap();
    assert_eq!(sqlite_dangling(&db), 0);
    for t in Table::ALL {
        let (_, csv) = read_csv(&dir.path().join(t.file_name()));
        assert_eq!(sqlite_rows(&db, t), csv, "{t:?}: SQLite and CSV differ");
    }

    // ratings: items of the samples, initiatives of the seed, each on the common scale.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT municipality, scope, level, COUNT(*) FROM ratings
             GROUP BY municipality, scope, level ORDER BY municipality, scope, level",
        )
        .unwrap();
    let got: Vec<(String, String, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let want: Vec<(&str, &str, &str, i64)> = vec![
        ("さくら台町", "item", "mostly_on_track", 1),
        ("さくら台町", "item", "on_track", 20),
        ("さくら台町", "item", "slightly_delayed", 2),
        ("つくばみらい市", "initiative", "achieved", 2),
        ("つくばみらい市", "initiative", "not_started", 3),
        ("つくばみらい市", "initiative", "on_track", 56),
        ("みどり野市", "item", "ahead", 2),
        ("みどり野市", "item", "delayed", 2),
        ("みどり野市", "item", "mostly_on_track", 1),
        ("みどり野市", "item", "on_track", 18),
    ];
    let got_ref: Vec<(&str, &str, &str, i64)> = got
        .iter()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), *d))
        .collect();
    assert_eq!(got_ref, want);
    // The seed's initiatives carry their number; items none.
    let row: (String, Option<i64>, String, String) = conn
        .query_row(
            "SELECT item_key, initiative_no, symbol, label FROM ratings
             WHERE municipality = 'つくばみらい市' AND level = 'not_started'
             ORDER BY item_key, initiative_no LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(row, ("1-1".into(), Some(2), "-".into(), "未着手".into()));

    // The README's query on ratings.
    let (_, sql) = jisseki::sqlite::EXAMPLE_QUERIES
        .iter()
        .find(|(t, _)| t.starts_with("Share of ratings behind plan"))
        .unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let got: Vec<Vec<String>> = stmt
        .query_map([], |r| {
            (0..9)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                        rusqlite::types::ValueRef::Real(v) => v.to_string(),
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        _ => "NULL".into(),
                    })
                })
                .collect()
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let want: Vec<Vec<&str>> = vec![
        vec![
            "さくら台町",
            "2024",
            "item",
            "23",
            "20",
            "1",
            "2",
            "0",
            "0.087",
        ],
        vec![
            "みどり野市",
            "2024",
            "item",
            "23",
            "20",
            "1",
            "2",
            "0",
            "0.087",
        ],
        vec![
            "つくばみらい市",
            "2024",
            "initiative",
            "61",
            "58",
            "0",
            "0",
            "3",
            "0",
        ],
    ];
    assert_eq!(got, want);
}

#[test]
fn the_data_package_describes_every_table() {
    let pkg: serde_json::Value = serde_json::from_str(&jisseki::datapackage::json(
        CsvOptions::default(),
        &jisseki::datapackage::License {
            name: "cc0-1.0".into(),
        },
    ))
    .unwrap();
    let names: Vec<&str> = pkg["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    let all: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
    assert_eq!(names, all);
    assert_eq!(pkg["licenses"][0]["name"], "CC0-1.0");
    assert_eq!(
        pkg["licenses"][0]["path"],
        "https://creativecommons.org/publicdomain/zero/1.0/"
    );
    let default: serde_json::Value = serde_json::from_str(&jisseki::datapackage::json(
        CsvOptions::default(),
        &Default::default(),
    ))
    .unwrap();
    assert_eq!(default["licenses"][0]["name"], "CC-BY-4.0");
    // reports is keyed by report_id, and everything that names a report references it.
    let schema = |n: &str| {
        pkg["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == n)
            .unwrap()["schema"]
            .clone()
    };
    assert_eq!(
        schema("reports")["primaryKey"],
        serde_json::json!(["report_id"])
    );
    assert_eq!(
        schema("sources")["primaryKey"],
        serde_json::json!(["sha256"])
    );
    for t in ["sources", "items", "warnings", "corrections"] {
        assert_eq!(
            schema(t)["foreignKeys"][0]["reference"],
            serde_json::json!({"resource": "reports", "fields": ["report_id"]}),
            "{t}"
        );
    }
    let severity = schema("warnings")["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "severity")
        .unwrap()
        .clone();
    assert_eq!(
        severity["constraints"]["enum"],
        serde_json::json!(["info", "warning", "error"])
    );
}

/// Issue 8, case 4: two reports without their title lines have different ids in every output,
/// and SQLite keeps both however often they are written.
#[test]
fn two_reports_without_header_lines_stay_two() {
    let headerless = |t: &str| -> String {
        t.lines()
            .filter(|l| !l.contains("行政改革プラン") && !l.contains("実績報告"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let a_text = headerless(&seed_text());
    let b_text = a_text.replacen("人材の育成", "人材の育成と活用", 1);
    let a = jisseki::extract(a_text.as_bytes(), "a.txt").unwrap();
    let b = jisseki::extract(b_text.as_bytes(), "b.txt").unwrap();
    assert_eq!(a.report.municipality, None);
    assert_eq!(a.report.fiscal_year, None);
    assert_eq!(
        jisseki::model::report_id(&a.report),
        jisseki::model::report_id(&b.report)
    );
    assert_ne!(
        jisseki::model::report_id_of(&a),
        jisseki::model::report_id_of(&b)
    );

    let dir = tempfile::tempdir().unwrap();
    write_package(dir.path(), &[&a, &b]);
    assert_eq!(package_problems(dir.path()), Vec::<String>::new());
    let (_, reports) = read_csv(&dir.path().join("reports.csv"));
    assert_eq!(reports.len(), 2);

    let db = dir.path().join("jisseki.sqlite");
    for _ in 0..2 {
        jisseki::sqlite::write_sqlite(&db, &[&a]).unwrap();
        jisseki::sqlite::write_sqlite(&db, &[&b]).unwrap();
    }
    assert_eq!(sqlite_count(&db, "reports"), 2);
    assert_eq!(sqlite_count(&db, "items"), 46);
    assert_eq!(sqlite_rows(&db, Table::Reports).len(), reports.len());
    let ids: Vec<String> = sqlite_rows(&db, Table::Reports)
        .iter()
        .map(|r| r[0].clone())
        .collect();
    let mut csv_ids: Vec<String> = reports.iter().map(|r| r[0].clone()).collect();
    let mut ids_sorted = ids.clone();
    ids_sorted.sort();
    csv_ids.sort();
    assert_eq!(ids_sorted, csv_ids, "the same ids in CSV and SQLite");
}
