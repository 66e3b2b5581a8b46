//! An erasure certificate as a donor files it: a PDF whose text can be read back (and
//! searched), and the same lines as CSV for an asset register. Pure: the certificate in, bytes
//! out. The PDF's fonts are DejaVu Sans cut down to the letters one certificate prints, so a
//! donor named "Şahin Bilişim" or "Ørsted" prints right and the file stays small.

use std::borrow::Cow;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use printpdf::{
    BuiltinFont, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem,
};

use super::csv::spreadsheet_safe;
use crate::domain::device::DonorStage;
use crate::domain::phrase::Arg;
use crate::domain::student::Language;
use crate::i18n::say_key;
use crate::workflows::certificates::{Certificate, CertifiedErasure};

/// The width a line may take: A4 (595 pt) less 20 mm margins on each side.
const LINE_WIDTH_PT: f32 = 481.0;
/// Lines on one page at 12 pt apart, less room for the footer.
const LINES_PER_PAGE: usize = 58;

/// One line of the certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    pub bold: bool,
}

pub(crate) fn say(lang: Language, key: &str, args: &[(&'static str, String)]) -> String {
    let args: Vec<(&'static str, Arg)> = args.iter().map(|(k, v)| (*k, Arg::Text(v.clone()))).collect();
    say_key(key, args.iter().map(|(k, v)| (Cow::Borrowed(*k), v)), lang)
}

pub(crate) fn stage_key(stage: DonorStage) -> &'static str {
    match stage {
        DonorStage::Pledged => "stage-pledged",
        DonorStage::Received => "stage-received",
        DonorStage::Locked => "stage-locked",
        DonorStage::BeingPrepared => "stage-being-prepared",
        DonorStage::InService => "stage-in-service",
        DonorStage::Retired => "stage-retired",
        DonorStage::Gifted => "stage-gifted",
    }
}

fn kind_key(kind: &str) -> &'static str {
    if kind == "laptop" {
        "kind-laptop"
    } else {
        "kind-connectivity"
    }
}

fn day(at: &chrono::NaiveDateTime) -> (String, String) {
    (at.format("%d-%m-%Y").to_string(), at.format("%H:%M").to_string())
}

/// What the certificate says of one erasure record, in words.
struct Said {
    level: String,
    technique: String,
    tool: String,
    drive: String,
    method: String,
    result: String,
}

fn said(e: &CertifiedErasure, lang: Language) -> Said {
    let none = || say(lang, "cert-not-recorded", &[]);
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(none);
    let level = match e.level.as_str() {
        "nist_clear" => "cert-level-nist-clear",
        "nist_destroy" => "cert-level-nist-destroy",
        _ => "cert-level-nist-purge",
    };
    let tool = match (&e.tool, &e.tool_version) {
        (Some(t), Some(v)) => format!("{t} {v}"),
        (Some(t), None) => t.clone(),
        (None, _) => none(),
    };
    let result = match e.verification_result.as_deref() {
        Some("passed") => say(lang, "cert-result-passed", &[]),
        Some("failed") => say(lang, "cert-result-failed", &[]),
        _ => none(),
    };
    Said {
        level: say(lang, level, &[]),
        technique: or_none(&e.technique),
        tool,
        drive: or_none(&e.media_serial),
        method: or_none(&e.verification_method),
        result,
    }
}

/// The certificate's lines, in `lang`, before they are wrapped to the page's width.
pub fn lines(c: &Certificate, lang: Language) -> Vec<Line> {
    let plain = |text: String| Line { text, bold: false };
    let (issued_day, issued_time) = day(&c.issued_at);
    let mut out = vec![
        Line { text: say(lang, "cert-title", &[]), bold: true },
        plain(say(lang, "cert-donor", &[("donor", c.donor.clone())])),
        plain(say(
            lang,
            "cert-donation",
            &[("day", c.donated_on.format("%d-%m-%Y").to_string()), ("reference", c.donation_id.clone())],
        )),
        plain(say(lang, "cert-issued", &[("day", issued_day), ("time", issued_time)])),
        plain(say(lang, "cert-standard", &[])),
        plain(say(lang, "cert-count", &[("count", c.devices.len().to_string())])),
    ];
    for d in &c.devices {
        out.push(plain(String::new()));
        let device = [
            ("tag", d.asset_tag.clone()),
            ("kind", say(lang, kind_key(&d.kind), &[])),
            ("model", d.model.clone()),
            ("serial", d.serial_number.clone()),
        ];
        out.push(Line { text: say(lang, "cert-device", &device), bold: true });
        out.push(plain(say(lang, "cert-stage", &[("stage", say(lang, stage_key(d.stage), &[]))])));
        if d.erasures.is_empty() {
            out.push(plain(say(lang, "cert-no-erasure", &[])));
        }
        for e in &d.erasures {
            let (day, time) = day(&e.performed_at);
            let s = said(e, lang);
            let head = [
                ("day", day),
                ("time", time),
                ("level", s.level),
                ("reference", e.certificate_ref.clone()),
                ("operator", e.operator.clone()),
            ];
            out.push(plain(say(lang, "cert-erasure", &head)));
            if e.level != "nist_destroy" {
                let how = [("technique", s.technique), ("tool", s.tool), ("drive", s.drive)];
                out.push(plain(say(lang, "cert-how", &how)));
                out.push(plain(say(lang, "cert-check", &[("method", s.method), ("result", s.result)])));
            }
        }
    }
    out
}

/// A long line broken at spaces so it fits: `fits` says whether a text fits on one line.
fn wrap(line: Line, fits: &dyn Fn(&str, bool) -> bool) -> Vec<Line> {
    if fits(&line.text, line.bold) {
        return vec![line];
    }
    let mut out: Vec<Line> = Vec::new();
    let mut current = String::new();
    for word in line.text.split(' ') {
        if !current.is_empty() && !fits(&format!("{current} {word}"), line.bold) {
            out.push(Line { text: std::mem::take(&mut current), bold: line.bold });
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(Line { text: current, bold: line.bold });
    out
}

/// The two faces, as committed in `assets/fonts` (already cut down to Latin, Greek and
/// Cyrillic by `scripts/subset-fonts`).
const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A face parsed once per process: which glyph draws which letter.
fn parsed(bytes: &'static [u8], cell: &'static OnceLock<Option<ParsedFont>>) -> Option<&'static ParsedFont> {
    cell.get_or_init(|| ParsedFont::from_bytes(bytes, 0, &mut Vec::new())).as_ref()
}

/// `bytes` cut down to the glyphs that draw `text` (and .notdef, which must come first), with a
/// Unicode cmap so printpdf can map the letters to the new glyph numbers.
fn subset(bytes: &[u8], face: &ParsedFont, text: &BTreeSet<char>) -> Option<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};
    let glyphs: BTreeSet<u16> = text.iter().filter_map(|c| face.lookup_glyph_index(u32::from(*c))).collect();
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs.into_iter().filter(|g| *g != 0)).collect();
    let data = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(0).ok()?;
    let cut = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?;
    ParsedFont::from_bytes(&cut, 0, &mut Vec::new())
}

