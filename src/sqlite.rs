//! SQLite output: an archive of reports that grows run by run.
//!
//! Every report is keyed by [`report_id`] (municipality, plan, fiscal year), so reading the same
//! report again — from the same file, a PDF instead of a text dump, or with a newer jisseki —
//! replaces its rows instead of adding a second copy. Child tables hang off `reports` with
//! `ON DELETE CASCADE`, which makes the upsert one `DELETE` followed by plain inserts.
//!
//! One call is one transaction: a failure (disk full, a locked file) leaves the archive as it
//! was. The rollback journal (SQLite's default) is kept on purpose so that the archive stays a
//! single file with no `-wal`/`-shm` companions to copy along.

use std::collections::HashSet;
use std::path::Path;

use rusqlite::{params, Connection, Transaction};

use crate::error::{Error, ErrorKind, Result};
use crate::model::{report_id, Document, Item, Kpi};

/// `PRAGMA user_version` of the schema below. Bump it with every incompatible change, so that an
/// older jisseki refuses an archive it would misread instead of writing into it.
pub const SCHEMA_VERSION: i32 = 1;

/// The schema. `IF NOT EXISTS` everywhere: an existing archive is opened and added to.
///
/// Column names are the JSON names of the contract (flattened as in the CSV tables), so the
/// three outputs read alike. Free-text and optional fields are NULL when the JSON has null.
pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS reports (
    report_id        TEXT PRIMARY KEY,   -- model::report_id: municipality + plan + fiscal year
    schema_version   TEXT NOT NULL,      -- version of the output contract the rows follow
    file             TEXT NOT NULL,
    sha256           TEXT NOT NULL,
    format           TEXT NOT NULL,      -- 'pdf' or 'text'
    encoding         TEXT,
    pages            INTEGER,
    producer         TEXT,
    municipality     TEXT,
    plan_title       TEXT,
    plan_start       INTEGER,
    plan_end         INTEGER,
    title            TEXT,
    fiscal_year      INTEGER,
    item_count       INTEGER NOT NULL,   -- rows in items (a repeated 項目番号 once)
    warning_count    INTEGER NOT NULL,
    correction_count INTEGER NOT NULL
);
-- Reports of one plan across years: the join of "this year against last year".
CREATE INDEX IF NOT EXISTS reports_plan ON reports (municipality, plan_title, fiscal_year);

CREATE TABLE IF NOT EXISTS items (
    report_id      TEXT NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    item_key       TEXT NOT NULL,        -- '1-1': stable across years, the join key
    item_number    TEXT NOT NULL,        -- '1-①' as printed
    pillar         INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    title          TEXT,
    departments    TEXT,                 -- joined with ';' as in items.csv
    current_issues TEXT,
    target_state   TEXT,
    summary        TEXT,
    kpi_target_raw TEXT, kpi_target_indicator TEXT, kpi_target_value REAL,
    kpi_target_value_max REAL, kpi_target_unit TEXT, kpi_target_qualifier TEXT,
    kpi_target_approx INTEGER, kpi_target_year INTEGER, kpi_target_as_of TEXT,
    kpi_target_note TEXT,
    kpi_actual_raw TEXT, kpi_actual_indicator TEXT, kpi_actual_value REAL,
    kpi_actual_value_max REAL, kpi_actual_unit TEXT, kpi_actual_qualifier TEXT,
    kpi_actual_approx INTEGER, kpi_actual_year INTEGER, kpi_actual_as_of TEXT,
    kpi_actual_note TEXT,
    kpi_direction  TEXT,                 -- 'higher' or 'lower' is better (see crate::goal)
    kpi_direction_rule TEXT,             -- 以上 以下 未満 超 減 増, or 'assumed 以上/以下'
    pages_start    INTEGER,
    pages_end      INTEGER,
    PRIMARY KEY (report_id, item_key)
);

