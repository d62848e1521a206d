//! The tidy tables, defined once: every column with its English and Japanese name, type,
//! descriptions and the value it takes from a document, every table with its primary and
//! foreign keys. The same definitions give the CSV headers (`--header-lang`) and rows, the data
//! package's Table Schemas (`datapackage.rs`) and the SQLite DDL and rows (`sqlite.rs`), so the
//! three cannot drift apart.
//!
//! The unit of every table is a [`ReportSet`]: one report (one `report_id`) with every source
//! it was read from. `reports` has one row per report, `sources` one per input file (by its
//! sha256), and the item-level tables carry the report once, from its primary source, so that
//! every foreign key resolves and every join is 1:1.
//!
//! Tables follow the 2020 rules of 総務省 for machine-readable data: one value per cell
//! (`item_departments` beside the display column `departments`), numbers as plain numbers,
//! 西暦 years, units in their own column, and key columns without platform-dependent characters
//! (`item_key` 1-1 beside `item_number` 1-①).

use std::collections::{BTreeMap, HashSet};

use crate::model::{
    format_number, report_id_of, Correction, Document, Extra, Group, Initiative, Item, Kpi, Level,
    ScheduleMark, Warning,
};

/// Table Schema field types used here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Integer,
    Number,
    Boolean,
    Date,
}

impl Type {
    pub fn name(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Date => "date",
        }
    }

    /// The SQLite column type (booleans are 0/1, dates ISO text).
    pub fn sql(self) -> &'static str {
        match self {
            Type::String | Type::Date => "TEXT",
            Type::Integer | Type::Boolean => "INTEGER",
            Type::Number => "REAL",
        }
    }
}

/// One value of a row. CSV writes it as text (empty for null), SQLite binds it typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
    Bool(bool),
}

impl Cell {
    /// The CSV form: plain numbers (`2310000000`), `true`/`false`, empty for null.
    pub fn to_csv(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(v) => v.to_string(),
            Cell::Real(v) => format_number(*v),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

fn text(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Cell {
    s.map_or(Cell::Null, text)
}

fn opt_int<T: Into<i64>>(v: Option<T>) -> Cell {
    v.map_or(Cell::Null, |v| Cell::Int(v.into()))
}

fn count(n: usize) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn opt_real(v: Option<f64>) -> Cell {
    v.map_or(Cell::Null, Cell::Real)
}

/// A column: its names, type and descriptions.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub ja: String,
    pub ty: Type,
    pub en_desc: String,
    pub ja_desc: String,
    /// Never empty (primary key columns always are).
    pub required: bool,
    /// The only values the column takes, where it is a code list.
    pub values: Option<Vec<&'static str>>,
}

/// How a row of type `R` fills a column.
enum Getter<R> {
    Plain(fn(&R) -> Cell),
    /// A field of one of the row's Kpis.
    Kpi(fn(&R) -> Option<&Kpi>, fn(&Kpi) -> Cell),
}

/// A column and how a row of type `R` fills it.
struct Def<R> {
    col: Column,
    get: Getter<R>,
}

impl<R> Def<R> {
    fn cell(&self, row: &R) -> Cell {
        match &self.get {
            Getter::Plain(f) => f(row),
            Getter::Kpi(kpi, f) => kpi(row).map_or(Cell::Null, f),
        }
    }
}

fn def<R>(
    name: &str,
    ja: &str,
    ty: Type,
    en_desc: &str,
    ja_desc: &str,
    get: fn(&R) -> Cell,
) -> Def<R> {
    Def {
        col: Column {
            name: name.into(),
            ja: ja.into(),
            ty,
            en_desc: en_desc.into(),
            ja_desc: ja_desc.into(),
            required: false,
            values: None,
        },
        get: Getter::Plain(get),
    }
}

impl<R> Def<R> {
    fn required(mut self) -> Self {
        self.col.required = true;
        self
    }

    fn kpi(mut self, kpi: fn(&R) -> Option<&Kpi>, get: fn(&Kpi) -> Cell) -> Self {
        self.get = Getter::Kpi(kpi, get);
        self
    }

    fn one_of(mut self, values: Vec<&'static str>) -> Self {
        self.col.values = Some(values);
        self
    }
}

fn level_names() -> Vec<&'static str> {
    Level::ALL.iter().map(|l| l.as_str()).collect()
}

/// One report and every source it was read from: the unit of all tables.
#[derive(Debug, Clone)]
pub struct ReportSet<'a> {
    /// [`report_id_of`] the documents.
    pub id: String,
    /// The source whose reading the item-level tables carry: the first of `sources`.
    pub doc: &'a Document,
    /// Every source of the report, one per sha256, ordered by file name then sha256.
    pub sources: Vec<&'a Document>,
    /// `doc`'s item keys made unique, in item order (see [`unique_keys`]).
    pub keys: Vec<String>,
}

/// Group documents into reports, sorted by municipality, fiscal year and report_id. A source
/// (sha256) given more than once is taken once (the first by file name); the same report from
/// several sources is one set whose primary source is the first by file name.
pub fn group<'a>(docs: &[&'a Document]) -> Vec<ReportSet<'a>> {
    let mut sorted: Vec<&Document> = docs.to_vec();
    sorted.sort_by(|a, b| {
        (&a.source.file, &a.source.sha256).cmp(&(&b.source.file, &b.source.sha256))
    });
    let mut seen = HashSet::new();
    let mut by_id: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
    for d in sorted {
        if seen.insert(d.source.sha256.clone()) {
            by_id.entry(report_id_of(d)).or_default().push(d);
        }
    }
    let mut sets: Vec<ReportSet> = by_id
        .into_iter()
        .map(|(id, sources)| ReportSet {
            id,
            doc: sources[0],
            keys: unique_keys(&sources[0].items),
            sources,
        })
        .collect();
    sets.sort_by(|a, b| {
        (&a.doc.report.municipality, a.doc.report.fiscal_year, &a.id).cmp(&(
            &b.doc.report.municipality,
            b.doc.report.fiscal_year,
            &b.id,
        ))
    });
    sets
}

