//! Helpers of the output tests: the sample families' gold as documents, the tables read back
//! from CSV and SQLite in one form, a validator of the data package (what `frictionless
//! validate` checks: header, types, required fields, code lists, primary and foreign keys), and
//! the frictionless → SQLite check of `tools/check_package.py` where Python has frictionless.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use jisseki::model::{format_number, Document, ProfileRef};
use jisseki::tables::{Table, Type};
use serde_json::Value;

#[path = "../common/mod.rs"]
mod common;
pub use common::{fixture, seed_bytes};

pub fn seed_text() -> String {
    String::from_utf8(seed_bytes()).expect("UTF-8 seed")
}

/// The seed report as the tool reads it (`source.file` = `name`).
pub fn seed_doc(name: &str) -> Document {
    jisseki::extract(&seed_bytes(), name).expect("the seed extracts")
}

/// The seed with its year moved on: `2024年度報告` (in every page title) → `{year}年度報告` and
/// `2024年度の実施内容` → `{year}年度の実施内容`, as next year's report prints them.
pub fn seed_of_year(year: i32) -> String {
    let t = seed_text();
    assert_eq!(t.matches("2024年度報告").count(), 23, "fixture changed");
    t.replace("2024年度報告", &format!("{year}年度報告"))
        .replace("2024年度の実施内容", &format!("{year}年度の実施内容"))
}

/// A sample family's gold (contract v2) as the document the reader will produce for it: the
/// gold with a source and a profile filled in. `family` is a folder of fixtures/samples.
pub fn sample_doc(family: &str) -> Document {
    let dir = fixture("samples").join(family);
    let gold = std::fs::read_to_string(dir.join("gold.json")).expect("sample gold");
    let mut doc: Document = serde_json::from_str(&gold).expect("the gold is a Document");
    let txt = std::fs::read(dir.join("report.txt")).expect("sample text");
    doc.source.file = format!("{family}/report.txt");
    doc.source.sha256 = jisseki::ingest::sha256_hex(&txt);
    doc.source.format = "text".into();
    doc.source.encoding = Some("UTF-8".into());
    doc.profile = Some(ProfileRef {
        id: family.replace('_', "-"),
        origin: "builtin".into(),
    });
    doc
}

/// A CSV file's header and rows (a UTF-8 BOM is skipped).
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut all: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let header = all.remove(0);
    (header, all)
}

