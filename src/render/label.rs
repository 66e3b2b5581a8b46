//! Printable asset labels: an SVG sized for a 62 × 29 mm label roll, with the asset tag as
//! text and as a QR code, so staff can scan or read it. Pure: text in, SVG out.

use qrcode::{Color, EcLevel, QrCode};

use super::escape;

/// The label of one device. `None` only if the tag cannot be encoded (it always can: tags are
/// short ASCII).
pub fn asset_label_svg(asset_tag: &str, model: &str, serial_number: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(asset_tag.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    // The QR code fills the label's height (29 mm) with a quiet zone of 2 modules.
    let quiet = 2;
    let modules = width + 2 * quiet;
    let module_mm = 25.0 / modules as f64;
    let mut rects = String::new();
    for (i, color) in code.to_colors().into_iter().enumerate() {
        if color == Color::Dark {
            let (x, y) = (i % width + quiet, i / width + quiet);
            rects.push_str(&format!(
                "<rect x=\"{:.3}\" y=\"{:.3}\" width=\"{m:.3}\" height=\"{m:.3}\"/>",
                2.0 + x as f64 * module_mm,
                2.0 + y as f64 * module_mm,
                m = module_mm + 0.01
            ));
        }
    }
    let model: String = model.chars().take(32).collect();
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"62mm\" height=\"29mm\" viewBox=\"0 0 62 29\">\
         <title>{tag}</title>\
         <rect width=\"62\" height=\"29\" fill=\"white\"/>\
         <g fill=\"black\">{rects}</g>\
         <text x=\"30\" y=\"7\" font-family=\"sans-serif\" font-size=\"3\">devicepool</text>\
         <text x=\"30\" y=\"15\" font-family=\"monospace\" font-size=\"5.2\" font-weight=\"bold\">{tag}</text>\
         <text x=\"30\" y=\"21\" font-family=\"sans-serif\" font-size=\"2.6\">{model}</text>\
         <text x=\"30\" y=\"25\" font-family=\"monospace\" font-size=\"2.6\">S/N {serial}</text>\
         </svg>",
        tag = escape(asset_tag),
        model = escape(&model),
        serial = escape(serial_number),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_holds_the_tag_and_escapes_text() {
        let svg = asset_label_svg("DPL-000042", "HP <EliteBook> & co", "5CG1").expect("svg");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(">DPL-000042</text>"));
        assert!(svg.contains("HP &lt;EliteBook&gt; &amp; co"));
        assert!(svg.matches("<rect").count() > 50, "the QR code is drawn");
    }
}
