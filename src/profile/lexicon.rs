//! Words that mean the same in every report family (from ../shared/research/REPORT_FAMILIES.md):
//! the usual level of a rating word, schedule phase words, continuation marks, what department
//! names end with, and the label synonyms `profile init` maps onto contract fields. A profile
//! decides for its family; these are the defaults it builds on, never a letter's meaning
//! (B is 概ね進捗 in one city and やや遅れている in another: letters are only in profiles).

use crate::model::Level;

/// Rating words and their usual level on the common scale (contract v2, Rating table).
pub const RATING_WORDS: &[(&str, Level)] = &[
    ("達成", Level::Achieved),
    ("完了", Level::Achieved),
    ("目標を達成", Level::Achieved),
    ("事業完了", Level::Achieved),
    ("計画以上", Level::Ahead),
    ("特に良好に進捗", Level::Ahead),
    ("目標を上回って", Level::Ahead),
    ("順調", Level::OnTrack),
    ("計画どおり", Level::OnTrack),
    ("計画通り", Level::OnTrack),
    ("良好に進捗", Level::OnTrack),
    ("概ね順調", Level::MostlyOnTrack),
    ("おおむね順調", Level::MostlyOnTrack),
    ("ほぼ計画どおり", Level::MostlyOnTrack),
    ("ほぼ計画通り", Level::MostlyOnTrack),
    ("概ね進捗", Level::MostlyOnTrack),
    ("概ね達成", Level::MostlyOnTrack),
    ("やや遅れ", Level::SlightlyDelayed),
    ("やや遅れている", Level::SlightlyDelayed),
    ("やや遅れ気味", Level::SlightlyDelayed),
    ("一部達成", Level::SlightlyDelayed),
    ("一部実施", Level::SlightlyDelayed),
    ("部分実施", Level::SlightlyDelayed),
    ("遅れ", Level::Delayed),
    ("遅れている", Level::Delayed),
    ("大幅な遅れ", Level::Delayed),
    ("ほとんど進んでいない", Level::Delayed),
    ("計画以下", Level::Delayed),
    ("進捗に課題あり", Level::Delayed),
    ("未達成", Level::Delayed),
    ("必ずしも順調ではない", Level::Delayed),
    ("未着手", Level::NotStarted),
    ("未実施", Level::NotStarted),
    ("中止", Level::Stopped),
    ("休止", Level::Stopped),
    ("計画変更", Level::Stopped),
    ("見直し", Level::Stopped),
    ("対象外", Level::NotApplicable),
    ("計画事項なし", Level::NotApplicable),
    ("評価困難", Level::NotEvaluable),
    ("未評価", Level::NotEvaluable),
];

/// The usual level of a rating word (white space ignored).
pub fn rating_level(word: &str) -> Option<Level> {
    RATING_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|(_, l)| *l)
}

/// Phase words of schedule grids.
pub const PHASES: &[&str] = &[
    "実施",
    "検討",
    "導入",
    "準備",
    "試行",
    "調査",
    "研究",
    "調査研究",
    "策定",
    "運用",
    "継続",
    "見直し",
    "完了",
    "開始",
    "改定",
    "改正",
    "拡充",
    "推進",
    "整備",
    "構築",
    "設置",
    "検証",
    "公表",
    "周知",
    "移行",
    "廃止",
    "統合",
];

/// Marks that continue a phase across grid cells (a phase records where it starts).
pub const CONTINUATION: &[&str] = &["→", "⇒", "⟶", "➡", "─", "━", "-", "ー", ">", "=", "同上"];

/// What names in a department list end with; a line of a stacked list that does not end so
/// was wrapped and continues on the next line.
pub const DEPARTMENT_SUFFIXES: &[&str] = &[
    "課",
    "室",
    "局",
    "部",
    "係",
    "所",
    "館",
    "センター",
    "委員会",
    "班",
    "署",
    "園",
    "校",
    "院",
    "等",
    "庁",
    "会",
];

/// Label synonyms seen in published reports, per contract field (for `profile init`).
pub const LABEL_SYNONYMS: &[(&str, &[&str])] = &[
    (
        "title",
        &[
            "実施項目",
            "取組項目",
            "取り組み項目",
            "改革項目",
            "改革推進項目",
            "推進項目",
            "取組事項",
            "具体的取組事項",
            "具体的な取組",
            "個別計画項目",
            "行動計画項目",
            "改革事項",
            "実行プログラム",
            "項目名",
        ],
    ),
    (
        "item_number",
        &[
            "項目番号",
            "番号",
            "No.",
            "No",
            "管理番号",
            "管理No.",
            "項目",
        ],
    ),
    (
        "departments",
        &[
            "主管課",
            "所管課",
            "所管部署",
            "所管部局",
            "所管部課",
            "担当課",
            "担当課等",
            "担当部署",
            "所属",
        ],
    ),
    (
        "current_issues",
        &["現状と課題", "現状", "課題", "現状・課題"],
    ),
    ("target_state", &["目指す姿", "目標", "目的", "取組目標"]),
    (
        "summary",
        &[
            "総括評価",
            "取組実績",
            "取組実績・特記",
            "実績",
            "成果",
            "主な実績",
            "実施状況",
        ],
    ),
    (
        "next_steps",
        &[
            "今後の方向性",
            "今後の課題",
            "課題と今後の対応方針",
            "翌年度の取組",
            "今後の取組",
            "備考",
        ],
    ),
    (
        "kpi",
        &[
            "主な指標等",
            "数値目標",
            "成果目標",
            "取組指標",
            "目標値",
            "指標",
        ],
    ),
    (
        "initiatives",
        &["取組内容", "具体的な取組内容", "取組の内容", "実施内容"],
    ),
    (
        "effects",
        &[
            "効果額",
            "財政効果額",
            "行革効果額",
            "削減効果額",
            "歳出削減額",
            "効果予定額",
            "実績効果額",
        ],
    ),
    (
        "rating",
        &[
            "進捗状況",
            "進ちょく状況",
            "評価",
            "評価区分",
            "達成度",
            "達成状況",
            "取組状況",
            "総合評価",
            "実施結果評価",
        ],
    ),
    (
        "group",
        &[
            "基本目標",
            "基本方針",
            "重点項目",
            "重点改革項目",
            "改革の柱",
            "柱",
            "視点",
            "取組方針",
            "大項目",
            "中項目",
            "戦略",
        ],
    ),
    (
        "schedule",
        &[
            "工程",
            "工程表",
            "実施工程",
            "年度計画",
            "年度別スケジュール",
            "年度別実施計画",
            "取組期間",
        ],
    ),
];
