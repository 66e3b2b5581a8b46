//! Lists of names stored as a JSON array in one text column (a loan's accessories, a device's
//! missing ones, a track's software): one codec, used wherever such a column is read or written.

use crate::error::ApiError;

/// The names in a stored list; anything else in the column means a corrupt row.
pub fn parse(stored: &str) -> Result<Vec<String>, ApiError> {
    serde_json::from_str(stored).map_err(|e| ApiError::internal(format!("stored list: {e}")))
}

/// The column's text for `items`.
pub fn to_text(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_round_trips_and_garbage_is_an_error() {
        let items = vec!["charger".to_owned(), "bag \"big\"".to_owned()];
        assert_eq!(parse(&to_text(&items)).expect("parses"), items);
        assert_eq!(parse("[]").expect("empty"), Vec::<String>::new());
        assert!(parse("charger").is_err());
    }
}
