//! `datapackage.json`: a Frictionless Data Package describing the CSV tables (a Table Schema per
//! table from `tables.rs`: field types, English and Japanese descriptions, required fields, code
//! lists, primary and foreign keys) and the data's licence, so that CKAN portals and
//! frictionless tools can load and validate the folder as it is.

use serde_json::{json, Value};

use crate::tables::{Column, CsvOptions, HeaderLang, Table, Type};

/// The licence the data package declares. The tool cannot know the publisher's terms: most
/// Japanese municipalities publish under CC BY 4.0 (or the 政府標準利用規約 2.0, compatible with
/// it), which is the default; `--license` names another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    /// An SPDX or Open Definition id (`CC-BY-4.0`).
    pub name: String,
}

impl Default for License {
    fn default() -> Self {
        License {
            name: "CC-BY-4.0".into(),
        }
    }
}

/// Licences with a known title and address.
const KNOWN_LICENSES: &[(&str, &str, &str)] = &[
    (
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    (
        "CC-BY-SA-4.0",
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    (
        "CC0-1.0",
        "CC0 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    (
        "ODC-BY-1.0",
        "Open Data Commons Attribution License 1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    (
        "PDDL-1.0",
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
];

impl License {
    fn descriptor(&self) -> Value {
        match KNOWN_LICENSES
            .iter()
            .find(|(id, _, _)| id.eq_ignore_ascii_case(&self.name))
        {
            Some((id, title, path)) => json!({"name": id, "title": title, "path": path}),
            None => json!({"name": self.name}),
        }
    }
}

/// The name a column has in the CSV header.
fn header_of(table: Table, name: &str, lang: HeaderLang) -> String {
    table
        .columns()
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.header(lang).to_string())
        .unwrap_or_else(|| name.to_string())
}

fn field(c: &Column, lang: HeaderLang) -> Value {
    let mut f = json!({
        "name": c.header(lang),
        "type": c.ty.name(),
        "title": match lang { HeaderLang::En => &c.ja, HeaderLang::Ja => &c.name },
        "description": format!("{} / {}", c.en_desc, c.ja_desc),
    });
    if c.ty == Type::Boolean {
        f["trueValues"] = json!(["true"]);
        f["falseValues"] = json!(["false"]);
    }
    let mut constraints = serde_json::Map::new();
    if c.required {
        constraints.insert("required".into(), json!(true));
    }
    if let Some(values) = &c.values {
        constraints.insert("enum".into(), json!(values));
    }
    if !constraints.is_empty() {
        f["constraints"] = Value::Object(constraints);
    }
    f
}

fn schema(t: Table, lang: HeaderLang) -> Value {
    let headers = |table: Table, names: &[&str]| -> Vec<String> {
        names.iter().map(|n| header_of(table, n, lang)).collect()
    };
    let mut schema = json!({
        "fields": t.columns().iter().map(|c| field(c, lang)).collect::<Vec<_>>(),
        "missingValues": [""],
        "primaryKey": headers(t, &t.primary_key()),
    });
    let fks: Vec<Value> = t
        .foreign_keys()
        .iter()
        .map(|fk| {
            json!({
                "fields": headers(t, &fk.fields),
                "reference": {
                    "resource": fk.table.name(),
                    "fields": headers(fk.table, &fk.ref_fields),
                }
            })
        })
        .collect();
    if !fks.is_empty() {
        schema["foreignKeys"] = json!(fks);
    }
    schema
}

/// The data package for the tables written with `opts` (header language and BOM decide the
/// field names and the encoding).
pub fn json(opts: CsvOptions, license: &License) -> String {
    let resources: Vec<Value> = Table::ALL
        .iter()
        .map(|&t| {
            let (en, ja) = t.description();
            json!({
                "name": t.name(),
                "path": t.file_name(),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": if opts.bom { "utf-8-sig" } else { "utf-8" },
                "title": t.name(),
                "description": format!("{en} / {ja}"),
                "schema": schema(t, opts.header_lang),
            })
        })
        .collect();
    let pkg = json!({
        "profile": "tabular-data-package",
        "name": "jisseki-reports",
        "title": "Municipal progress reports (実績報告) as open data",
        "description": "Action items, initiatives, schedules, KPIs and ratings read from Japanese municipal 行政改革 progress reports by jisseki; one row per report in reports, per input file in sources. / 自治体の行政改革実績報告から読み取った実施項目・取組・スケジュール・数値目標・評価。",
        "licenses": [license.descriptor()],
        "resources": resources,
    });
    let mut s = serde_json::to_string_pretty(&pkg).unwrap_or_default();
    s.push('\n');
    s
}