/// The rows of one table in CSV bytes (header dropped).
pub fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A table of the SQLite archive in the CSV form (NULL empty, booleans true/false, numbers
/// plain), in rowid order.
pub fn sqlite_rows(db: &Path, table: Table) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let cols = table.columns();
    let names: Vec<String> = cols.iter().map(|c| format!("\"{}\"", c.name)).collect();
    let sql = format!(
        "SELECT {} FROM \"{}\" ORDER BY rowid",
        names.join(", "),
        table.name()
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let rows = stmt
        .query_map([], |r| {
            cols.iter()
                .enumerate()
                .map(|(i, c)| {
                    use rusqlite::types::ValueRef;
                    Ok(match r.get_ref(i)? {
                        ValueRef::Null => String::new(),
                        ValueRef::Integer(v) if c.ty == Type::Boolean => (v != 0).to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => format_number(v),
                        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        ValueRef::Blob(_) => "<blob>".into(),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<Vec<Vec<String>>, _>>()
        .unwrap();
    rows
}

pub fn sqlite_count(db: &Path, sql_table: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(&format!("SELECT COUNT(*) FROM \"{sql_table}\""), [], |r| {
        r.get(0)
    })
    .unwrap()
}

/// `PRAGMA foreign_key_check` of an SQLite file: the rows it reports (none is good).
pub fn sqlite_dangling(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })
    .unwrap()
}

/// How many rows each table should have for these documents (each report once, from its
/// primary source; sources by sha256).
pub fn expected_counts(docs: &[&Document]) -> HashMap<Table, usize> {
    let sets = jisseki::tables::group(docs);
    Table::ALL
        .iter()
        .map(|t| (*t, sets.iter().map(|s| t.row_count(s)).sum()))
        .collect()
}

/// The same counts straight from the JSON of one document (independent of the tables code).
pub fn json_counts(doc: &Document) -> HashMap<Table, usize> {
    let items = &doc.items;
    let inis = || items.iter().flat_map(|i| &i.initiatives);
    HashMap::from([
        (Table::Reports, 1),
        (Table::Sources, 1),
        (Table::Items, items.len()),
        (
            Table::ItemDepartments,
            items.iter().map(|i| i.departments.len()).sum(),
        ),
        (
            Table::ItemGroups,
            items.iter().map(|i| i.groups.len()).sum(),
        ),
        (Table::Initiatives, inis().count()),
        (Table::Schedule, inis().map(|n| n.schedule.len()).sum()),
        (Table::Effects, items.iter().map(|i| i.effects.len()).sum()),
        (Table::Extra, items.iter().map(|i| i.extra.len()).sum()),
        (Table::Warnings, doc.warnings.len()),
        (Table::Corrections, doc.corrections.len()),
    ])
}

fn type_ok(ty: &str, v: &str) -> bool {
    match ty {
        "integer" => v.parse::<i64>().is_ok(),
        "number" => v.parse::<f64>().is_ok_and(f64::is_finite),
        "boolean" => v == "true" || v == "false",
        "date" => {
            let b = v.as_bytes();
            b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && v[..4].parse::<u16>().is_ok()
                && v[5..7].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
                && v[8..].parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
        }
        _ => true,
    }
}

/// Validate the data package in `dir` the way `frictionless validate` does: every resource's
/// header equals its fields, every cell its type, required cells are filled, code lists hold,
/// primary keys are unique and every foreign key resolves. Returns the problems found.
pub fn package_problems(dir: &Path) -> Vec<String> {
    let pkg: Value =
        serde_json::from_slice(&std::fs::read(dir.join("datapackage.json")).unwrap()).unwrap();
    let mut problems = Vec::new();
    let mut keys: HashMap<String, HashMap<Vec<String>, HashSet<Vec<String>>>> = HashMap::new();
    let mut tables: HashMap<String, (Vec<String>, Vec<Vec<String>>)> = HashMap::new();
    let resources = pkg["resources"].as_array().unwrap();
    for r in resources {
        let name = r["name"].as_str().unwrap().to_string();
        let (header, rows) = read_csv(&dir.join(r["path"].as_str().unwrap()));
        let fields = r["schema"]["fields"].as_array().unwrap();
        let names: Vec<String> = fields
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect();
        if header != names {
            problems.push(format!("{name}: header {header:?} is not {names:?}"));
            continue;
        }
        for (n, row) in rows.iter().enumerate() {
            if row.len() != names.len() {
                problems.push(format!("{name} row {}: {} cells", n + 2, row.len()));
                continue;
            }
            for (f, v) in fields.iter().zip(row) {
                let fname = f["name"].as_str().unwrap();
                let required = f["constraints"]["required"].as_bool() == Some(true);
                if v.is_empty() {
                    if required {
                        problems.push(format!("{name} row {}: {fname} is empty", n + 2));
                    }
                    continue;
                }
                if !type_ok(f["type"].as_str().unwrap(), v) {
                    problems.push(format!("{name} row {}: {fname} = {v:?}", n + 2));
                }
                if let Some(allowed) = f["constraints"]["enum"].as_array() {
                    if !allowed.iter().any(|a| a == v) {
                        problems.push(format!("{name} row {}: {fname} = {v:?} not listed", n + 2));
                    }
                }
            }
        }
        let col = |f: &str| names.iter().position(|n| n == f).unwrap();
        let pk: Vec<usize> = r["schema"]["primaryKey"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| col(f.as_str().unwrap()))
            .collect();
        let mut seen = HashSet::new();
        for row in &rows {
            let k: Vec<String> = pk.iter().map(|i| row[*i].clone()).collect();
            if !seen.insert(k.clone()) {
                problems.push(format!("{name}: primary key {k:?} twice"));
            }
        }
        tables.insert(name, (names, rows));
    }
    // Foreign keys, once every table is read.
    for r in resources {
        let name = r["name"].as_str().unwrap();
        let Some(fks) = r["schema"]["foreignKeys"].as_array() else {
            continue;
        };
        let (names, rows) = &tables[name];
        for fk in fks {
            let fields: Vec<String> = fk["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect();
            let target = fk["reference"]["resource"].as_str().unwrap();
            let ref_fields: Vec<String> = fk["reference"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect();
            let parent = keys
                .entry(target.to_string())
                .or_default()
                .entry(ref_fields.clone())
                .or_insert_with(|| {
                    let (pn, prows) = &tables[target];
                    let idx: Vec<usize> = ref_fields
                        .iter()
                        .map(|f| pn.iter().position(|n| n == f).unwrap())
                        .collect();
                    prows
                        .iter()
                        .map(|row| idx.iter().map(|i| row[*i].clone()).collect())
                        .collect()
                });
            let idx: Vec<usize> = fields
                .iter()
                .map(|f| names.iter().position(|n| n == f).unwrap())
                .collect();
            for row in rows {
                let k: Vec<String> = idx.iter().map(|i| row[*i].clone()).collect();
                if !parent.contains(&k) {
                    problems.push(format!("{name}: {k:?} has no row in {target}"));
                }
            }
        }
    }
    problems
}

/// Run `tools/check_package.py DIR` (frictionless validate, load into SQLite, foreign key check,
/// row counts against the JSON). None, with the reason printed, where Python lacks frictionless.
pub fn frictionless_check(dir: &Path) -> Option<Result<String, String>> {
    let probe = Command::new("python3")
        .args(["-c", "import frictionless, sqlalchemy"])
        .output();
    match probe {
        Ok(o) if o.status.success() => {}
        _ => {
            eprintln!(
                "SKIPPED the frictionless check: python3 with frictionless[sql] is not installed \
                 (pip install 'frictionless[sql]'); CI runs it"
            );
            return None;
        }
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tools/check_package.py");
    let o = Command::new("python3")
        .arg(script)
        .arg(dir)
        .output()
        .expect("python3 runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    Some(if o.status.success() {
        Ok(text)
    } else {
        Err(text)
    })
}