/// Item keys unique within the report, by the reader's rule: a key seen before gets `_2`, `_3`
/// … in document order (`1-4`, `1-4_2`). A no-op for documents of the current reader, which
/// keys repeated 項目番号 so already; documents of an older one may repeat a key.
pub fn unique_keys(items: &[Item]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    let all: HashSet<&str> = items.iter().map(|i| i.item_key.as_str()).collect();
    items
        .iter()
        .map(|it| {
            let mut key = it.item_key.clone();
            let mut n = 2;
            while used.contains(&key) {
                key = format!("{}_{n}", it.item_key);
                n += 1;
                // Never take a key another item has on its own.
                while all.contains(key.as_str()) && key != it.item_key {
                    key = format!("{}_{n}", it.item_key);
                    n += 1;
                }
            }
            used.insert(key.clone());
            key
        })
        .collect()
}

/// A row of `reports`.
pub struct ReportRow<'a> {
    set: &'a ReportSet<'a>,
}

/// A row of `sources`.
pub struct SourceRow<'a> {
    set: &'a ReportSet<'a>,
    doc: &'a Document,
}

/// A row of `items`, and the item a row of a child table belongs to.
#[derive(Clone, Copy)]
pub struct ItemRow<'a> {
    set: &'a ReportSet<'a>,
    key: &'a str,
    item: &'a Item,
}

/// A row of a child table of `items`: the n-th (`seq`, from 1) value of a list of the item.
pub struct Part<'a, T> {
    row: ItemRow<'a>,
    seq: usize,
    v: &'a T,
}

/// A row of `schedule`.
pub struct MarkRow<'a> {
    row: ItemRow<'a>,
    ini: &'a Initiative,
    mark: &'a ScheduleMark,
}

/// A row of `warnings` or `corrections`: the n-th entry (from 1) of the document's list.
pub struct Entry<'a, T> {
    set: &'a ReportSet<'a>,
    seq: usize,
    v: &'a T,
}

/// Rows that belong to a report.
trait InReport {
    fn set(&self) -> &ReportSet<'_>;
}

/// Rows that belong to an item.
trait InItem: InReport {
    fn item_key(&self) -> &str;
}

impl InReport for ReportRow<'_> {
    fn set(&self) -> &ReportSet<'_> {
        self.set
    }
}
impl InReport for SourceRow<'_> {
    fn set(&self) -> &ReportSet<'_> {
        self.set
    }
}
impl InReport for ItemRow<'_> {
    fn set(&self) -> &ReportSet<'_> {
        self.set
    }
}
impl InItem for ItemRow<'_> {
    fn item_key(&self) -> &str {
        self.key
    }
}
impl<T> InReport for Part<'_, T> {
    fn set(&self) -> &ReportSet<'_> {
        self.row.set
    }
}
impl<T> InItem for Part<'_, T> {
    fn item_key(&self) -> &str {
        self.row.key
    }
}
impl InReport for MarkRow<'_> {
    fn set(&self) -> &ReportSet<'_> {
        self.row.set
    }
}
impl InItem for MarkRow<'_> {
    fn item_key(&self) -> &str {
        self.row.key
    }
}
impl<T> InReport for Entry<'_, T> {
    fn set(&self) -> &ReportSet<'_> {
        self.set
    }
}

fn report_id_def<R: InReport>() -> Def<R> {
    def(
        "report_id",
        "報告書ID",
        Type::String,
        "Stable id of the report (municipality + plan + fiscal year); joins the tables.",
        "報告書の識別子（自治体・計画・年度から作成）。表の結合に使う。",
        |r: &R| text(&r.set().id),
    )
    .required()
}

/// report_id, municipality, fiscal_year: every row of a report's tables carries them, so that
/// tables of many reports concatenate.
fn report_columns<R: InReport>() -> Vec<Def<R>> {
    vec![
        report_id_def(),
        def(
            "municipality",
            "自治体名",
            Type::String,
            "Municipality, from the report's title lines.",
            "自治体名（表題から）。",
            |r: &R| opt_text(r.set().doc.report.municipality.as_deref()),
        ),
        def(
            "fiscal_year",
            "報告年度",
            Type::Integer,
            "Fiscal year the report covers (Western year).",
            "報告の対象年度（西暦）。",
            |r: &R| opt_int(r.set().doc.report.fiscal_year),
        ),
    ]
}

/// The report columns and item_key.
fn item_columns<R: InItem>() -> Vec<Def<R>> {
    let mut v = report_columns();
    v.push(
        def(
            "item_key",
            "項目キー",
            Type::String,
            "Item number in ASCII, unique within the report (1-1 for 1-①; a repeated number gets _2).",
            "項目番号の半角表記。報告書内で一意（1-①なら1-1、重複した番号には_2）。",
            |r: &R| text(r.item_key()),
        )
        .required(),
    );
    v
}

