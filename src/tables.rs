//! The tidy tables (items, initiatives, schedule, reports): their columns, once, with English
//! and Japanese names and descriptions. The same table feeds the CSV headers (`--header-lang`)
//! and the data package's Table Schemas, so they cannot drift apart.
//!
//! Tables follow the 2020 rules of 総務省 for machine-readable data: one value per cell,
//! numbers as plain numbers, 西暦 years, units in their own column, and key columns without
//! platform-dependent characters (`item_key` 1-1 beside `item_number` 1-①).

use crate::model::{format_number, report_id_of, Document, Kpi};

/// Table Schema field types used here.
#[derive(Debug, Clone, Copy, PartialEq)]
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub ja: String,
    pub ty: Type,
    pub en_desc: String,
    pub ja_desc: String,
}

fn col(name: &str, ja: &str, ty: Type, en_desc: &str, ja_desc: &str) -> Column {
    Column {
        name: name.into(),
        ja: ja.into(),
        ty,
        en_desc: en_desc.into(),
        ja_desc: ja_desc.into(),
    }
}

/// Which table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Reports,
    Items,
    Initiatives,
    Schedule,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::Reports,
        Table::Items,
        Table::Initiatives,
        Table::Schedule,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Reports => "reports",
            Table::Items => "items",
            Table::Initiatives => "initiatives",
            Table::Schedule => "schedule",
        }
    }

    pub fn file_name(self) -> String {
        format!("{}.csv", self.name())
    }

    pub fn description(self) -> (&'static str, &'static str) {
        match self {
            Table::Reports => ("One row per source file read: where it came from and which report it holds.", "読み込んだファイルごとに1行。出典と報告書の情報。"),
            Table::Items => ("One row per action item (項目番号) of each report, with its numeric target and result.", "報告書の実施項目（項目番号）ごとに1行。数値目標と実績を含む。"),
            Table::Initiatives => ("One row per initiative (取組内容) of each item, with its progress.", "実施項目の取組内容ごとに1行。進捗状況を含む。"),
            Table::Schedule => ("One row per mark in the 取組期間 schedule grid: the year a phase starts.", "取組期間の表の記載ごとに1行。各段階（実施・検討など）の年度。"),
        }
    }

    pub fn columns(self) -> Vec<Column> {
        use Type::*;
        let key = || {
            vec![
                col("report_id", "報告書ID", String, "Stable id of the report (municipality + plan + fiscal year); joins the tables.", "報告書の識別子（自治体・計画・年度から作成）。表の結合に使う。"),
                col("municipality", "自治体名", String, "Municipality, from the plan title.", "自治体名（計画名から）。"),
                col("fiscal_year", "報告年度", Integer, "Fiscal year the report covers (Western year).", "報告の対象年度（西暦）。"),
                col("item_key", "項目キー", String, "Item number in ASCII (1-1 for 1-①).", "項目番号の半角表記（1-①なら1-1）。"),
            ]
        };
        match self {
            Table::Reports => vec![
                col(
                    "report_id",
                    "報告書ID",
                    String,
                    "Stable id of the report (municipality + plan + fiscal year).",
                    "報告書の識別子（自治体・計画・年度から作成）。",
                ),
                col(
                    "file",
                    "ファイル",
                    String,
                    "Input file as given.",
                    "入力ファイル名。",
                ),
                col(
                    "sha256",
                    "SHA-256",
                    String,
                    "SHA-256 of the input bytes.",
                    "入力ファイルのSHA-256。",
                ),
                col(
                    "format",
                    "形式",
                    String,
                    "pdf or text.",
                    "pdf または text。",
                ),
                col(
                    "encoding",
                    "文字コード",
                    String,
                    "Detected text encoding (text input only).",
                    "検出した文字コード（テキストのみ）。",
                ),
                col(
                    "pages",
                    "ページ数",
                    Integer,
                    "Page count (PDF only).",
                    "ページ数（PDFのみ）。",
                ),
                col(
                    "producer",
                    "作成ソフト",
                    String,
                    "PDF /Producer.",
                    "PDFの作成ソフト（/Producer）。",
                ),
                col(
                    "municipality",
                    "自治体名",
                    String,
                    "Municipality, from the plan title.",
                    "自治体名（計画名から）。",
                ),
                col(
                    "plan_title",
                    "計画名",
                    String,
                    "Plan title without its period.",
                    "計画名（期間を除く）。",
                ),
                col(
                    "plan_start",
                    "計画開始年度",
                    Integer,
                    "First fiscal year of the plan.",
                    "計画期間の開始年度（西暦）。",
                ),
                col(
                    "plan_end",
                    "計画終了年度",
                    Integer,
                    "Last fiscal year of the plan.",
                    "計画期間の終了年度（西暦）。",
                ),
                col(
                    "title",
                    "報告書名",
                    String,
                    "Report title without the year.",
                    "報告書名（年度を除く）。",
                ),
                col(
                    "fiscal_year",
                    "報告年度",
                    Integer,
                    "Fiscal year the report covers.",
                    "報告の対象年度（西暦）。",
                ),
                col(
                    "item_count",
                    "項目数",
                    Integer,
                    "Number of action items read.",
                    "読み取った実施項目の数。",
                ),
                col(
                    "warning_count",
                    "警告数",
                    Integer,
                    "Number of warnings (doubtful values) for this source.",
                    "警告（確認が必要な値）の数。",
                ),
            ],
            Table::Items => {
                let mut v = key();
                v.extend([
                    col(
                        "item_number",
                        "項目番号",
                        String,
                        "Item number as printed (1-①).",
                        "項目番号（表記どおり）。",
                    ),
                    col(
                        "pillar",
                        "基本方針番号",
                        Integer,
                        "Number before the hyphen.",
                        "ハイフンの前の番号。",
                    ),
                    col(
                        "seq",
                        "項目連番",
                        Integer,
                        "Circled number after the hyphen.",
                        "ハイフンの後の丸数字。",
                    ),
                    col(
                        "title",
                        "実施項目",
                        String,
                        "Action item title (実施項目).",
                        "実施項目。",
                    ),
                    col(
                        "departments",
                        "主管課",
                        String,
                        "Responsible departments (主管課), separated by ;.",
                        "主管課（複数は;区切り）。",
                    ),
                    col(
                        "current_issues",
                        "現状と課題",
                        String,
                        "Current state and issues (現状と課題).",
                        "現状と課題。",
                    ),
                    col(
                        "target_state",
                        "目指す姿",
                        String,
                        "Target state (目指す姿) without its numeric target.",
                        "目指す姿（数値目標を除く）。",
                    ),
                ]);
                for (side, ja_side, en_side) in [
                    ("kpi_target", "数値目標", "numeric target"),
                    ("kpi_actual", "実績値", "result"),
                ] {
                    v.extend(kpi_columns(side, ja_side, en_side));
                }
                v.extend([
                    col(
                        "summary",
                        "総括評価",
                        String,
                        "Overall evaluation (総括評価) without the result bracket.",
                        "総括評価（実績値の【】を除く）。",
                    ),
                    col(
                        "pages_start",
                        "開始ページ",
                        Integer,
                        "First PDF page of the item.",
                        "項目の最初のページ（PDFのみ）。",
                    ),
                    col(
                        "pages_end",
                        "終了ページ",
                        Integer,
                        "Last PDF page of the item.",
                        "項目の最後のページ（PDFのみ）。",
                    ),
                ]);
                v
            }
            Table::Initiatives => {
                let mut v = key();
                v.extend([
                    col(
                        "no",
                        "取組番号",
                        Integer,
                        "Initiative number N of 取組内容 N.",
                        "取組内容の番号。",
                    ),
                    col(
                        "text",
                        "取組内容",
                        String,
                        "Initiative as written in 取組の内容.",
                        "取組の内容。",
                    ),
                    col(
                        "progress_symbol",
                        "進捗記号",
                        String,
                        "Progress symbol (○ ◎ △ × -).",
                        "進捗状況の記号。",
                    ),
                    col(
                        "progress_label",
                        "進捗状況",
                        String,
                        "Progress label (順調, 達成, 未着手, …).",
                        "進捗状況（順調・達成・未着手など）。",
                    ),
                    col(
                        "actions",
                        "実施内容",
                        String,
                        "What was done in the report year.",
                        "報告年度の実施内容。",
                    ),
                    col(
                        "next_steps",
                        "次年度に向けた改善点",
                        String,
                        "Improvements for the next year.",
                        "次年度に向けた改善点。",
                    ),
                ]);
                v
            }
            Table::Schedule => {
                let mut v = key();
                v.extend([
                    col(
                        "initiative_no",
                        "取組番号",
                        Integer,
                        "Initiative number N.",
                        "取組内容の番号。",
                    ),
                    col(
                        "year",
                        "年度",
                        Integer,
                        "Fiscal year of the grid column.",
                        "取組期間の年度（西暦）。",
                    ),
                    col(
                        "phase",
                        "段階",
                        String,
                        "Phase word (実施, 検討, 導入, …).",
                        "段階（実施・検討・導入など）。",
                    ),
                ]);
                v
            }
        }
    }

    /// Primary key columns.
    pub fn primary_key(self) -> Vec<&'static str> {
        match self {
            Table::Reports => vec!["file"],
            Table::Items => vec!["report_id", "item_key"],
            Table::Initiatives => vec!["report_id", "item_key", "no"],
            Table::Schedule => vec!["report_id", "item_key", "initiative_no", "year", "phase"],
        }
    }
}