CREATE TABLE IF NOT EXISTS initiatives (
    report_id       TEXT NOT NULL,
    item_key        TEXT NOT NULL,
    no              INTEGER NOT NULL,
    text            TEXT,
    progress_symbol TEXT,                -- ◎ ○ △ × -
    progress_label  TEXT,                -- 達成, 順調, やや遅れ, 遅れ, 未着手, …
    actions         TEXT,
    next_steps      TEXT,
    PRIMARY KEY (report_id, item_key, no),
    FOREIGN KEY (report_id) REFERENCES reports (report_id) ON DELETE CASCADE,
    FOREIGN KEY (report_id, item_key) REFERENCES items (report_id, item_key) ON DELETE CASCADE
);

-- No primary key: nothing in a report forbids two phases in one year of one initiative.
CREATE TABLE IF NOT EXISTS schedule (
    report_id     TEXT NOT NULL,
    item_key      TEXT NOT NULL,
    initiative_no INTEGER NOT NULL,
    year          INTEGER NOT NULL,
    phase         TEXT NOT NULL,
    FOREIGN KEY (report_id) REFERENCES reports (report_id) ON DELETE CASCADE,
    FOREIGN KEY (report_id, item_key, initiative_no)
        REFERENCES initiatives (report_id, item_key, no) ON DELETE CASCADE
);
-- Also serves the cascades from reports and initiatives, which would scan the table otherwise.
CREATE INDEX IF NOT EXISTS schedule_initiative ON schedule (report_id, item_key, initiative_no);

-- seq keeps the document's order, so that the table reads like the JSON array.
CREATE TABLE IF NOT EXISTS warnings (
    report_id   TEXT NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    code        TEXT NOT NULL,
    item_number TEXT,
    field       TEXT,
    message     TEXT NOT NULL,
    PRIMARY KEY (report_id, seq)
);

