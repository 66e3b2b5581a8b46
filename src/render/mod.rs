//! Turning figures into documents people print or open in a spreadsheet: asset labels, erasure
//! certificates, report CSV files and charts. Pure: values in, text out.

pub mod certificate;
pub mod chart;
pub mod csv;
pub mod label;
pub mod reconciliation;

/// Text made safe inside SVG/XML elements and attribute values.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