fn kpi_columns(side: &str, ja_side: &str, en_side: &str) -> Vec<Column> {
    use Type::*;
    let c = |f: &str, ja: &str, ty: Type, en: &str, jd: &str| {
        col(
            &format!("{side}_{f}"),
            &format!("{ja_side}_{ja}"),
            ty,
            &format!("{en_side}: {en}"),
            &format!("{ja_side}の{jd}"),
        )
    };
    vec![
        c("raw", "原文", String, "the 【…】 text", "【】内の原文"),
        c("indicator", "指標", String, "what is measured", "指標名"),
        c(
            "value",
            "値",
            Number,
            "the value, multipliers applied (万, 億)",
            "値（万・億などを換算）",
        ),
        c(
            "value_max",
            "上限値",
            Number,
            "upper end of a range",
            "範囲の上限値",
        ),
        c("unit", "単位", String, "unit of the value", "単位"),
        c(
            "qualifier",
            "条件",
            String,
            "以上, 以下, 未満, 超, 減 or 増",
            "以上・以下・未満・超・減・増",
        ),
        c(
            "approx",
            "概数",
            Boolean,
            "marked 約 or 程度",
            "約・程度の有無",
        ),
        c("year", "年度", Integer, "the 年度 it refers to", "対象年度"),
        c(
            "as_of",
            "時点",
            Date,
            "date of a 時点/現在 value",
            "時点・現在の日付",
        ),
        c(
            "note",
            "注記",
            String,
            "notes in parentheses and ※ remarks",
            "括弧内の注記と※の注記",
        ),
    ]
}

