//! SQLite output: the tables of `tables.rs` (the same columns, keys and rows as the CSV files)
//! with foreign keys, indexes and two views (`kpi_progress`, `ratings`).
//!
//! Every report is keyed by its `report_id`, the same id the CSV tables carry. Child tables hang
//! off `reports` with `ON DELETE CASCADE`, so replacing a report is one `DELETE` followed by
//! plain inserts. [`write_sqlite`] adds reports to an archive (replacing those it holds);
//! [`sync_sqlite`] makes it hold exactly a given set (what `jisseki extract` does, from the
//! report JSONs in the output folder, so that the CSV tables and the archive always agree). A
//! report whose rows have not changed since the last write is left alone.
//!
//! One call is one transaction: a failure (disk full, a locked file) leaves the archive as it
//! was. The rollback journal (SQLite's default) is kept on purpose so that the archive stays a
//! single file with no `-wal`/`-shm` companions to copy along.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use rusqlite::types::{ToSql, ToSqlOutput, Value};
use rusqlite::{params, Connection, Transaction};

use crate::error::{Error, ErrorKind, Result};
use crate::model::Document;
use crate::tables::{self, Cell, ReportSet, Table};

/// `PRAGMA user_version` of the schema. Bump it with every incompatible change, so that a
/// jisseki refuses an archive it would misread instead of writing into it.
pub const SCHEMA_VERSION: i32 = 2;

impl ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Cell::Null => ToSqlOutput::Owned(Value::Null),
            Cell::Text(s) => ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(s.as_bytes())),
            Cell::Int(v) => ToSqlOutput::Owned(Value::Integer(*v)),
            Cell::Real(v) => ToSqlOutput::Owned(Value::Real(*v)),
            Cell::Bool(b) => ToSqlOutput::Owned(Value::Integer(i64::from(*b))),
        })
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| quote(n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `CREATE TABLE` for one table, from its column definitions.
fn create_table(t: Table) -> String {
    let mut s = format!("CREATE TABLE IF NOT EXISTS {} (\n", quote(t.name()));
    for c in t.columns() {
        let not_null = if c.required { " NOT NULL" } else { "" };
        let _ = writeln!(
            s,
            "    {} {}{not_null}, -- {}",
            quote(&c.name),
            c.ty.sql(),
            c.en_desc.replace('\n', " ")
        );
    }
    let _ = write!(s, "    PRIMARY KEY ({})", quoted_list(&t.primary_key()));
    for fk in t.foreign_keys() {
        let _ = write!(
            s,
            ",\n    FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE CASCADE",
            quoted_list(&fk.fields),
            quote(fk.table.name()),
            quoted_list(&fk.ref_fields)
        );
    }
    s.push_str("\n);\n");
    // The cascades look rows up by the foreign key: index it where the primary key does not
    // start with it.
    let pk = t.primary_key();
    for fk in t.foreign_keys() {
        if !pk.starts_with(&fk.fields) {
            let _ = writeln!(
                s,
                "CREATE INDEX IF NOT EXISTS {} ON {} ({});",
                quote(&format!("{}_{}", t.name(), fk.fields.join("_"))),
                quote(t.name()),
                quoted_list(&fk.fields)
            );
        }
    }
    s
}

/// What is not a table of the package: an index for "this year against last year", the
/// views, and the digest of each report's rows (so an unchanged report is not rewritten).
const EXTRA_SCHEMA: &str = r#"
CREATE INDEX IF NOT EXISTS reports_plan ON reports (municipality, plan_title, fiscal_year);

CREATE TABLE IF NOT EXISTS jisseki_loaded ( -- internal: what was loaded, to skip unchanged reports
    report_id TEXT PRIMARY KEY REFERENCES reports (report_id) ON DELETE CASCADE,
    digest    TEXT NOT NULL
);

-- kpi_progress: one row per item with a KPI and per year, to follow KPIs across reports.
--
--   report_id, municipality, plan_title, fiscal_year   the report the row comes from
--   item_key, item_number, title                       the item; item_key joins across years
--   indicator, unit          the target's (the actual's when the target has none)
--   target_value             the number to reach
--   target_qualifier         以上 以下 未満 超 減 増, or NULL
--   target_year              the year the target names, NULL when it names none
--   target_due               target_year, else the plan's last year (the usual reading)
--   year                     the year the actual value is for: its own year, else the
--                            report's fiscal_year (e.g. for 「2025年4月1日時点」)
--   actual_value             the measured number (the lower bound of a range such as 4~6回)
--   actual_value_max         the upper bound of such a range
--   actual_unit, actual_qualifier, actual_approx (1 for 約), actual_as_of (an ISO date)
--   The judgement is the items table's, made once by jisseki (crate::goal) for every output:
--   comparable  1 when both numbers exist in the same unit and both are, or neither is, a
--               change (減/増); 0 otherwise (e.g. no number could be read)
--   direction   'higher' or 'lower' is better: 以上 超 増 減 → 'higher', 以下 未満 → 'lower';
--               where the report does not say, a target of 0 and indicators such as
--               実質公債費比率 → 'lower', the rest → 'higher' (as `jisseki compare` judges)
--   direction_rule  what decided it: the qualifier, or 'assumed 以上' / 'assumed 以下'
--   met         1/0 whether the result meets the target; NULL unless comparable
--   attainment  how far along the way to the target, in its direction: actual / target when
--               higher is better, target / actual when lower is; 1 = reached, below 1 =
--               short. NULL unless comparable, and for a target of 0
--   target_raw, actual_raw   the KPI text as printed, to check a row by eye
CREATE VIEW IF NOT EXISTS kpi_progress AS
SELECT r.report_id, r.municipality, r.plan_title, r.fiscal_year,
       i.item_key, i.item_number, i.title,
       COALESCE(i.kpi_target_indicator, i.kpi_actual_indicator) AS indicator,
       COALESCE(i.kpi_target_unit, i.kpi_actual_unit) AS unit,
       i.kpi_target_value AS target_value,
       i.kpi_target_qualifier AS target_qualifier,
       i.kpi_target_year AS target_year,
       COALESCE(i.kpi_target_year, r.plan_end) AS target_due,
       COALESCE(i.kpi_actual_year, r.fiscal_year) AS year,
       i.kpi_actual_value AS actual_value,
       i.kpi_actual_value_max AS actual_value_max,
       i.kpi_actual_unit AS actual_unit,
       i.kpi_actual_qualifier AS actual_qualifier,
       i.kpi_actual_approx AS actual_approx,
       i.kpi_actual_as_of AS actual_as_of,
       i.kpi_comparable AS comparable,
       i.kpi_direction AS direction,
       i.kpi_direction_rule AS direction_rule,
       i.kpi_met AS met,
       i.kpi_attainment AS attainment,
       i.kpi_target_raw AS target_raw,
       i.kpi_actual_raw AS actual_raw