/// The ten columns of a Kpi, named `{prefix}_{field}` (or `{field}` without a prefix).
fn kpi_columns<R>(
    prefix: &str,
    ja_prefix: &str,
    en_side: &str,
    kpi: fn(&R) -> Option<&Kpi>,
) -> Vec<Def<R>> {
    let name = |f: &str| {
        if prefix.is_empty() {
            f.to_string()
        } else {
            format!("{prefix}_{f}")
        }
    };
    let ja = |f: &str| {
        if ja_prefix.is_empty() {
            f.to_string()
        } else {
            format!("{ja_prefix}_{f}")
        }
    };
    let c = |f: &str, jf: &str, ty: Type, en: &str, jd: &str, get: fn(&Kpi) -> Cell| {
        def(
            &name(f),
            &ja(jf),
            ty,
            &format!("{en_side}: {en}"),
            &format!(
                "{}{jd}",
                if ja_prefix.is_empty() {
                    "値"
                } else {
                    ja_prefix
                }
            ),
            |_: &R| Cell::Null,
        )
        .kpi(kpi, get)
    };
    vec![
        c(
            "raw",
            "原文",
            Type::String,
            "the text as printed (the 【…】 content)",
            "の原文（【】内）",
            |k| text(&k.raw),
        ),
        c(
            "indicator",
            "指標",
            Type::String,
            "what is measured",
            "の指標名",
            |k| opt_text(k.indicator.as_deref()),
        ),
        c(
            "value",
            "値",
            Type::Number,
            "the value, multipliers applied (万, 億, 千円 → 円)",
            "の値（万・億などを換算）",
            |k| opt_real(k.value),
        ),
        c(
            "value_max",
            "上限値",
            Type::Number,
            "upper end of a range",
            "の範囲の上限値",
            |k| opt_real(k.value_max),
        ),
        c(
            "unit",
            "単位",
            Type::String,
            "unit of the value",
            "の単位",
            |k| opt_text(k.unit.as_deref()),
        ),
        c(
            "qualifier",
            "条件",
            Type::String,
            "以上, 以下, 未満, 超, 減 or 増",
            "の条件（以上・以下・未満・超・減・増）",
            |k| opt_text(k.qualifier.as_deref()),
        ),
        c(
            "approx",
            "概数",
            Type::Boolean,
            "marked 約 or 程度",
            "の約・程度の有無",
            |k| Cell::Bool(k.approx),
        ),
        c(
            "year",
            "年度",
            Type::Integer,
            "the 年度 it refers to",
            "の対象年度",
            |k| opt_int(k.year),
        ),
        c(
            "as_of",
            "時点",
            Type::Date,
            "date of a 時点/現在 value",
            "の時点・現在の日付",
            |k| opt_text(k.as_of.as_deref()),
        ),
        c(
            "note",
            "注記",
            Type::String,
            "notes in parentheses and ※ remarks",
            "の括弧内の注記と※の注記",
            |k| opt_text(k.note.as_deref()),
        ),
    ]
}

/// The judgement of an item's KPI (crate::goal), the only place "met" is decided.
fn verdict(it: &Item) -> Option<crate::goal::Verdict> {
    it.kpi_target
        .as_ref()
        .and_then(|t| crate::goal::judge(t, it.kpi_actual.as_ref()))
}

fn has_kpi(it: &Item) -> bool {
    it.kpi_target.is_some() || it.kpi_actual.is_some()
}

