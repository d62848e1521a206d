//! Warnings and corrections collected while a document is parsed: every guess is visible.

use crate::model::{Correction, Warning};

#[derive(Debug, Default)]
pub struct Diag {
    /// The item being parsed, for entries that name no other.
    pub item: Option<String>,
    pub warnings: Vec<Warning>,
    pub corrections: Vec<Correction>,
}

impl Diag {
    pub fn warn(&mut self, code: &str, item: Option<&str>, field: Option<&str>, message: String) {
        self.warnings.push(Warning {
            code: code.to_string(),
            item_number: item.map(str::to_string),
            field: field.map(str::to_string),
            message,
        });
    }

    /// A warning about the item being parsed (`self.item`).
    pub fn warn_item(&mut self, code: &str, field: Option<&str>, message: String) {
        let item = self.item.clone();
        self.warn(code, item.as_deref(), field, message);
    }

    pub fn correct(&mut self, field: &str, from: &str, to: &str, rule: &str) {
        self.corrections.push(Correction {
            item_number: self.item.clone(),
            field: field.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            rule: rule.to_string(),
        });
    }
}
