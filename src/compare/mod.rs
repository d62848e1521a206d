//! Years side by side: the same plan's reports of several fiscal years, lined up item by item.
//!
//! Reports are grouped by municipality and plan title, ordered by fiscal year, and each year is
//! compared with the next one the input has. What is reported is only what changed between the
//! two (progress of an initiative, the KPI result or its target, items and initiatives that came
//! or went), so an unchanged report yields no rows. The KPI status of every item in every year
//! (value against target, met or not) is kept as well, in [`Comparison::kpis`].
//!
//! The input is the tool's own JSON ([`read_documents`]) or documents just extracted.

//! The module's parts depend on `types` and on each other only as named imports: `kpi` (KPI
//! status and its change), `progress` (ratings), `levels` (level distributions), `output` (order,
//! CSV, text), `read` (JSON back); this file lines the reports up.

use std::collections::{BTreeMap, BTreeSet};

mod kpi;
mod levels;
mod output;
mod progress;
mod read;
mod types;

pub use output::{levels_to_csv, render_text, to_csv, CSV_HEADER, LEVELS_CSV_HEADER};
pub use read::read_documents;
pub use types::{
    Change, ChangeKind, Comparison, Direction, KpiStatus, KpiYear, LevelCount, Pair, Scope, Skipped,
};

use kpi::{kpi_detail, kpi_differs, kpi_direction, kpi_status, result_text};
use output::change_order;
use progress::{progress_direction, progress_text, rating_word};

use crate::model::{Document, Initiative, Item};

/// Compare the reports of each plan year by year. The input order does not matter.
pub fn compare(docs: &[Document]) -> Comparison {
    let mut out = Comparison::default();

    // Group by plan; within a plan, one report per fiscal year (the first one given wins, so
    // the same report read from a PDF and from a text dump is compared once).
    let mut groups: BTreeMap<(String, String), BTreeMap<i32, &Document>> = BTreeMap::new();
    for doc in docs {
        let key = (
            doc.report.municipality.clone().unwrap_or_default(),
            doc.report.plan_title.clone().unwrap_or_default(),
        );
        let Some(year) = doc.report.fiscal_year else {
            out.skipped.push(Skipped {
                file: doc.source.file.clone(),
                reason: "no fiscal year, so it cannot be placed among the years".into(),
            });
            continue;
        };
        let years = groups.entry(key).or_default();
        match years.get(&year) {
            Some(first) => out.skipped.push(Skipped {
                file: doc.source.file.clone(),
                reason: format!(
                    "another report of {year} was given first: {}",
                    first.source.file
                ),
            }),
            None => {
                years.insert(year, doc);
            }
        }
    }

    for ((muni, plan), years) in &groups {
        let ctx = PlanCtx { muni, plan };
        for (&year, doc) in years {
            out.levels
                .extend(levels::level_counts(muni, plan, year, doc));
            for item in &doc.items {
                if let Some(status) = kpi_status(item) {
                    out.kpis.push(KpiYear {
                        municipality: muni.clone(),
                        plan_title: plan.clone(),
                        fiscal_year: year,
                        item_key: item.item_key.clone(),
                        item_number: item.item_number.clone(),
                        status,
                    });
                }
            }
        }
        let ordered: Vec<&Document> = years.values().copied().collect();
        for w in ordered.windows(2) {
            if let [a, b] = w {
                let pair = compare_pair(&ctx, a, b, &mut out.changes);
                out.pairs.push(pair);
            }
        }
    }

    out.changes.sort_by(change_order);
    out
}

struct PlanCtx<'a> {
    muni: &'a str,
    plan: &'a str,
}