CREATE TABLE IF NOT EXISTS corrections (
    report_id   TEXT NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    item_number TEXT,
    field       TEXT NOT NULL,
    "from"      TEXT NOT NULL,
    "to"        TEXT NOT NULL,
    rule        TEXT NOT NULL,
    PRIMARY KEY (report_id, seq)
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
--   comparable  1 when both numbers exist in the same unit and both are, or neither is, a
--               reduction (減); 0 otherwise (e.g. no number could be read)
--   direction   'higher' or 'lower' is better: 以上 超 増 減 → 'higher', 以下 未満 → 'lower';
--               where the report does not say, a target of 0 and indicators such as
--               実質公債費比率 → 'lower', the rest → 'higher' (as `jisseki compare` judges)
--   direction_rule  what decided it: the qualifier, or 'assumed 以上' / 'assumed 以下'
--   met         1/0 whether actual_value meets target_value; NULL unless comparable
--   attainment  actual_value / target_value when comparable and the target is not 0
--   target_raw, actual_raw   the KPI text as printed, to check a row by eye
CREATE VIEW IF NOT EXISTS kpi_progress AS
SELECT report_id, municipality, plan_title, fiscal_year, item_key, item_number, title,
       indicator, unit, target_value, target_qualifier, target_year, target_due, year,
       actual_value, actual_value_max, actual_unit, actual_qualifier, actual_approx,
       actual_as_of, comparable, direction, direction_rule,
       CASE
           WHEN NOT comparable OR direction IS NULL THEN NULL
           WHEN target_qualifier = '超' THEN actual_value > target_value
           WHEN target_qualifier = '未満' THEN actual_value < target_value
           WHEN direction = 'higher' THEN actual_value >= target_value
           ELSE actual_value <= target_value
       END AS met,
       CASE WHEN comparable AND target_value <> 0 THEN actual_value / target_value END
           AS attainment,
       target_raw, actual_raw
FROM (
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
           (i.kpi_target_value IS NOT NULL AND i.kpi_actual_value IS NOT NULL
            AND i.kpi_target_unit IS i.kpi_actual_unit
            AND (IFNULL(i.kpi_target_qualifier, '') = '減')
                = (IFNULL(i.kpi_actual_qualifier, '') = '減')) AS comparable,
           i.kpi_direction AS direction,
           i.kpi_direction_rule AS direction_rule,
           i.kpi_target_raw AS target_raw,
           i.kpi_actual_raw AS actual_raw
    FROM items i JOIN reports r ON r.report_id = i.report_id
    WHERE i.kpi_target_raw IS NOT NULL OR i.kpi_actual_raw IS NOT NULL
);
"#;

/// Queries an analyst runs on the archive, shown verbatim in the README and tested against the
/// bundled report: (title, SQL).
pub const EXAMPLE_QUERIES: &[(&str, &str)] = &[
    (
        "Initiatives whose progress fell since the plan's previous report (○/◎ → △/×)",
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
WHERE p.progress_symbol IN ('◎', '○') AND i.progress_symbol IN ('△', '×')
ORDER BY cur.municipality, cur.plan_title, to_year, it.pillar, it.seq, i.no;",
    ),
    (
        "KPIs short of their target in fiscal year 2024, furthest behind first",
        "SELECT municipality, item_number, indicator, unit,
       target_value, target_qualifier, target_due, actual_value, year,
       ROUND(attainment, 3) AS attainment, direction_rule
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
];

/// Add `docs` to the SQLite archive at `path` (created if missing), replacing any report with
/// the same [`report_id`]. When `docs` holds one report twice, the later one wins.
pub fn write_sqlite(path: &Path, docs: &[&Document]) -> Result<()> {
    let fail = |e: rusqlite::Error| {
        // SQLite messages are one line already; this keeps the contract's one-line errors safe.
        let msg = e.to_string().replace(['\n', '\r'], " ");
        Error::new(
            ErrorKind::OutputUnwritable,
            format!("cannot write SQLite database: {msg}"),
        )
        .with_file(path.display().to_string())
    };
    let mut conn = Connection::open(path).map_err(fail)?;
    // Off by default in SQLite, and a no-op inside a transaction: set it first. The cascades
    // that make the upsert a single DELETE depend on it.
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
        return Err(Error::new(
            ErrorKind::OutputUnwritable,
            format!(
                "SQLite schema version {version} is newer than this jisseki's ({SCHEMA_VERSION}); \
                 use a newer jisseki or another file"
            ),
        )
        .with_file(path.display().to_string()));
    }
    tx.execute_batch(SCHEMA).map_err(fail)?;
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(fail)?;
    for doc in docs {
        insert_document(&tx, doc).map_err(fail)?;
    }
    tx.commit().map_err(fail)
}

fn insert_document(tx: &Transaction<'_>, doc: &Document) -> rusqlite::Result<()> {
    let id = report_id(&doc.report);
    // Cascades to every child table: the report is replaced as a whole, never merged.
    tx.prepare_cached("DELETE FROM reports WHERE report_id = ?1")?
        .execute([&id])?;

    // The pipeline keeps a repeated 項目番号 and warns `duplicate_item`; the table keys items by
    // item_key, so the first occurrence is stored and the warning row tells the rest.
    let mut seen: HashSet<&str> = HashSet::new();
    let items: Vec<&Item> = doc
        .items
        .iter()
        .filter(|it| seen.insert(it.item_key.as_str()))
        .collect();

    let r = &doc.report;
    let s = &doc.source;
    tx.prepare_cached(
        "INSERT INTO reports (report_id, schema_version, file, sha256, format, encoding, pages,
             producer, municipality, plan_title, plan_start, plan_end, title, fiscal_year,
             item_count, warning_count, correction_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        id,
        doc.schema_version,
        s.file,
        s.sha256,
        s.format,
        s.encoding,
        s.pages,
        s.producer,
        r.municipality,
        r.plan_title,
        r.plan_period.map(|p| p.start),
        r.plan_period.map(|p| p.end),
        r.title,
        r.fiscal_year,
        items.len() as i64,
        doc.warnings.len() as i64,
        doc.corrections.len() as i64,
    ])?;

    for item in &items {
        insert_item(tx, &id, item)?;
    }

    let mut warn = tx.prepare_cached(
        "INSERT INTO warnings (report_id, seq, code, item_number, field, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (seq, w) in doc.warnings.iter().enumerate() {
        warn.execute(params![
            id,
            seq as i64,
            w.code.as_str(),
            w.item_number,
            w.field,
            w.message
        ])?;
    }
    let mut corr = tx.prepare_cached(
        "INSERT INTO corrections (report_id, seq, item_number, field, \"from\", \"to\", rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (seq, c) in doc.corrections.iter().enumerate() {
        corr.execute(params![
            id,
            seq as i64,
            c.item_number,
            c.field,
            c.from,
            c.to,
            c.rule
        ])?;
    }
    Ok(())
}