/// `大項目 3 健全な財政運営 > 中項目 イ 財源の確保と資産の有効活用`.
pub fn groups_path(groups: &[Group]) -> Option<String> {
    let parts: Vec<String> = groups
        .iter()
        .map(|g| {
            [&g.label, &g.number, &g.title]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(" > "))
}

fn report_defs<'a>() -> Vec<Def<ReportRow<'a>>> {
    type R<'x> = ReportRow<'x>;
    vec![
        def(
            "report_id",
            "報告書ID",
            Type::String,
            "Stable id of the report (municipality + plan + fiscal year; a report whose municipality or year could not be read gets its source's sha256 mixed in).",
            "報告書の識別子（自治体・計画・年度から作成。自治体名か年度が読めない報告書は入力ファイルのSHA-256も加える）。",
            |r: &R| text(&r.set.id),
        )
        .required(),
        def("municipality", "自治体名", Type::String, "Municipality, from the report's title lines.", "自治体名（表題から）。", |r: &R| {
            opt_text(r.set.doc.report.municipality.as_deref())
        }),
        def("plan_title", "計画名", Type::String, "Plan title without its period.", "計画名（期間を除く）。", |r: &R| {
            opt_text(r.set.doc.report.plan_title.as_deref())
        }),
        def("plan_start", "計画開始年度", Type::Integer, "First fiscal year of the plan.", "計画期間の開始年度（西暦）。", |r: &R| {
            opt_int(r.set.doc.report.plan_period.map(|p| p.start))
        }),
        def("plan_end", "計画終了年度", Type::Integer, "Last fiscal year of the plan.", "計画期間の終了年度（西暦）。", |r: &R| {
            opt_int(r.set.doc.report.plan_period.map(|p| p.end))
        }),
        def("title", "報告書名", Type::String, "Report title without the year.", "報告書名（年度を除く）。", |r: &R| {
            opt_text(r.set.doc.report.title.as_deref())
        }),
        def("fiscal_year", "報告年度", Type::Integer, "Fiscal year the report covers (Western year).", "報告の対象年度（西暦）。", |r: &R| {
            opt_int(r.set.doc.report.fiscal_year)
        }),
        def("profile", "様式", Type::String, "Report family (profile) the report was read as.", "読み取りに使った報告書の様式（プロファイル）。", |r: &R| {
            opt_text(r.set.doc.profile.as_ref().map(|p| p.id.as_str()))
        }),
        def("profile_origin", "様式の出所", Type::String, "builtin, or file for a profile the user passed.", "builtin（内蔵）または file（利用者が指定）。", |r: &R| {
            opt_text(r.set.doc.profile.as_ref().map(|p| p.origin.as_str()))
        }),
        def("schema_version", "出力仕様の版", Type::String, "Version of the output contract the report's JSON follows.", "JSON出力仕様の版。", |r: &R| {
            text(&r.set.doc.schema_version)
        })
        .required(),
        def("file", "ファイル", Type::String, "The source the item tables were read from (see sources).", "項目の表の読み取り元ファイル（sources参照）。", |r: &R| {
            text(&r.set.doc.source.file)
        }),
        def("sha256", "SHA-256", Type::String, "SHA-256 of that source.", "読み取り元ファイルのSHA-256。", |r: &R| {
            text(&r.set.doc.source.sha256)
        }),
        def("source_count", "入力ファイル数", Type::Integer, "Number of sources (files) that hold this report.", "この報告書を含む入力ファイルの数。", |r: &R| {
            count(r.set.sources.len())
        })
        .required(),
        def("item_count", "項目数", Type::Integer, "Number of action items read.", "読み取った実施項目の数。", |r: &R| {
            count(r.set.doc.items.len())
        })
        .required(),
        def("warning_count", "警告数", Type::Integer, "Number of warnings (rows in warnings).", "警告の数（warningsの行数）。", |r: &R| {
            count(r.set.doc.warnings.len())
        })
        .required(),
        def("correction_count", "補正数", Type::Integer, "Number of corrections (rows in corrections).", "補正の数（correctionsの行数）。", |r: &R| {
            count(r.set.doc.corrections.len())
        })
        .required(),
    ]
}

fn source_defs<'a>() -> Vec<Def<SourceRow<'a>>> {
    type R<'x> = SourceRow<'x>;
    vec![
        def(
            "sha256",
            "SHA-256",
            Type::String,
            "SHA-256 of the input bytes: the source's identity.",
            "入力ファイルのSHA-256（ファイルの識別子）。",
            |r: &R| text(&r.doc.source.sha256),
        )
        .required(),
        report_id_def(),
        def(
            "file",
            "ファイル",
            Type::String,
            "Input file, relative to the folder or path given on the command line.",
            "入力ファイル（コマンドラインで指定したフォルダ・パスからの相対パス）。",
            |r: &R| text(&r.doc.source.file),
        )
        .required(),
        def(
            "format",
            "形式",
            Type::String,
            "pdf, text or scan.",
            "pdf・text・scan。",
            |r: &R| text(&r.doc.source.format),
        )
        .required(),
        def(
            "encoding",
            "文字コード",
            Type::String,
            "Detected text encoding (text input only).",
            "検出した文字コード（テキストのみ）。",
            |r: &R| opt_text(r.doc.source.encoding.as_deref()),
        ),
        def(
            "pages",
            "ページ数",
            Type::Integer,
            "Page count (PDF only).",
            "ページ数（PDFのみ）。",
            |r: &R| opt_int(r.doc.source.pages),
        ),
        def(
            "producer",
            "作成ソフト",
            Type::String,
            "PDF /Producer.",
            "PDFの作成ソフト（/Producer）。",
            |r: &R| opt_text(r.doc.source.producer.as_deref()),
        ),
        def(
            "ocr_engine",
            "OCRエンジン",
            Type::String,
            "OCR engine and version (scans only).",
            "OCRエンジンと版（スキャンのみ）。",
            |r: &R| {
                opt_text(
                    r.doc
                        .source
                        .ocr
                        .as_ref()
                        .map(|o| format!("{} {}", o.engine, o.engine_version))
                        .as_deref(),
                )
            },
        ),
        def(
            "ocr_model",
            "OCRモデル",
            Type::String,
            "OCR recognition model (scans only).",
            "OCRの認識モデル（スキャンのみ）。",
            |r: &R| opt_text(r.doc.source.ocr.as_ref().map(|o| o.model.as_str())),
        ),
        def(
            "item_count",
            "項目数",
            Type::Integer,
            "Number of action items read from this source.",
            "このファイルから読み取った実施項目の数。",
            |r: &R| count(r.doc.items.len()),
        )
        .required(),
        def(
            "warning_count",
            "警告数",
            Type::Integer,
            "Number of warnings for this source (its JSON lists them).",
            "このファイルの警告の数（JSONに記載）。",
            |r: &R| count(r.doc.warnings.len()),
        )
        .required(),
        def(
            "primary_source",
            "採用",
            Type::Boolean,
            "true for the source the item tables were read from.",
            "項目の表の読み取り元であれば true。",
            |r: &R| Cell::Bool(std::ptr::eq(r.doc, r.set.doc)),
        )
        .required(),
    ]
}

fn item_defs<'a>() -> Vec<Def<ItemRow<'a>>> {
    type R<'x> = ItemRow<'x>;
    let mut v = item_columns::<R>();
    v.extend([
        def(
            "item_number",
            "項目番号",
            Type::String,
            "Item number as printed (1-①, No.82).",
            "項目番号（表記どおり）。",
            |r: &R| text(&r.item.item_number),
        )
        .required(),
        def(
            "pillar",
            "基本方針番号",
            Type::Integer,
            "First numeric level of the number, when it has two or more.",
            "項目番号の最初の数字（2段以上の番号のとき）。",
            |r: &R| opt_int(r.item.pillar),
        ),
        def(
            "seq",
            "項目連番",
            Type::Integer,
            "Last numeric level of the number.",
            "項目番号の最後の数字。",
            |r: &R| opt_int(r.item.seq),
        ),
        def(
            "title",
            "実施項目",
            Type::String,
            "Action item title (実施項目).",
            "実施項目。",
            |r: &R| opt_text(r.item.title.as_deref()),
        ),
        def(
            "departments",
            "主管課",
            Type::String,
            "Responsible departments joined with ; (for display; one per row in item_departments).",
            "主管課（;区切りの表示用。1課1行はitem_departments）。",
            |r: &R| text(&r.item.departments.join(";")),
        ),
        def(
            "current_issues",
            "現状と課題",
            Type::String,
            "Current state and issues (現状と課題).",
            "現状と課題。",
            |r: &R| opt_text(r.item.current_issues.as_deref()),
        ),
        def(
            "target_state",
            "目指す姿",
            Type::String,
            "Target state (目指す姿) without its numeric target.",
            "目指す姿（数値目標を除く）。",
            |r: &R| opt_text(r.item.target_state.as_deref()),
        ),
    ]);
    v.extend(kpi_columns(
        "kpi_target",
        "数値目標",
        "numeric target",
        |r: &R| r.item.kpi_target.as_ref(),
    ));
    v.extend(kpi_columns("kpi_actual", "実績値", "result", |r: &R| {
        r.item.kpi_actual.as_ref()
    }));
    v.extend([
        def("kpi_direction", "数値目標_方向", Type::String, "higher or lower is better (see kpi_direction_rule).", "数値が大きい方が良い(higher)か小さい方が良い(lower)か。", |r: &R| {
            opt_text(verdict(r.item).map(|v| v.goal.direction()))
        })
        .one_of(vec!["higher", "lower"]),
        def("kpi_direction_rule", "数値目標_方向の根拠", Type::String, "What decided the direction: the target's 以上 以下 未満 超 減 増, or assumed 以上 / assumed 以下.", "方向の根拠（目標の以上・以下等、または assumed 以上／assumed 以下）。", |r: &R| {
            opt_text(verdict(r.item).map(|v| v.rule))
        }),
        def("kpi_comparable", "数値目標_比較可否", Type::Boolean, "true when target and result are numbers in the same unit that can be compared.", "目標と実績が同じ単位の数値で比較できれば true。", |r: &R| {
            if has_kpi(r.item) {
                Cell::Bool(verdict(r.item).is_some_and(|v| v.comparable))
            } else {
                Cell::Null
            }
        }),
        def("kpi_met", "数値目標_達成", Type::Boolean, "Whether the result meets the target, in the target's direction; empty unless comparable.", "実績が目標を達成しているか（比較できる場合のみ）。", |r: &R| {
            verdict(r.item).and_then(|v| v.met).map_or(Cell::Null, Cell::Bool)
        }),
        def("kpi_attainment", "数値目標_達成率", Type::Number, "Progress towards the target in its direction: result/target when higher is better, target/result when lower is; 1 = target reached.", "目標への到達度（大きい方が良い目標は実績/目標、小さい方が良い目標は目標/実績。1で達成）。", |r: &R| {
            opt_real(verdict(r.item).and_then(|v| v.attainment))
        }),
        def("summary", "総括評価", Type::String, "The item's result narrative (総括評価, 取組実績 …) without the result bracket.", "総括評価・取組実績など（実績値の【】を除く）。", |r: &R| {
            opt_text(r.item.summary.as_deref())
        }),
        def("assessment_symbol", "評価記号", Type::String, "The item's rating as printed: its symbol (A, ◎ …).", "項目の評価の記号（表記どおり）。", |r: &R| {
            opt_text(r.item.assessment.as_ref().and_then(|a| a.symbol.as_deref()))
        }),
        def("assessment_label", "評価", Type::String, "The item's rating as printed: its word (計画どおり …).", "項目の評価の語（表記どおり）。", |r: &R| {
            opt_text(r.item.assessment.as_ref().and_then(|a| a.label.as_deref()))
        }),
        def("assessment_level", "評価水準", Type::String, "The item's rating on the common scale of contract v2 (on_track …).", "項目の評価の共通尺度（on_track など）。", |r: &R| {
            opt_text(r.item.assessment.as_ref().and_then(|a| a.level).map(Level::as_str))
        })
        .one_of(level_names()),
        def("next_steps", "今後の方向性", Type::String, "The item's own next steps (今後の方向性, 今後の課題 …).", "項目の今後の方向性・今後の課題など。", |r: &R| {
            opt_text(r.item.next_steps.as_deref())
        }),
        def("groups", "区分", Type::String, "The headings the item stands under, outermost first, as 'label number title' joined with ' > ' (one per row in item_groups).", "項目が属する見出し（外側から「区分名 番号 タイトル」を「 > 」で連結。1行1見出しはitem_groups）。", |r: &R| {
            opt_text(groups_path(&r.item.groups).as_deref())
        }),
        def("pages_start", "開始ページ", Type::Integer, "First PDF page of the item.", "項目の最初のページ（PDFのみ）。", |r: &R| {
            opt_int(r.item.pages.map(|p| p.start))
        }),
        def("pages_end", "終了ページ", Type::Integer, "Last PDF page of the item.", "項目の最後のページ（PDFのみ）。", |r: &R| {
            opt_int(r.item.pages.map(|p| p.end))
        }),
    ]);
    v
}

/// `seq`: the position of a row's value within its item, from 1.
fn seq_def<'a, T>(en: &str, ja_desc: &str) -> Def<Part<'a, T>> {
    def(
        "seq",
        "順番",
        Type::Integer,
        en,
        ja_desc,
        |r: &Part<T>| count(r.seq),
    )
    .required()
}

fn department_defs<'a>() -> Vec<Def<Part<'a, String>>> {
    type R<'x> = Part<'x, String>;
    let mut v = item_columns::<R>();
    v.extend([
        seq_def(
            "Position of the department in the item's 主管課, from 1.",
            "主管課の中の順番（1から）。",
        ),
        def(
            "department",
            "主管課",
            Type::String,
            "One responsible department.",
            "主管課（1行に1課）。",
            |r: &R| text(r.v),
        )
        .required(),
    ]);
    v
}

fn group_defs<'a>() -> Vec<Def<Part<'a, Group>>> {
    type R<'x> = Part<'x, Group>;
    let mut v = item_columns::<R>();
    v.extend([
        def(
            "depth",
            "階層",
            Type::Integer,
            "Level of the heading, 1 for the outermost.",
            "見出しの階層（外側が1）。",
            |r: &R| count(r.seq),
        )
        .required(),
        def(
            "label",
            "区分名",
            Type::String,
            "The heading's kind as printed (基本方針, 大項目, 視点 …).",
            "見出しの種類（表記どおり）。",
            |r: &R| opt_text(r.v.label.as_deref()),
        ),
        def(
            "number",
            "区分番号",
            Type::String,
            "The heading's number as printed.",
            "見出しの番号（表記どおり）。",
            |r: &R| opt_text(r.v.number.as_deref()),
        ),
        def(
            "title",
            "区分タイトル",
            Type::String,
            "The heading's title.",
            "見出しのタイトル。",
            |r: &R| opt_text(r.v.title.as_deref()),
        ),
    ]);
    v
}

fn initiative_defs<'a>() -> Vec<Def<Part<'a, Initiative>>> {
    type R<'x> = Part<'x, Initiative>;
    let mut v = item_columns::<R>();
    v.extend([
        def(
            "no",
            "取組番号",
            Type::Integer,
            "Initiative number N (取組内容 N, or the position of the measure).",
            "取組内容の番号。",
            |r: &R| Cell::Int(r.v.no.into()),
        )
        .required(),
        def(
            "text",
            "取組内容",
            Type::String,
            "Initiative as written in the plan (取組の内容).",
            "取組の内容。",
            |r: &R| opt_text(r.v.text.as_deref()),
        ),
        def(
            "progress_symbol",
            "進捗記号",
            Type::String,
            "Progress as printed: its symbol (○ ◎ △ × -).",
            "進捗状況の記号（表記どおり）。",
            |r: &R| opt_text(r.v.progress.as_ref().and_then(|p| p.symbol.as_deref())),
        ),
        def(
            "progress_label",
            "進捗状況",
            Type::String,
            "Progress as printed: its word (順調, 達成, 未着手 …).",
            "進捗状況（表記どおり）。",
            |r: &R| opt_text(r.v.progress.as_ref().and_then(|p| p.label.as_deref())),
        ),
        def(
            "actions",
            "実施内容",
            Type::String,
            "What was done in the report year.",
            "報告年度の実施内容。",
            |r: &R| opt_text(r.v.actions.as_deref()),
        ),
        def(
            "next_steps",
            "次年度に向けた改善点",
            Type::String,
            "Improvements for the next year.",
            "次年度に向けた改善点。",
            |r: &R| opt_text(r.v.next_steps.as_deref()),
        ),
        def(
            "progress_level",
            "進捗水準",
            Type::String,
            "Progress on the common scale of contract v2 (on_track …).",
            "進捗状況の共通尺度（on_track など）。",
            |r: &R| {
                opt_text(
                    r.v.progress
                        .as_ref()
                        .and_then(|p| p.level)
                        .map(Level::as_str),
                )
            },
        )
        .one_of(level_names()),
    ]);
    v
}

fn schedule_defs<'a>() -> Vec<Def<MarkRow<'a>>> {
    type R<'x> = MarkRow<'x>;
    let mut v = item_columns::<R>();
    v.extend([
        def(
            "initiative_no",
            "取組番号",
            Type::Integer,
            "Initiative number N.",
            "取組内容の番号。",
            |r: &R| Cell::Int(r.ini.no.into()),
        )
        .required(),
        def(
            "year",
            "年度",
            Type::Integer,
            "Fiscal year of the grid column.",
            "取組期間の年度（西暦）。",
            |r: &R| Cell::Int(r.mark.year.into()),
        )
        .required(),
        def(
            "phase",
            "段階",
            Type::String,
            "Phase word (実施, 検討, 導入 …): the phase starts that year.",
            "段階（実施・検討・導入など）。その年度に始まる。",
            |r: &R| text(&r.mark.phase),
        )
        .required(),
    ]);
    v
}

fn effect_defs<'a>() -> Vec<Def<Part<'a, Kpi>>> {
    type R<'x> = Part<'x, Kpi>;
    let mut v = item_columns::<R>();
    v.push(seq_def(
        "Position of the effect within its item, from 1.",
        "項目内の順番（1から）。",
    ));
    v.extend(kpi_columns(
        "",
        "",
        "financial effect (効果額 …), amounts in 円",
        |r: &R| Some(r.v),
    ));
    v
}

fn extra_defs<'a>() -> Vec<Def<Part<'a, Extra>>> {
    type R<'x> = Part<'x, Extra>;
    let mut v = item_columns::<R>();
    v.extend([
        seq_def(
            "Position of the field within its item, from 1.",
            "項目内の順番（1から）。",
        ),
        def(
            "label",
            "見出し",
            Type::String,
            "The field's label as printed (特記事項 …).",
            "欄の見出し（表記どおり）。",
            |r: &R| text(&r.v.label),
        )
        .required(),
        def(
            "text",
            "内容",
            Type::String,
            "The field's text.",
            "欄の内容。",
            |r: &R| text(&r.v.text),
        ),
    ]);
    v
}

fn warning_defs<'a>() -> Vec<Def<Entry<'a, Warning>>> {
    type R<'x> = Entry<'x, Warning>;
    let mut v = report_columns::<R>();
    v.extend([
        def("seq", "順番", Type::Integer, "Position in the report's warnings, from 1.", "警告の順番（1から）。", |r: &R| count(r.seq)).required(),
        def("code", "コード", Type::String, "What is doubtful (schedule_missing, item_unreadable …; see the README).", "警告の種類（READMEを参照）。", |r: &R| {
            text(r.v.code.as_str())
        })
        .required(),
        def("severity", "重大度", Type::String, "info (as printed, worth knowing), warning (a value may be wrong or missing) or error (text was lost).", "info（参考）・warning（値が誤り・欠落の可能性）・error（本文が失われた）。", |r: &R| {
            text(r.v.code.severity().as_str())
        })
        .required()
        .one_of(vec!["info", "warning", "error"]),
        def("item_number", "項目番号", Type::String, "The item it concerns, as printed; empty for the whole report.", "対象の項目番号（報告書全体なら空）。", |r: &R| {
            opt_text(r.v.item_number.as_deref())
        }),
        def("field", "欄", Type::String, "The JSON field it concerns (initiatives[2].schedule).", "対象のJSONの欄。", |r: &R| {
            opt_text(r.v.field.as_deref())
        }),
        def("message", "内容", Type::String, "What was found, in one line.", "警告の内容。", |r: &R| text(&r.v.message)).required(),
    ]);
    v
}

fn correction_defs<'a>() -> Vec<Def<Entry<'a, Correction>>> {
    type R<'x> = Entry<'x, Correction>;
    let mut v = report_columns::<R>();
    v.extend([
        def(
            "seq",
            "順番",
            Type::Integer,
            "Position in the report's corrections, from 1.",
            "補正の順番（1から）。",
            |r: &R| count(r.seq),
        )
        .required(),
        def(
            "item_number",
            "項目番号",
            Type::String,
            "The item it concerns, as printed.",
            "対象の項目番号。",
            |r: &R| opt_text(r.v.item_number.as_deref()),
        ),
        def(
            "field",
            "欄",
            Type::String,
            "The JSON field that was corrected.",
            "補正したJSONの欄。",
            |r: &R| text(&r.v.field),
        )
        .required(),
        def(
            "from",
            "補正前",
            Type::String,
            "The value as printed.",
            "補正前の値（表記どおり）。",
            |r: &R| text(&r.v.from),
        )
        .required(),
        def(
            "to",
            "補正後",
            Type::String,
            "The value after the correction.",
            "補正後の値。",
            |r: &R| text(&r.v.to),
        )
        .required(),
        def(
            "rule",
            "規則",
            Type::String,
            "The rule that made the correction.",
            "補正の規則。",
            |r: &R| text(&r.v.rule),
        )
        .required(),
    ]);
    v
}

/// A foreign key: `fields` of this table reference `ref_fields` of `table`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub fields: Vec<&'static str>,
    pub table: Table,
    pub ref_fields: Vec<&'static str>,
}