fn compare_pair(ctx: &PlanCtx, a: &Document, b: &Document, changes: &mut Vec<Change>) -> Pair {
    // Only called for documents that have a fiscal year; 0 never shows.
    let from_year = a.report.fiscal_year.unwrap_or_default();
    let to_year = b.report.fiscal_year.unwrap_or_default();
    let mut pair = Pair {
        municipality: ctx.muni.to_string(),
        plan_title: ctx.plan.to_string(),
        from_year,
        to_year,
        from_file: a.source.file.clone(),
        to_file: b.source.file.clone(),
        items_compared: 0,
        items_added: 0,
        items_dropped: 0,
        initiatives_compared: 0,
        initiatives_added: 0,
        initiatives_dropped: 0,
        progress_improved: 0,
        progress_worsened: 0,
        progress_other: 0,
        kpi_changed: 0,
        kpi_met_from: 0,
        kpi_judged_from: 0,
        kpi_met_to: 0,
        kpi_judged_to: 0,
    };
    let row = |item: &Item, kind: ChangeKind| Change {
        municipality: ctx.muni.to_string(),
        plan_title: ctx.plan.to_string(),
        item_key: item.item_key.clone(),
        item_number: item.item_number.clone(),
        title: item.title.clone(),
        initiative_no: None,
        kind,
        from_year,
        to_year,
        from: None,
        to: None,
        direction: None,
        detail: None,
        kpi_from: None,
        kpi_to: None,
    };

    for (met, judged, doc) in [
        (&mut pair.kpi_met_from, &mut pair.kpi_judged_from, a),
        (&mut pair.kpi_met_to, &mut pair.kpi_judged_to, b),
    ] {
        for s in doc.items.iter().filter_map(kpi_status) {
            if let Some(m) = s.target_met {
                *judged += 1;
                *met += usize::from(m);
            }
        }
    }

    let later: BTreeMap<&str, &Item> = b.items.iter().map(|i| (i.item_key.as_str(), i)).collect();
    let earlier: BTreeSet<&str> = a.items.iter().map(|i| i.item_key.as_str()).collect();

    for ia in &a.items {
        let Some(ib) = later.get(ia.item_key.as_str()).copied() else {
            pair.items_dropped += 1;
            changes.push(Change {
                from: ia.title.clone(),
                ..row(ia, ChangeKind::ItemDropped)
            });
            continue;
        };
        pair.items_compared += 1;

        // The KPI: a row when the result, the target or the verdict differ.
        let (sa, sb) = (kpi_status(ia), kpi_status(ib));
        if kpi_differs(sa.as_ref(), sb.as_ref()) {
            pair.kpi_changed += 1;
            changes.push(Change {
                from: sa.as_ref().and_then(result_text),
                to: sb.as_ref().and_then(result_text),
                direction: Some(kpi_direction(sa.as_ref(), sb.as_ref())),
                detail: Some(kpi_detail(sa.as_ref(), sb.as_ref(), from_year, to_year)),
                kpi_from: sa,
                kpi_to: sb,
                ..row(ib, ChangeKind::Kpi)
            });
        }

        // Initiatives by their number.
        let later_inis: BTreeMap<u32, &Initiative> =
            ib.initiatives.iter().map(|i| (i.no, i)).collect();
        for xa in &ia.initiatives {
            let Some(xb) = later_inis.get(&xa.no).copied() else {
                pair.initiatives_dropped += 1;
                changes.push(Change {
                    initiative_no: Some(xa.no),
                    from: xa.text.clone(),
                    ..row(ib, ChangeKind::InitiativeDropped)
                });
                continue;
            };
            pair.initiatives_compared += 1;
            if xa.progress != xb.progress {
                let dir = progress_direction(xa.progress.as_ref(), xb.progress.as_ref());
                match dir {
                    Direction::Improved => pair.progress_improved += 1,
                    Direction::Worsened => pair.progress_worsened += 1,
                    Direction::Same | Direction::Changed => pair.progress_other += 1,
                }
                changes.push(Change {
                    initiative_no: Some(xa.no),
                    from: xa.progress.as_ref().and_then(rating_word),
                    to: xb.progress.as_ref().and_then(rating_word),
                    direction: Some(dir),
                    detail: Some(format!(
                        "{} → {}",
                        progress_text(xa.progress.as_ref()),
                        progress_text(xb.progress.as_ref())
                    )),
                    ..row(ib, ChangeKind::Progress)
                });
            }
        }
        let earlier_nos: BTreeSet<u32> = ia.initiatives.iter().map(|i| i.no).collect();
        for xb in ib
            .initiatives
            .iter()
            .filter(|x| !earlier_nos.contains(&x.no))
        {
            pair.initiatives_added += 1;
            changes.push(Change {
                initiative_no: Some(xb.no),
                to: xb.text.clone(),
                ..row(ib, ChangeKind::InitiativeAdded)
            });
        }
    }
    for ib in b
        .items
        .iter()
        .filter(|i| !earlier.contains(i.item_key.as_str()))
    {
        pair.items_added += 1;
        changes.push(Change {
            to: ib.title.clone(),
            ..row(ib, ChangeKind::ItemAdded)
        });
    }
    pair
}