FROM items i JOIN reports r ON r.report_id = i.report_id
WHERE i.kpi_target_raw IS NOT NULL OR i.kpi_actual_raw IS NOT NULL;

-- ratings: every rating in one place, on the common scale of contract v2, so that reports
-- with different scales (◎○△-, S/A/B/C, A–D …) compare: one row per rated item (scope
-- 'item', its assessment) and per rated initiative (scope 'initiative', its progress).
--   symbol, label  as printed;  level  achieved ahead on_track mostly_on_track
--   slightly_delayed delayed not_started stopped not_applicable not_evaluable, or NULL for a
--   value outside the report's legend (it has an unknown_progress_label warning)
CREATE VIEW IF NOT EXISTS ratings AS
SELECT r.report_id, r.municipality, r.fiscal_year, i.item_key,
       'item' AS scope, NULL AS initiative_no,
       i.assessment_symbol AS symbol, i.assessment_label AS label, i.assessment_level AS level
FROM items i JOIN reports r ON r.report_id = i.report_id
WHERE i.assessment_symbol IS NOT NULL OR i.assessment_label IS NOT NULL
   OR i.assessment_level IS NOT NULL
UNION ALL
SELECT r.report_id, r.municipality, r.fiscal_year, n.item_key,
       'initiative' AS scope, n.no AS initiative_no,
       n.progress_symbol AS symbol, n.progress_label AS label, n.progress_level AS level
FROM initiatives n JOIN reports r ON r.report_id = n.report_id
WHERE n.progress_symbol IS NOT NULL OR n.progress_label IS NOT NULL
   OR n.progress_level IS NOT NULL;
"#;

/// The whole schema: every table of the package, then [`EXTRA_SCHEMA`]. `IF NOT EXISTS`
/// everywhere: an existing archive is opened and added to.
pub fn schema() -> String {
    let mut s: String = Table::ALL.iter().map(|t| create_table(*t) + "\n").collect();
    s.push_str(EXTRA_SCHEMA);
    s
}