/// Which table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Reports,
    Sources,
    Items,
    ItemDepartments,
    ItemGroups,
    Initiatives,
    Schedule,
    Effects,
    Extra,
    Warnings,
    Corrections,
}

fn render<R>(defs: &[Def<R>], rows: impl IntoIterator<Item = R>) -> Vec<Vec<Cell>> {
    rows.into_iter()
        .map(|r| defs.iter().map(|d| d.cell(&r)).collect())
        .collect()
}

fn columns_of<R>(defs: Vec<Def<R>>) -> Vec<Column> {
    defs.into_iter().map(|d| d.col).collect()
}

fn item_rows<'a>(set: &'a ReportSet<'a>) -> impl Iterator<Item = ItemRow<'a>> + 'a {
    set.doc
        .items
        .iter()
        .zip(&set.keys)
        .map(move |(item, key)| ItemRow { set, key, item })
}

fn parts<'a, T: 'a>(
    set: &'a ReportSet<'a>,
    list: fn(&'a Item) -> &'a [T],
) -> impl Iterator<Item = Part<'a, T>> + 'a {
    item_rows(set).flat_map(move |row| {
        list(row.item)
            .iter()
            .enumerate()
            .map(move |(i, v)| Part { row, seq: i + 1, v })
    })
}

fn entries<'a, T>(set: &'a ReportSet<'a>, list: &'a [T]) -> impl Iterator<Item = Entry<'a, T>> {
    list.iter()
        .enumerate()
        .map(move |(i, v)| Entry { set, seq: i + 1, v })
}