#[cfg(test)]
mod tests {
    use super::output::natural;
    use super::*;
    use crate::model::Kpi;

    fn kpi(value: Option<f64>, unit: &str, q: Option<&str>) -> Kpi {
        Kpi {
            value,
            unit: Some(unit.into()),
            qualifier: q.map(Into::into),
            ..Kpi::default()
        }
    }

    fn met(actual: Kpi, target: Kpi) -> Option<bool> {
        let item = Item {
            kpi_target: Some(target),
            kpi_actual: Some(actual),
            ..Item::new("1-①", "1-1")
        };
        kpi_status(&item).and_then(|s| s.target_met)
    }

    #[test]
    fn qualifiers_decide_the_verdict() {
        let k = kpi;
        assert_eq!(
            met(k(Some(11.0), "倍", None), k(Some(10.0), "倍", Some("以上"))),
            Some(true)
        );
        assert_eq!(
            met(k(Some(10.0), "倍", None), k(Some(10.0), "倍", Some("超"))),
            Some(false)
        );
        assert_eq!(
            met(k(Some(3.0), "件", None), k(Some(3.0), "件", Some("以下"))),
            Some(true)
        );
        assert_eq!(
            met(k(Some(3.0), "件", None), k(Some(3.0), "件", Some("未満"))),
            Some(false)
        );
        // 4%減 against a 10%減 target: not yet; 6.3%減 against 5%減: met.
        assert_eq!(
            met(
                k(Some(4.0), "%", Some("減")),
                k(Some(10.0), "%", Some("減"))
            ),
            Some(false)
        );
        assert_eq!(
            met(k(Some(6.3), "%", Some("減")), k(Some(5.0), "%", Some("減"))),
            Some(true)
        );
        // An increase is no reduction.
        assert_eq!(
            met(k(Some(6.0), "%", Some("増")), k(Some(5.0), "%", Some("減"))),
            Some(false)
        );
        assert_eq!(
            met(k(Some(6.0), "%", Some("増")), k(Some(5.0), "%", Some("増"))),
            Some(true)
        );
        // No qualifier: reach the target; a zero target is a ceiling.
        assert_eq!(
            met(k(Some(46.0), "%", None), k(Some(50.0), "%", None)),
            Some(false)
        );
        assert_eq!(
            met(k(Some(5.0), "人", None), k(Some(0.0), "人", None)),
            Some(false)
        );
        assert_eq!(
            met(k(Some(0.0), "件", None), k(Some(0.0), "件", None)),
            Some(true)
        );
        // Not measured, or units that do not compare: no verdict.
        assert_eq!(met(k(None, "%", None), k(Some(50.0), "%", None)), None);
        assert_eq!(
            met(k(Some(5.0), "人", None), k(Some(50.0), "%", None)),
            None
        );
    }

    #[test]
    fn debt_ratios_are_ceilings() {
        let mut target = kpi(Some(7.2), "%", None);
        target.indicator = Some("実質公債費比率".into());
        assert_eq!(met(kpi(Some(7.1), "%", None), target), Some(true));
    }

    #[test]
    fn progress_order() {
        let p = |l: &str| crate::model::Rating {
            symbol: Some("○".into()),
            label: Some(l.into()),
            level: match l {
                "順調" => Some(crate::model::Level::OnTrack),
                "遅れ" => Some(crate::model::Level::Delayed),
                "未着手" => Some(crate::model::Level::NotStarted),
                "概ね順調" => Some(crate::model::Level::MostlyOnTrack),
                "達成" | "完了" => Some(crate::model::Level::Achieved),
                _ => None,
            },
        };
        let d = |a: &str, b: &str| progress_direction(Some(&p(a)), Some(&p(b)));
        assert_eq!(d("順調", "遅れ"), Direction::Worsened);
        assert_eq!(d("未着手", "概ね順調"), Direction::Improved);
        assert_eq!(d("達成", "完了"), Direction::Same);
        assert_eq!(d("順調", "見直し"), Direction::Changed);
        assert_eq!(
            progress_direction(None, Some(&p("順調"))),
            Direction::Changed
        );
    }

    #[test]
    fn item_keys_sort_by_number() {
        let mut keys = vec!["1-10", "1-2", "10-1", "2-1"];
        keys.sort_by_key(|k| natural(k));
        assert_eq!(keys, ["1-2", "1-10", "2-1", "10-1"]);
    }
}
