//! Software licences: seats, expiry, and the product name that requests match on.

use chrono::NaiveDate;

use super::FieldError;

/// A licence lends seats through the whole of its last day, and none after.
pub fn is_expired(expires_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    expires_on.is_some_and(|last_day| last_day < today)
}

/// Seats that can still be lent today: none once expired, never below zero.
pub fn free_seats(seats: i32, in_use: i32, expires_on: Option<NaiveDate>, today: NaiveDate) -> i32 {
    if is_expired(expires_on, today) {
        0
    } else {
        (seats - in_use).max(0)
    }
}

/// A product key such as `figma` or `adobe-creative-cloud`: lower case, so that requests for
/// "Figma" and donations of "figma" meet.
pub fn parse_product(value: &str) -> Result<String, FieldError> {
    let product = value.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
    if product.is_empty() || product.len() > 100 {
        return Err(FieldError::new("product", crate::phrase!("field-product-length")));
    }
    if !product.chars().all(|c| c.is_alphanumeric() || "-_.+".contains(c)) {
        return Err(FieldError::new("product", crate::phrase!("field-product-chars")));
    }
    Ok(product)
}

/// How a product key reads to people: `power-bi-pro` is "Power BI Pro". Known products by
/// their own spelling; any other key with its words capitalised.
pub fn product_name(key: &str) -> String {
    const KNOWN: [(&str, &str); 12] = [
        ("adobe-creative-cloud", "Adobe Creative Cloud"),
        ("autocad", "AutoCAD"),
        ("figma", "Figma"),
        ("github-copilot", "GitHub Copilot"),
        ("intellij-idea", "IntelliJ IDEA"),
        ("jetbrains-all-products", "JetBrains All Products"),
        ("matlab", "MATLAB"),
        ("microsoft-365", "Microsoft 365"),
        ("office-365", "Office 365"),
        ("power-bi-pro", "Power BI Pro"),
        ("pycharm", "PyCharm"),
        ("tableau", "Tableau"),
    ];
    if let Some((_, name)) = KNOWN.iter().find(|(k, _)| *k == key) {
        return (*name).to_owned();
    }
    key.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|word| match word {
            "ai" | "bi" | "ui" | "ux" | "sql" | "ide" | "vpn" | "pdf" => word.to_uppercase(),
            _ => {
                let mut letters = word.chars();
                letters.next().map(|first| first.to_uppercase().chain(letters).collect()).unwrap_or_default()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

pub fn parse_seats(value: i32) -> Result<i32, FieldError> {
    if (1..=100_000).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::new("seats", crate::phrase!("field-between", min = 1, max = 100_000)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("date")
    }

    #[test]
    fn seats_are_free_until_the_end_of_the_last_day() {
        assert_eq!(free_seats(5, 2, Some(day(10)), day(10)), 3);
        assert_eq!(free_seats(5, 2, Some(day(10)), day(11)), 0);
        assert_eq!(free_seats(5, 2, None, day(31)), 3);
    }

    #[test]
    fn free_seats_never_go_below_zero() {
        assert_eq!(free_seats(2, 2, None, day(1)), 0);
        assert_eq!(free_seats(2, 3, None, day(1)), 0);
    }

    #[test]
    fn product_names_are_normalised() {
        assert_eq!(parse_product("  Adobe Creative  Cloud "), Ok("adobe-creative-cloud".into()));
        assert!(parse_product("figma!").is_err());
        assert!(parse_product(" ").is_err());
    }

    #[test]
    fn product_keys_read_as_names() {
        assert_eq!(product_name("power-bi-pro"), "Power BI Pro");
        assert_eq!(product_name("jetbrains-all-products"), "JetBrains All Products");
        assert_eq!(product_name("figma"), "Figma");
        assert_eq!(product_name("visual-studio-code"), "Visual Studio Code");
        assert_eq!(product_name("sql-server_ai"), "SQL Server AI");
        assert_eq!(product_name("ç-pro"), "Ç Pro", "letters outside ASCII are capitalised too");
        for typed in ["Adobe Creative Cloud", "Power BI Pro", "Figma"] {
            let key = parse_product(typed).expect("a product");
            assert_eq!(product_name(&key), typed, "what staff typed comes back");
        }
    }

    #[test]
    fn seat_counts_are_bounded() {
        assert!(parse_seats(0).is_err());
        assert_eq!(parse_seats(25), Ok(25));
    }
}