impl Table {
    /// In dependency order: a table comes after the tables it references.
    pub const ALL: [Table; 11] = [
        Table::Reports,
        Table::Sources,
        Table::Items,
        Table::ItemDepartments,
        Table::ItemGroups,
        Table::Initiatives,
        Table::Schedule,
        Table::Effects,
        Table::Extra,
        Table::Warnings,
        Table::Corrections,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Reports => "reports",
            Table::Sources => "sources",
            Table::Items => "items",
            Table::ItemDepartments => "item_departments",
            Table::ItemGroups => "item_groups",
            Table::Initiatives => "initiatives",
            Table::Schedule => "schedule",
            Table::Effects => "effects",
            Table::Extra => "extra",
            Table::Warnings => "warnings",
            Table::Corrections => "corrections",
        }
    }

    pub fn file_name(self) -> String {
        format!("{}.csv", self.name())
    }

    pub fn description(self) -> (&'static str, &'static str) {
        match self {
            Table::Reports => ("One row per report (municipality, plan and fiscal year), whatever the number of files it was read from.", "報告書（自治体・計画・年度）ごとに1行。"),
            Table::Sources => ("One row per input file (by its SHA-256) and the report it holds; several files may hold one report (a PDF and its text dump).", "入力ファイルごとに1行（SHA-256で識別）。含まれる報告書のID付き。"),
            Table::Items => ("One row per action item (項目番号) of each report, with its numeric target, result and rating.", "報告書の実施項目（項目番号）ごとに1行。数値目標・実績・評価を含む。"),
            Table::ItemDepartments => ("One row per item and responsible department (主管課).", "実施項目と主管課の組ごとに1行。"),
            Table::ItemGroups => ("One row per heading an item stands under (基本方針, 大項目 …), outermost first.", "実施項目が属する見出しごとに1行（外側から）。"),
            Table::Initiatives => ("One row per initiative (取組内容) of each item, with its progress.", "実施項目の取組内容ごとに1行。進捗状況を含む。"),
            Table::Schedule => ("One row per mark in the 取組期間 schedule grid: the year a phase starts.", "取組期間の表の記載ごとに1行。各段階（実施・検討など）の開始年度。"),
            Table::Effects => ("One row per financial effect (効果額 …) of an item, in 円.", "実施項目の効果額ごとに1行（円）。"),
            Table::Extra => ("One row per labelled field of an item that no other column takes (特記事項 …).", "他の列にない実施項目の欄ごとに1行（特記事項など）。"),
            Table::Warnings => ("One row per warning: what the reader was unsure of, with its severity.", "警告ごとに1行（読み取りで確認が必要な点と重大度）。"),
            Table::Corrections => ("One row per correction made to a controlled value (an OCR form mapped onto the vocabulary).", "統制語彙への補正ごとに1行。"),
        }
    }

    pub fn columns(self) -> Vec<Column> {
        match self {
            Table::Reports => columns_of(report_defs()),
            Table::Sources => columns_of(source_defs()),
            Table::Items => columns_of(item_defs()),
            Table::ItemDepartments => columns_of(department_defs()),
            Table::ItemGroups => columns_of(group_defs()),
            Table::Initiatives => columns_of(initiative_defs()),
            Table::Schedule => columns_of(schedule_defs()),
            Table::Effects => columns_of(effect_defs()),
            Table::Extra => columns_of(extra_defs()),
            Table::Warnings => columns_of(warning_defs()),
            Table::Corrections => columns_of(correction_defs()),
        }
    }

    /// Primary key columns.
    pub fn primary_key(self) -> Vec<&'static str> {
        let item = |more: &[&'static str]| {
            let mut v = vec!["report_id", "item_key"];
            v.extend_from_slice(more);
            v
        };
        match self {
            Table::Reports => vec!["report_id"],
            Table::Sources => vec!["sha256"],
            Table::Items => item(&[]),
            Table::ItemDepartments | Table::Effects | Table::Extra => item(&["seq"]),
            Table::ItemGroups => item(&["depth"]),
            Table::Initiatives => item(&["no"]),
            Table::Schedule => item(&["initiative_no", "year", "phase"]),
            Table::Warnings | Table::Corrections => vec!["report_id", "seq"],
        }
    }

    pub fn foreign_keys(self) -> Vec<ForeignKey> {
        let fk = |fields: &[&'static str], table: Table, ref_fields: &[&'static str]| ForeignKey {
            fields: fields.to_vec(),
            table,
            ref_fields: ref_fields.to_vec(),
        };
        let item = ["report_id", "item_key"];
        match self {
            Table::Reports => vec![],
            Table::Sources | Table::Items | Table::Warnings | Table::Corrections => {
                vec![fk(&["report_id"], Table::Reports, &["report_id"])]
            }
            Table::ItemDepartments
            | Table::ItemGroups
            | Table::Initiatives
            | Table::Effects
            | Table::Extra => vec![fk(&item, Table::Items, &item)],
            Table::Schedule => vec![fk(
                &["report_id", "item_key", "initiative_no"],
                Table::Initiatives,
                &["report_id", "item_key", "no"],
            )],
        }
    }

    /// The rows of this table for one report, in column order.
    pub fn rows(self, set: &ReportSet<'_>) -> Vec<Vec<Cell>> {
        match self {
            Table::Reports => render(&report_defs(), [ReportRow { set }]),
            Table::Sources => render(
                &source_defs(),
                set.sources.iter().map(|doc| SourceRow { set, doc }),
            ),
            Table::Items => render(&item_defs(), item_rows(set)),
            Table::ItemDepartments => render(
                &department_defs(),
                parts(set, |it: &Item| it.departments.as_slice()),
            ),
            Table::ItemGroups => {
                render(&group_defs(), parts(set, |it: &Item| it.groups.as_slice()))
            }
            Table::Initiatives => render(
                &initiative_defs(),
                parts(set, |it: &Item| it.initiatives.as_slice()),
            ),
            Table::Schedule => render(
                &schedule_defs(),
                item_rows(set).flat_map(|row| {
                    row.item.initiatives.iter().flat_map(move |ini| {
                        ini.schedule
                            .iter()
                            .map(move |mark| MarkRow { row, ini, mark })
                    })
                }),
            ),
            Table::Effects => render(
                &effect_defs(),
                parts(set, |it: &Item| it.effects.as_slice()),
            ),
            Table::Extra => render(&extra_defs(), parts(set, |it: &Item| it.extra.as_slice())),
            Table::Warnings => render(&warning_defs(), entries(set, &set.doc.warnings)),
            Table::Corrections => render(&correction_defs(), entries(set, &set.doc.corrections)),
        }
    }

    /// How many rows this table has for one report, without building them.
    pub fn row_count(self, set: &ReportSet<'_>) -> usize {
        let items = &set.doc.items;
        let sum = |f: fn(&Item) -> usize| items.iter().map(f).sum();
        match self {
            Table::Reports => 1,
            Table::Sources => set.sources.len(),
            Table::Items => items.len(),
            Table::ItemDepartments => sum(|i| i.departments.len()),
            Table::ItemGroups => sum(|i| i.groups.len()),
            Table::Initiatives => sum(|i| i.initiatives.len()),
            Table::Schedule => sum(|i| i.initiatives.iter().map(|n| n.schedule.len()).sum()),
            Table::Effects => sum(|i| i.effects.len()),
            Table::Extra => sum(|i| i.extra.len()),
            Table::Warnings => set.doc.warnings.len(),
            Table::Corrections => set.doc.corrections.len(),
        }
    }
}

