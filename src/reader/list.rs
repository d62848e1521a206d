//! The list layout: a table with a header row (repeated on every page), one row per item,
//! group heading rows between them.
//!
//! The header row is the first row whose cells are the profile's labels (the item number's
//! among them); it maps columns to fields. Rows before it (summary count tables, legends)
//! are not items. A row whose number cell is empty continues the item above (a row split by a
//! page break); a column the profile does not name goes to `extra` under its header.

use super::{classify, form, piece, Field, RawItem, RowKind};
use crate::diag::Diag;
use crate::model::Group;
use crate::profile::{Profile, Target};
use crate::rows::{BBox, NRow};

/// One column of the header row.
#[derive(Debug, Clone)]
struct Column {
    target: Option<Target>,
    /// The header as printed (normalized).
    label: String,
    year: Option<String>,
    x: Option<(f32, f32)>,
}

/// The header row's columns, if `row` is one.
fn header(row: &NRow, profile: &Profile) -> Option<Vec<Column>> {
    let mut found = 0;
    let mut number = false;
    let cols: Vec<Column> = row
        .cells
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let m = profile.label(&row.keys[j]);
            if let Some((t, _)) = &m {
                if !matches!(t, Target::Ignore | Target::Caption) {
                    found += 1;
                }
                number |= *t == Target::ItemNumber;
            }
            Column {
                target: m.as_ref().map(|(t, _)| *t),
                label: c.clone(),
                year: m.and_then(|(_, lm)| lm.year),
                x: row.raw[j].bbox.map(|b| (b.x0, b.x1)),
            }
        })
        .collect();
    (found >= 2 && number).then_some(cols)
}

/// The column a cell belongs to: by its box where both have one (a row may have fewer
/// cells than the header where cells merge), else by position.
fn column_of(cols: &[Column], j: usize, bbox: Option<BBox>) -> Option<usize> {
    if let Some(b) = bbox {
        let overlap = |c: &Column| {
            c.x.map(|(x0, x1)| (x1.min(b.x1) - x0.max(b.x0)).max(0.0))
                .unwrap_or(0.0)
        };
        let best = (0..cols.len()).max_by(|&a, &c| overlap(&cols[a]).total_cmp(&overlap(&cols[c])));
        if let Some(k) = best.filter(|&k| overlap(&cols[k]) > 0.0) {
            return Some(k);
        }
    }
    (j < cols.len()).then_some(j)
}

pub fn read(
    rows: &[NRow],
    kinds: &[RowKind],
    profile: &Profile,
    notes: &mut [String],
    _diag: &mut Diag,
) -> Vec<RawItem> {
    let mut items: Vec<RawItem> = Vec::new();
    let mut cur: Option<RawItem> = None;
    let mut cols: Option<Vec<Column>> = None;
    let mut groups: Vec<Option<Group>> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match kinds[i] {
            RowKind::Body => {}
            RowKind::Group => {
                if let Some((lvl, c)) = classify::group_level(row, profile) {
                    let g = form::heading_group(&c);
                    groups.truncate(lvl);
                    groups.resize(lvl, None);
                    groups.push(Some(g.clone()));
                    notes[i] = format!("group level {}: {:?} {:?}", lvl + 1, g.number, g.title);
                }
                continue;
            }
            _ => continue,
        }
        if let Some(h) = header(row, profile) {
            notes[i] = format!(
                "header row: {}",
                h.iter()
                    .map(|c| format!("{} → {}", c.label, c.target.map_or("extra", |t| t.name())))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            cols = Some(h);
            continue;
        }
        let Some(cs) = cols.as_ref() else {
            notes[i] = "before the header row (not an item)".into();
            continue;
        };
        let Some(num_col) = cs.iter().position(|c| c.target == Some(Target::ItemNumber)) else {
            continue;
        };
        // Which column each non-empty cell is in.
        let placed: Vec<(usize, usize)> = row
            .non_empty()
            .filter_map(|(j, _)| column_of(cs, j, row.raw[j].bbox).map(|k| (j, k)))
            .collect();
        let number_cell = placed.iter().find(|(_, k)| *k == num_col).map(|(j, _)| *j);
        let others = placed.iter().filter(|(_, k)| *k != num_col).count();
        let starts_item = match number_cell {
            Some(j) => {
                let key = &row.keys[j];
                profile.number.iter().any(|re| re.is_match(key))
                    || super::number::repair_dashes(key)
                        .is_some_and(|k| profile.number.iter().any(|re| re.is_match(&k)))
                    || (others > 0 && key.chars().count() <= 12)
            }
            None => false,
        };
        if starts_item {
            if let Some(b) = cur.take() {
                items.push(b);
            }
            cur = Some(RawItem {
                position: row.position(),
                groups: groups.iter().flatten().cloned().collect(),
                ..RawItem::default()
            });
            notes[i] = "item row".into();
        } else if cur.is_some() && number_cell.is_none() {
            notes[i] = "continues the item above".into();
        } else {
            notes[i] = "not an item row (no item number)".into();
            if let Some(c) = cur.as_mut() {
                c.stray
                    .extend(row.non_empty().map(|(j, t)| piece(row, j, t.to_string())));
            }
            continue;
        }
        let Some(item) = cur.as_mut() else {
            notes[i] = "before the first item (not read)".into();
            continue;
        };
        item.touch_page(row.page);
        item.touch_page(row.page_end);
        for (j, k) in placed {
            let col = &cs[k];
            let target = col.target.unwrap_or(Target::Extra);
            if matches!(target, Target::Ignore | Target::Caption | Target::Results) {
                continue;
            }
            let p = piece(row, j, row.cells[j].clone());
            let f: &mut Field = item.field_mut(target, &col.label, col.year.clone());
            f.pieces.push(p);
        }
    }
    if let Some(b) = cur {
        items.push(b);
    }
    items
}
