//! `datapackage.json`: a Frictionless Data Package describing the CSV tables (Table Schema per
//! table: field types, English and Japanese descriptions, primary and foreign keys), so that
//! CKAN portals and frictionless tools can load and validate the folder as it is.

use serde_json::{json, Value};

use crate::tables::{CsvOptions, HeaderLang, Table};

fn field_name(c: &crate::tables::Column, lang: HeaderLang) -> String {
    match lang {
        HeaderLang::En => c.name.clone(),
        HeaderLang::Ja => c.ja.clone(),
    }
}

/// The name a column has in the CSV header.
fn header_of(table: Table, name: &str, lang: HeaderLang) -> String {
    table
        .columns()
        .iter()
        .find(|c| c.name == name)
        .map(|c| field_name(c, lang))
        .unwrap_or_else(|| name.to_string())
}

fn foreign_keys(table: Table, lang: HeaderLang) -> Value {
    let fk = |fields: &[&str], target: Table, target_fields: &[&str]| {
        json!({
            "fields": fields.iter().map(|f| header_of(table, f, lang)).collect::<Vec<_>>(),
            "reference": {
                "resource": target.name(),
                "fields": target_fields.iter().map(|f| header_of(target, f, lang)).collect::<Vec<_>>(),
            }
        })
    };
    match table {
        Table::Reports => json!([]),
        Table::Items => json!([fk(&["report_id"], Table::Reports, &["report_id"])]),
        Table::Initiatives => json!([fk(
            &["report_id", "item_key"],
            Table::Items,
            &["report_id", "item_key"]
        )]),
        Table::Schedule => json!([fk(
            &["report_id", "item_key", "initiative_no"],
            Table::Initiatives,
            &["report_id", "item_key", "no"]
        )]),
    }
}

/// The data package for the tables written with `opts` (header language and BOM decide the
/// field names and the encoding).
pub fn json(opts: CsvOptions) -> String {
    let lang = opts.header_lang;
    let resources: Vec<Value> = Table::ALL
        .iter()
        .map(|&t| {
            let (en, ja) = t.description();
            let fields: Vec<Value> = t
                .columns()
                .iter()
                .map(|c| {
                    let mut f = json!({
                        "name": field_name(c, lang),
                        "type": c.ty.name(),
                        "title": match lang { HeaderLang::En => c.ja.clone(), HeaderLang::Ja => c.name.clone() },
                        "description": format!("{} / {}", c.en_desc, c.ja_desc),
                    });
                    if c.ty == crate::tables::Type::Boolean {
                        f["trueValues"] = json!(["true"]);
                        f["falseValues"] = json!(["false"]);
                    }
                    f
                })
                .collect();
            let mut schema = json!({
                "fields": fields,
                "missingValues": [""],
                "primaryKey": t.primary_key().iter().map(|k| header_of(t, k, lang)).collect::<Vec<_>>(),
            });
            let fks = foreign_keys(t, lang);
            if fks.as_array().is_some_and(|a| !a.is_empty()) {
                schema["foreignKeys"] = fks;
            }
            json!({
                "name": t.name(),
                "path": t.file_name(),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": if opts.bom { "utf-8-sig" } else { "utf-8" },
                "title": t.name(),
                "description": format!("{en} / {ja}"),
                "schema": schema,
            })
        })
        .collect();
    let pkg = json!({
        "profile": "tabular-data-package",
        "name": "jisseki-reports",
        "title": "Municipal progress reports (実績報告) as open data",
        "description": "Action items, initiatives, schedules and KPIs read from Japanese municipal 行政改革 progress reports by jisseki. / 自治体の行政改革実績報告から読み取った実施項目・取組・スケジュール・数値目標。",
        "resources": resources,
    });
    let mut s = serde_json::to_string_pretty(&pkg).unwrap_or_default();
    s.push('\n');
    s
}
