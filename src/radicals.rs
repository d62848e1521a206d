//! Placeholder until the generated table lands.
pub fn equivalent_ideograph(c: char) -> Option<char> {
    match c {
        '\u{2EA0}' => Some('民'),
        _ => None,
    }
}