/// One face embedded in `doc`, cut down to the letters of `lines`.
fn embed(
    doc: &mut PdfDocument,
    bytes: &'static [u8],
    cell: &'static OnceLock<Option<ParsedFont>>,
    lines: &[&str],
    builtin: BuiltinFont,
) -> PdfFontHandle {
    let letters: BTreeSet<char> = lines.iter().flat_map(|l| l.chars()).collect();
    // The committed faces always parse and cut (a unit test below proves it); the fallbacks
    // only keep a certificate from being refused over its font.
    match parsed(bytes, cell) {
        Some(full) => PdfFontHandle::External(
            doc.add_font(&subset(bytes, full, &letters).unwrap_or_else(|| full.clone())),
        ),
        None => PdfFontHandle::Builtin(builtin),
    }
}

/// The certificate as an A4 PDF.
pub fn pdf(c: &Certificate, lang: Language) -> Vec<u8> {
    static REGULAR_FACE: OnceLock<Option<ParsedFont>> = OnceLock::new();
    static BOLD_FACE: OnceLock<Option<ParsedFont>> = OnceLock::new();
    // Measured with the face's own advance widths, so a line never runs off the page.
    let width = |text: &str, face: Option<&ParsedFont>, size: f32| -> f32 {
        let Some(face) = face else { return text.chars().count() as f32 * size * 0.6 };
        let units: u32 = text
            .chars()
            .map(|c| {
                face.lookup_glyph_index(u32::from(c))
                    .and_then(|g| face.get_glyph_width(g))
                    .map_or(600, u32::from)
            })
            .sum();
        units as f32 / f32::from(face.units_per_em.max(1)) * size
    };
    let fits = |text: &str, bold: bool| {
        let (face, size) =
            if bold { (parsed(BOLD, &BOLD_FACE), 10.0) } else { (parsed(REGULAR, &REGULAR_FACE), 9.0) };
        width(text, face, size) <= LINE_WIDTH_PT
    };
    let all: Vec<Line> = lines(c, lang).into_iter().flat_map(|l| wrap(l, &fits)).collect();
    let chunks: Vec<&[Line]> = all.chunks(LINES_PER_PAGE).collect();
    let pages = chunks.len();
    let footers: Vec<String> = (1..=pages)
        .map(|n| say(lang, "cert-page", &[("page", n.to_string()), ("pages", pages.to_string())]))
        .collect();
    let title = say(lang, "cert-title", &[]);
    let mut doc = PdfDocument::new(&title);
    let plain: Vec<&str> = all
        .iter()
        .filter(|l| !l.bold)
        .map(|l| l.text.as_str())
        .chain(footers.iter().map(String::as_str))
        .collect();
    let bold: Vec<&str> = all.iter().filter(|l| l.bold).map(|l| l.text.as_str()).collect();
    let regular = embed(&mut doc, REGULAR, &REGULAR_FACE, &plain, BuiltinFont::Helvetica);
    let heavy = embed(&mut doc, BOLD, &BOLD_FACE, &bold, BuiltinFont::HelveticaBold);
    let font = |bold: bool, size: f32| Op::SetFont {
        font: if bold { heavy.clone() } else { regular.clone() },
        size: Pt(size),
    };
    let mut out = Vec::with_capacity(pages);
    for (chunk, footer) in chunks.into_iter().zip(footers) {
        let mut ops = vec![
            Op::StartTextSection,
            Op::SetTextCursor { pos: Point::new(Mm(20.0), Mm(277.0)) },
            Op::SetLineHeight { lh: Pt(12.0) },
        ];
        for line in chunk {
            ops.push(font(line.bold, if line.bold { 10.0 } else { 9.0 }));
            ops.push(Op::ShowText { items: vec![TextItem::Text(line.text.clone())] });
            ops.push(Op::AddLineBreak);
        }
        ops.push(Op::EndTextSection);
        ops.extend([
            Op::StartTextSection,
            Op::SetTextCursor { pos: Point::new(Mm(20.0), Mm(12.0)) },
            font(false, 8.0),
            Op::ShowText { items: vec![TextItem::Text(footer)] },
            Op::EndTextSection,
        ]);
        out.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(out).save(&PdfSaveOptions::default(), &mut Vec::new())
}

/// The certificate as a file: its bytes, content type and extension, as a PDF or as CSV.
pub fn file(c: &Certificate, lang: Language, as_csv: bool) -> (Vec<u8>, &'static str, &'static str) {
    match csv(c, lang).filter(|_| as_csv) {
        Some(text) => (text.into_bytes(), "text/csv; charset=utf-8", "csv"),
        None => (pdf(c, lang), "application/pdf", "pdf"),
    }
}

/// The certificate as CSV: one row per erasure record (a device not erased yet has one row
/// with the erasure columns empty), every text cell safe to open in a spreadsheet.
pub fn csv(c: &Certificate, lang: Language) -> Option<String> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "asset_tag",
        "kind",
        "model",
        "serial_number",
        "stage",
        "erased_at",
        "level",
        "technique",
        "tool",
        "tool_version",
        "verification_method",
        "verification_result",
        "media_serial",
        "certificate_ref",
        "operator",
    ])
    .ok()?;
    for d in &c.devices {
        let stage = say(lang, stage_key(d.stage), &[]);
        let device =
            [d.asset_tag.as_str(), d.kind.as_str(), d.model.as_str(), d.serial_number.as_str(), &stage];
        let rows: Vec<[String; 10]> = if d.erasures.is_empty() {
            vec![Default::default()]
        } else {
            d.erasures
                .iter()
                .map(|e| {
                    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
                    [
                        e.performed_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                        e.level.clone(),
                        opt(&e.technique),
                        opt(&e.tool),
                        opt(&e.tool_version),
                        opt(&e.verification_method),
                        opt(&e.verification_result),
                        opt(&e.media_serial),
                        e.certificate_ref.clone(),
                        e.operator.clone(),
                    ]
                })
                .collect()
        };
        for row in rows {
            let cells: Vec<String> = device
                .iter()
                .copied()
                .chain(row.iter().map(String::as_str))
                .map(|c| spreadsheet_safe(c).into_owned())
                .collect();
            w.write_record(&cells).ok()?;
        }
    }
    String::from_utf8(w.into_inner().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflows::certificates::CertifiedDevice;

    fn at(h: u32) -> chrono::NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 3).and_then(|d| d.and_hms_opt(h, 5, 0)).expect("time")
    }

    fn sample() -> Certificate {
        let erasure = |result: &str, reference: &str| CertifiedErasure {
            performed_at: at(10),
            level: "nist_purge".into(),
            technique: Some("crypto erase".into()),
            tool: Some("Blancco Drive Eraser".into()),
            tool_version: Some("7.9".into()),
            verification_method: None,
            verification_result: Some(result.into()),
            media_serial: None,
            certificate_ref: reference.into(),
            operator: "staff@pool.example".into(),
        };
        Certificate {
            donor: "Café Noord BV".into(),
            donation_id: "d-1".into(),
            donated_on: at(9).date(),
            issued_at: at(11),
            devices: vec![
                CertifiedDevice {
                    asset_tag: "DPL-000001".into(),
                    kind: "laptop".into(),
                    model: "Lenovo ThinkPad T14".into(),
                    serial_number: "=5CG1".into(),
                    stage: DonorStage::InService,
                    erasures: vec![erasure("failed", "BL-1"), erasure("passed", "BL-2")],
                },
                CertifiedDevice {
                    asset_tag: "DPL-000002".into(),
                    kind: "wifi_dongle".into(),
                    model: "Huawei E3372".into(),
                    serial_number: "DG-2".into(),
                    stage: DonorStage::Pledged,
                    erasures: vec![],
                },
            ],
        }
    }

    #[test]
    fn every_device_and_every_record_is_said_in_the_readers_words() {
        let text: Vec<String> = lines(&sample(), Language::En).into_iter().map(|l| l.text).collect();
        let text = text.join("\n");
        assert!(text.contains("Donor: Café Noord BV"), "{text}");
        assert!(text.contains("DPL-000001: Laptop Lenovo ThinkPad T14, serial number =5CG1"), "{text}");
        assert!(text.contains("03-12-2026 10:05 UTC: purged (NIST purge). Certificate BL-2."), "{text}");
        assert!(text.contains("Result: failed, wiped again or destroyed after this."), "{text}");
        assert!(text.contains("Check: not recorded."), "what is missing is said: {text}");
        assert!(text.contains("DPL-000002: Wi-fi dongle") && text.contains("Not erased yet."), "{text}");
        let nl = lines(&sample(), Language::Nl).into_iter().map(|l| l.text).collect::<Vec<_>>().join("\n");
        assert!(nl.contains("Fase nu: In gebruik") && nl.contains("serienummer =5CG1"), "{nl}");
        assert!(!nl.contains("cert-") && !text.contains("cert-"), "no key shown instead of its text");
    }

    #[test]
    fn long_lines_wrap_at_spaces_and_lose_no_word() {
        let long = Line { text: "word ".repeat(60).trim().to_owned(), bold: true };
        let fits = |text: &str, _bold: bool| text.chars().count() <= 100;
        let wrapped = wrap(long.clone(), &fits);
        assert!(wrapped.len() > 1 && wrapped.iter().all(|l| l.text.chars().count() <= 100 && l.bold));
        assert_eq!(wrapped.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join(" "), long.text);
    }

    #[test]
    fn the_committed_faces_parse_and_cut_down_to_the_letters_used() {
        for bytes in [REGULAR, BOLD] {
            let full = ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the face parses");
            for c in "Şahin Bilişim Ørsted Łódź €".chars() {
                assert!(full.lookup_glyph_index(u32::from(c)).is_some_and(|g| g != 0), "{c} has a glyph");
            }
            let letters: BTreeSet<char> = "Şahin Ørsted".chars().collect();
            let cut = subset(bytes, &full, &letters).expect("the face is cut down");
            assert!(cut.lookup_glyph_index(u32::from('Ş')).is_some_and(|g| g != 0), "Ş survives the cut");
            assert_eq!(cut.lookup_glyph_index(u32::from('x')), None, "a letter not used is left out");
        }
    }

    #[test]
    fn a_pdf_is_made_and_its_csv_cells_are_safe_in_a_spreadsheet() {
        let pdf = pdf(&sample(), Language::En);
        assert!(pdf.starts_with(b"%PDF-") && pdf.len() < 50_000);
        let csv = csv(&sample(), Language::En).expect("csv");
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows.len(), 4, "a header, two records, one device not erased: {csv}");
        assert!(rows[1].starts_with(
            "DPL-000001,laptop,Lenovo ThinkPad T14,'=5CG1,In service,2026-12-03T10:05:00Z,nist_purge"
        ));
        assert!(rows[3].starts_with("DPL-000002,wifi_dongle,Huawei E3372,DG-2,Pledged,,"), "{csv}");
    }
}