/// Queries an analyst runs on the archive, shown verbatim in the README and tested against the
/// bundled report and the sample families: (title, SQL).
pub const EXAMPLE_QUERIES: &[(&str, &str)] = &[
    (
        "Initiatives that fell behind since the plan's previous report (on track → delayed)",
        "SELECT cur.municipality, cur.plan_title,
       prev.fiscal_year AS from_year, cur.fiscal_year AS to_year,
       i.item_key, it.item_number, it.title AS item_title, i.no, i.text,
       p.progress_symbol || ' ' || p.progress_label AS was,
       i.progress_symbol || ' ' || i.progress_label AS now
FROM reports cur
JOIN reports prev
  ON prev.municipality = cur.municipality AND prev.plan_title = cur.plan_title
 AND prev.fiscal_year = (SELECT MAX(r.fiscal_year) FROM reports r
                         WHERE r.municipality = cur.municipality
                           AND r.plan_title = cur.plan_title
                           AND r.fiscal_year < cur.fiscal_year)
JOIN initiatives i ON i.report_id = cur.report_id
JOIN initiatives p
  ON p.report_id = prev.report_id AND p.item_key = i.item_key AND p.no = i.no
JOIN items it ON it.report_id = i.report_id AND it.item_key = i.item_key
WHERE p.progress_level IN ('achieved', 'ahead', 'on_track', 'mostly_on_track')
  AND i.progress_level IN ('slightly_delayed', 'delayed')
ORDER BY cur.municipality, cur.plan_title, to_year, it.pillar, it.seq, i.no;",
    ),
    (
        "KPIs short of their target in fiscal year 2024, furthest behind first",
        "SELECT municipality, item_number, indicator, unit,
       target_value, target_qualifier, target_due, actual_value, year,
       ROUND(attainment, 3) AS attainment, direction, direction_rule
FROM kpi_progress
WHERE fiscal_year = 2024 AND comparable AND NOT met
ORDER BY municipality, attainment, item_key;",
    ),
    (
        "Initiatives per progress label, per municipality and fiscal year",
        "SELECT r.municipality, r.fiscal_year, i.progress_symbol, i.progress_label,
       COUNT(*) AS initiatives
FROM initiatives i JOIN reports r ON r.report_id = i.report_id
GROUP BY r.municipality, r.fiscal_year, i.progress_symbol, i.progress_label
ORDER BY r.municipality, r.fiscal_year, initiatives DESC, i.progress_label;",
    ),
    (
        "Share of ratings behind plan, per municipality, year and scope, whatever the scale",
        "SELECT municipality, fiscal_year, scope, COUNT(*) AS rated,
       SUM(level IN ('achieved', 'ahead', 'on_track')) AS on_track_or_better,
       SUM(level = 'mostly_on_track') AS mostly_on_track,
       SUM(level IN ('slightly_delayed', 'delayed')) AS behind,
       SUM(level = 'not_started') AS not_started,
       ROUND(1.0 * SUM(level IN ('slightly_delayed', 'delayed')) / COUNT(*), 3) AS share_behind
FROM ratings
WHERE level IS NOT NULL
GROUP BY municipality, fiscal_year, scope
ORDER BY share_behind DESC, municipality, fiscal_year, scope;",
    ),
];

/// Add `docs` to the SQLite archive at `path` (created if missing), replacing any report with
/// the same report_id. The same report from several sources is one report (see
/// [`tables::group`]).
pub fn write_sqlite(path: &Path, docs: &[&Document]) -> Result<()> {
    write(path, &tables::group(docs), false)
}

