//! Printable asset labels: an SVG sized for a 62 × 29 mm label roll, with the asset tag as
//! text and as a QR code, so staff can scan or read it. Pure: text in, SVG out.

use qrcode::{Color, EcLevel, QrCode};

use super::escape;

/// The label of one device. `None` only if the tag cannot be encoded (it always can: tags are
/// short ASCII).
pub fn asset_label_svg(asset_tag: &str, model: &str, serial_number: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(asset_tag.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    // The QR code fills the label's height (29 mm) with a quiet zone of 2 modules. Each row's
    // runs of dark modules are one stroke of a single path: a label stays about 1.5 KB, so a
    // page with a whole donation's labels stays light.
    let quiet = 2;
    let module_mm = 25.0 / (width + 2 * quiet) as f64;
    let colors = code.to_colors();
    let mut path = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
                path.push_str(&format!("M{} {}.5h{run}", x + quiet, y + quiet));
                x += run;
            } else {
                x += 1;
            }
        }
    }
    let rects = format!(
        "<path transform=\"translate(2 2) scale({module_mm:.4})\" stroke=\"black\" stroke-width=\"1.02\" d=\"{path}\"/>"
    );
    let model: String = model.chars().take(32).collect();
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"62mm\" height=\"29mm\" viewBox=\"0 0 62 29\">\
         <title>{tag}</title>\
         <rect width=\"62\" height=\"29\" fill=\"white\"/>\
         {rects}\
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
        assert!(svg.matches('M').count() > 50, "the QR code is drawn");
        assert!(svg.len() < 2_500, "a label is light: {} bytes", svg.len());
    }
}