/// Header language of the CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum HeaderLang {
    #[default]
    En,
    Ja,
}

impl Column {
    /// The name in the CSV header and the data package.
    pub fn header(&self, lang: HeaderLang) -> &str {
        match lang {
            HeaderLang::En => &self.name,
            HeaderLang::Ja => &self.ja,
        }
    }
}

/// CSV options.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Start with a UTF-8 BOM so that Excel opens the file as UTF-8.
    pub bom: bool,
    pub header_lang: HeaderLang,
}

/// One table for several reports as CSV bytes (RFC 4180, UTF-8).
pub fn csv(table: Table, sets: &[ReportSet<'_>], opts: CsvOptions) -> Vec<u8> {
    let mut buf = Vec::new();
    if opts.bom {
        buf.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::Writer::from_writer(buf);
    let header: Vec<String> = table
        .columns()
        .iter()
        .map(|c| c.header(opts.header_lang).to_string())
        .collect();
    // Writing into a Vec cannot fail.
    let _ = w.write_record(&header);
    for set in sets {
        for row in table.rows(set) {
            let _ = w.write_record(row.iter().map(Cell::to_csv));
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_have_unique_names_and_japanese_labels() {
        for t in Table::ALL {
            let cols = t.columns();
            let mut names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), cols.len(), "{t:?}");
            let mut ja: Vec<&str> = cols.iter().map(|c| c.ja.as_str()).collect();
            ja.sort_unstable();
            ja.dedup();
            assert_eq!(ja.len(), cols.len(), "{t:?}: Japanese names unique");
            for k in t.primary_key() {
                let c = cols.iter().find(|c| c.name == k);
                assert!(c.is_some_and(|c| c.required), "{t:?}: key {k}");
            }
            for fk in t.foreign_keys() {
                assert!(
                    Table::ALL.iter().position(|x| *x == fk.table)
                        < Table::ALL.iter().position(|x| *x == t)
                );
                assert_eq!(
                    fk.table.primary_key(),
                    fk.ref_fields,
                    "{t:?} references a primary key"
                );
                for f in &fk.fields {
                    assert!(cols.iter().any(|c| c.name == *f), "{t:?}: {f}");
                }
            }
        }
    }

    #[test]
    fn repeated_keys_get_the_readers_suffix() {
        let items: Vec<Item> = ["1-1", "1-2", "1-1", "1-1", "1-2_2", "1-2"]
            .iter()
            .map(|k| Item::new(*k, *k))
            .collect();
        assert_eq!(
            unique_keys(&items),
            ["1-1", "1-2", "1-1_2", "1-1_3", "1-2_2", "1-2_3"]
        );
    }

    #[test]
    fn group_path() {
        let g = |l: Option<&str>, n: Option<&str>, t: Option<&str>| Group {
            label: l.map(Into::into),
            number: n.map(Into::into),
            title: t.map(Into::into),
        };
        assert_eq!(
            groups_path(&[
                g(Some("大項目"), Some("3"), Some("健全な財政運営")),
                g(None, Some("(1)"), None)
            ])
            .as_deref(),
            Some("大項目 3 健全な財政運営 > (1)")
        );
        assert_eq!(groups_path(&[]), None);
    }
}