/// Make the archive at `path` hold exactly `sets`: reports it holds that are not among them
/// are deleted, changed ones replaced, unchanged ones left alone.
pub fn sync_sqlite(path: &Path, sets: &[ReportSet<'_>]) -> Result<()> {
    write(path, sets, true)
}

fn write(path: &Path, sets: &[ReportSet<'_>], prune: bool) -> Result<()> {
    let fail = |e: rusqlite::Error| {
        // SQLite messages are one line already; this keeps the contract's one-line errors safe.
        let msg = e.to_string().replace(['\n', '\r'], " ");
        Error::new(
            ErrorKind::OutputUnwritable,
            format!("cannot write SQLite database: {msg}"),
        )
        .with_file(path.display().to_string())
    };
    let refuse = |msg: String| {
        Error::new(ErrorKind::OutputUnwritable, msg).with_file(path.display().to_string())
    };
    let mut conn = Connection::open(path).map_err(fail)?;
    // One insert per table and a few deletes, all reused for every report.
    conn.set_prepared_statement_cache_capacity(32);
    // A no-op inside a transaction: set it first. The cascades that make the upsert a single
    // DELETE depend on it.
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(fail)?;
    // A concurrent run (two batch jobs on one archive) waits instead of failing at once.
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(fail)?;

    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(fail)?;
    let version: i32 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(fail)?;
    if version > SCHEMA_VERSION {
        return Err(refuse(format!(
            "SQLite schema version {version} is newer than this jisseki's ({SCHEMA_VERSION}); \
             use a newer jisseki or another file"
        )));
    }
    if version != 0 && version < SCHEMA_VERSION {
        return Err(refuse(format!(
            "SQLite schema version {version} was written by an older jisseki (this one writes \
             {SCHEMA_VERSION}); move the file away: `jisseki extract … -o DIR -f sqlite` \
             rebuilds it from the report JSONs in DIR"
        )));
    }
    tx.execute_batch(&schema()).map_err(fail)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(fail)?;

    let loaded: HashMap<String, String> = {
        let mut stmt = tx
            .prepare("SELECT report_id, digest FROM jisseki_loaded")
            .map_err(fail)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(fail)?;
        rows.collect::<rusqlite::Result<_>>().map_err(fail)?
    };
    if prune {
        let keep: BTreeSet<&str> = sets.iter().map(|s| s.id.as_str()).collect();
        let held: Vec<String> = {
            let mut stmt = tx.prepare("SELECT report_id FROM reports").map_err(fail)?;
            let rows = stmt.query_map([], |r| r.get(0)).map_err(fail)?;
            rows.collect::<rusqlite::Result<_>>().map_err(fail)?
        };
        let mut del = tx
            .prepare_cached("DELETE FROM reports WHERE report_id = ?1")
            .map_err(fail)?;
        for id in held.iter().filter(|id| !keep.contains(id.as_str())) {
            del.execute([id]).map_err(fail)?;
        }
    }
    let inserts: Vec<String> = Table::ALL.iter().map(|t| insert_sql(*t)).collect();
    for set in sets {
        insert_set(&tx, &inserts, set, loaded.get(&set.id)).map_err(fail)?;
    }
    tx.commit().map_err(fail)
}

/// The rows of one table.
type Rows = Vec<Vec<Cell>>;

/// The rows of every table for one report, and their digest.
fn rows_of(set: &ReportSet<'_>) -> (Vec<(Table, Rows)>, String) {
    let rows: Vec<(Table, Rows)> = Table::ALL.iter().map(|t| (*t, t.rows(set))).collect();
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(SCHEMA_VERSION.to_le_bytes());
    for (t, rs) in &rows {
        h.update(t.name().as_bytes());
        for r in rs {
            for c in r {
                // A tag per kind and a length before text: no two rows hash alike by accident.
                match c {
                    Cell::Null => h.update([0]),
                    Cell::Text(s) => {
                        h.update([1]);
                        h.update(s.len().to_le_bytes());
                        h.update(s.as_bytes());
                    }
                    Cell::Int(v) => {
                        h.update([2]);
                        h.update(v.to_le_bytes());
                    }
                    Cell::Real(v) => {
                        h.update([3]);
                        h.update(v.to_bits().to_le_bytes());
                    }
                    Cell::Bool(b) => h.update([4, u8::from(*b)]),
                }
            }
            h.update([0xff]);
        }
    }
    (rows, crate::ingest::hex(&h.finalize()))
}

/// `INSERT INTO t (…) VALUES (?1, …)` for every column of `t`.
fn insert_sql(t: Table) -> String {
    let cols = t.columns();
    let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote(t.name()),
        quoted_list(&names),
        marks.join(", ")
    )
}

/// Replace one report (unless its rows have the digest loaded before). `inserts` is
/// [`insert_sql`] of each table of `Table::ALL`.
fn insert_set(
    tx: &Transaction<'_>,
    inserts: &[String],
    set: &ReportSet<'_>,
    loaded_digest: Option<&String>,
) -> rusqlite::Result<()> {
    let (rows, digest) = rows_of(set);
    if loaded_digest == Some(&digest) {
        return Ok(());
    }
    // Cascades to every child table: the report is replaced as a whole, never merged.
    tx.prepare_cached("DELETE FROM reports WHERE report_id = ?1")?
        .execute([&set.id])?;
    // A source read before as another report (a reading by an older jisseki, whose header
    // was read differently): that reading is replaced by this one.
    for doc in &set.sources {
        tx.prepare_cached(
            "DELETE FROM reports WHERE report_id IN
                 (SELECT report_id FROM sources WHERE sha256 = ?1 AND report_id <> ?2)",
        )?
        .execute(params![doc.source.sha256, set.id])?;
    }
    for ((_, rs), sql) in rows.iter().zip(inserts) {
        let mut stmt = tx.prepare_cached(sql)?;
        for r in rs {
            stmt.execute(rusqlite::params_from_iter(r.iter()))?;
        }
    }
    tx.prepare_cached("INSERT INTO jisseki_loaded (report_id, digest) VALUES (?1, ?2)")?
        .execute(params![set.id, digest])?;
    Ok(())
}