/// The ten flattened KPI columns, all NULL when the item has no such KPI.
struct KpiCols<'a> {
    raw: Option<&'a str>,
    indicator: Option<&'a str>,
    value: Option<f64>,
    value_max: Option<f64>,
    unit: Option<&'a str>,
    qualifier: Option<&'a str>,
    approx: Option<bool>,
    year: Option<i32>,
    as_of: Option<&'a str>,
    note: Option<&'a str>,
}

fn kpi_cols(k: Option<&Kpi>) -> KpiCols<'_> {
    KpiCols {
        raw: k.map(|k| k.raw.as_str()),
        indicator: k.and_then(|k| k.indicator.as_deref()),
        value: k.and_then(|k| k.value),
        value_max: k.and_then(|k| k.value_max),
        unit: k.and_then(|k| k.unit.as_deref()),
        qualifier: k.and_then(|k| k.qualifier.as_deref()),
        approx: k.map(|k| k.approx),
        year: k.and_then(|k| k.year),
        as_of: k.and_then(|k| k.as_of.as_deref()),
        note: k.and_then(|k| k.note.as_deref()),
    }
}

fn insert_item(tx: &Transaction<'_>, id: &str, it: &Item) -> rusqlite::Result<()> {
    // The same judgement as `jisseki compare`: stated by the report, or an assumption that
    // says so in kpi_direction_rule.
    let goal = it
        .kpi_target
        .as_ref()
        .filter(|t| t.value.is_some())
        .map(crate::goal::goal_of);
    let direction = goal.map(|(g, _)| g.direction());
    let direction_rule = goal.map(|(_, r)| r);
    let t = kpi_cols(it.kpi_target.as_ref());
    let a = kpi_cols(it.kpi_actual.as_ref());
    tx.prepare_cached(
        "INSERT INTO items (report_id, item_key, item_number, pillar, seq, title, departments,
             current_issues, target_state, summary,
             kpi_target_raw, kpi_target_indicator, kpi_target_value, kpi_target_value_max,
             kpi_target_unit, kpi_target_qualifier, kpi_target_approx, kpi_target_year,
             kpi_target_as_of, kpi_target_note,
             kpi_actual_raw, kpi_actual_indicator, kpi_actual_value, kpi_actual_value_max,
             kpi_actual_unit, kpi_actual_qualifier, kpi_actual_approx, kpi_actual_year,
             kpi_actual_as_of, kpi_actual_note,
             kpi_direction, kpi_direction_rule,
             pages_start, pages_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
             ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
             ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30,
             ?31, ?32, ?33, ?34)",
    )?
    .execute(params![
        id,
        it.item_key,
        it.item_number,
        it.pillar,
        it.seq,
        it.title,
        it.departments.join(";"),
        it.current_issues,
        it.target_state,
        it.summary,
        t.raw,
        t.indicator,
        t.value,
        t.value_max,
        t.unit,
        t.qualifier,
        t.approx,
        t.year,
        t.as_of,
        t.note,
        a.raw,
        a.indicator,
        a.value,
        a.value_max,
        a.unit,
        a.qualifier,
        a.approx,
        a.year,
        a.as_of,
        a.note,
        direction,
        direction_rule,
        it.pages.map(|p| p.start),
        it.pages.map(|p| p.end),
    ])?;

    let mut ini_stmt = tx.prepare_cached(
        "INSERT INTO initiatives (report_id, item_key, no, text, progress_symbol,
             progress_label, actions, next_steps)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut mark_stmt = tx.prepare_cached(
        "INSERT INTO schedule (report_id, item_key, initiative_no, year, phase)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for ini in &it.initiatives {
        ini_stmt.execute(params![
            id,
            it.item_key,
            ini.no,
            ini.text,
            ini.progress.as_ref().and_then(|p| p.symbol.as_deref()),
            ini.progress.as_ref().and_then(|p| p.label.as_deref()),
            ini.actions,
            ini.next_steps,
        ])?;
        for m in &ini.schedule {
            mark_stmt.execute(params![id, it.item_key, ini.no, m.year, m.phase])?;
        }
    }
    Ok(())
}