fn kpi_cells(k: Option<&Kpi>) -> Vec<String> {
    let Some(k) = k else {
        return vec![String::new(); 10];
    };
    let num = |v: Option<f64>| v.map(format_number).unwrap_or_default();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        k.raw.clone(),
        s(&k.indicator),
        num(k.value),
        num(k.value_max),
        s(&k.unit),
        s(&k.qualifier),
        k.approx.to_string(),
        k.year.map(|y| y.to_string()).unwrap_or_default(),
        s(&k.as_of),
        s(&k.note),
    ]
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn opt_num<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// The rows of `table` for one document, in column order.
pub fn rows(table: Table, doc: &Document) -> Vec<Vec<String>> {
    let id = report_id_of(doc);
    let muni = opt(&doc.report.municipality);
    let fy = opt_num(doc.report.fiscal_year);
    let key = |item_key: &str| vec![id.clone(), muni.clone(), fy.clone(), item_key.to_string()];
    let mut out = Vec::new();
    match table {
        Table::Reports => {
            let s = &doc.source;
            let r = &doc.report;
            out.push(vec![
                id.clone(),
                s.file.clone(),
                s.sha256.clone(),
                s.format.clone(),
                opt(&s.encoding),
                opt_num(s.pages),
                opt(&s.producer),
                muni.clone(),
                opt(&r.plan_title),
                opt_num(r.plan_period.map(|p| p.start)),
                opt_num(r.plan_period.map(|p| p.end)),
                opt(&r.title),
                fy.clone(),
                doc.items.len().to_string(),
                doc.warnings.len().to_string(),
            ]);
        }
        Table::Items => {
            for it in &doc.items {
                let mut rec = key(&it.item_key);
                rec.extend([
                    it.item_number.clone(),
                    opt_num(it.pillar),
                    opt_num(it.seq),
                    opt(&it.title),
                    it.departments.join(";"),
                    opt(&it.current_issues),
                    opt(&it.target_state),
                ]);
                rec.extend(kpi_cells(it.kpi_target.as_ref()));
                rec.extend(kpi_cells(it.kpi_actual.as_ref()));
                rec.extend([
                    opt(&it.summary),
                    opt_num(it.pages.map(|p| p.start)),
                    opt_num(it.pages.map(|p| p.end)),
                ]);
                out.push(rec);
            }
        }
        Table::Initiatives => {
            for it in &doc.items {
                for ini in &it.initiatives {
                    let mut rec = key(&it.item_key);
                    let (sym, label) = match &ini.progress {
                        Some(p) => (opt(&p.symbol), opt(&p.label)),
                        None => (String::new(), String::new()),
                    };
                    rec.extend([
                        ini.no.to_string(),
                        opt(&ini.text),
                        sym,
                        label,
                        opt(&ini.actions),
                        opt(&ini.next_steps),
                    ]);
                    out.push(rec);
                }
            }
        }
        Table::Schedule => {
            for it in &doc.items {
                for ini in &it.initiatives {
                    for m in &ini.schedule {
                        let mut rec = key(&it.item_key);
                        rec.extend([ini.no.to_string(), m.year.to_string(), m.phase.clone()]);
                        out.push(rec);
                    }
                }
            }
        }
    }
    out
}

/// Header language of the CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum HeaderLang {
    #[default]
    En,
    Ja,
}

/// CSV options.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvOptions {
    /// Start with a UTF-8 BOM so that Excel opens the file as UTF-8.
    pub bom: bool,
    pub header_lang: HeaderLang,
}

/// One table for several documents as CSV bytes (RFC 4180, UTF-8).
pub fn csv(table: Table, docs: &[&Document], opts: CsvOptions) -> Vec<u8> {
    let mut buf = Vec::new();
    if opts.bom {
        buf.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::Writer::from_writer(buf);
    let header: Vec<String> = table
        .columns()
        .into_iter()
        .map(|c| match opts.header_lang {
            HeaderLang::En => c.name,
            HeaderLang::Ja => c.ja,
        })
        .collect();
    // Writing into a Vec cannot fail.
    let _ = w.write_record(&header);
    for doc in docs {
        for r in rows(table, doc) {
            let _ = w.write_record(&r);
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
                assert!(cols.iter().any(|c| c.name == k), "{t:?}: key {k}");
            }
        }
    }
}
