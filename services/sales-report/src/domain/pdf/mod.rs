//! A small PDF 1.4 writer: pages of text in the standard Helvetica fonts (WinAnsi encoding, so no font file
//! is embedded) and thin rules, uncompressed, with a correct cross-reference table. [`report`] lays the
//! sales report out on it.

pub mod report;

use std::fmt::Write as _;

/// A4 landscape, in points.
pub const PAGE_WIDTH: f32 = 842.0;
pub const PAGE_HEIGHT: f32 = 595.0;

/// A run of text; `x`, `y` is its baseline start.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub x: f32,
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    pub text: String,
}

/// One page: text runs and horizontal rules `(x1, x2, y)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub texts: Vec<Text>,
    pub rules: Vec<(f32, f32, f32)>,
}

impl Page {
    pub fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, text: impl Into<String>) {
        self.texts.push(Text {
            x,
            y,
            size,
            bold,
            text: text.into(),
        });
    }
}

/// The WinAnsi byte of `c`; characters the standard fonts cannot show become `?`.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '„' => 0x84,
        '…' => 0x85,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '™' => 0x99,
        _ => b'?',
    }
}

/// `text` as a PDF literal string, kept ASCII: `\`, `(`, `)` escaped, other bytes as octal.
pub fn literal(text: &str) -> String {
    let mut out = String::from("(");
    for byte in text.chars().map(win_ansi) {
        match byte {
            b'\\' | b'(' | b')' => {
                out.push('\\');
                out.push(byte as char);
            }
            0x20..=0x7e => out.push(byte as char),
            _ => {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
    out.push(')');
    out
}

/// Helvetica's advance width of `c` in thousandths of the font size (digits, punctuation and a
/// conservative value for everything else), for right alignment and cutting.
pub fn char_width(c: char, bold: bool) -> f32 {
    match c {
        '0'..='9' => 556.0,
        '.' | ',' | ' ' => 278.0,
        '-' => 333.0,
        'i' | 'j' | 'l' | '\'' | '|' => 278.0,
        'A'..='Z' | 'm' | 'w' | '@' | '%' => 833.0,
        _ if bold => 611.0,
        _ => 556.0,
    }
}

/// The width of `text` at `size` points.
pub fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    text.chars().map(|c| char_width(c, bold)).sum::<f32>() * size / 1000.0
}

/// `text` cut with `...` so that it fits in `width` points.
pub fn fit(text: &str, width: f32, size: f32) -> String {
    if text_width(text, size, false) <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&format!("{out}{c}..."), size, false) > width {
            break;
        }
        out.push(c);
    }
    format!("{out}...")
}

fn content(page: &Page) -> String {
    let mut s = String::new();
    for t in &page.texts {
        let font = if t.bold { "F2" } else { "F1" };
        let _ = writeln!(
            s,
            "BT /{font} {:.1} Tf 1 0 0 1 {:.2} {:.2} Tm {} Tj ET",
            t.size,
            t.x,
            t.y,
            literal(&t.text)
        );
    }
    for (x1, x2, y) in &page.rules {
        let _ = writeln!(s, "0.5 w {x1:.2} {y:.2} m {x2:.2} {y:.2} l S");
    }
    s
}

/// The whole document: catalog, page tree, two fonts, an info dictionary, then a page and its content
/// stream per page; the `xref` offsets are byte positions of each object.
pub fn write(pages: &[Page], title: &str) -> Vec<u8> {
    let page_count = pages.len().max(1);
    let first_page = 6;
    let mut objects: Vec<String> = Vec::new();
    let kids: Vec<String> = (0..page_count)
        .map(|i| format!("{} 0 R", first_page + 2 * i))
        .collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {page_count} >>",
        kids.join(" ")
    ));
    for name in ["Helvetica", "Helvetica-Bold"] {
        objects.push(format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>"
        ));
    }
    objects.push(format!(
        "<< /Title {} /Producer (Eshop sales-report) >>",
        literal(title)
    ));
    let empty = Page::default();
    for i in 0..page_count {
        let page = pages.get(i).unwrap_or(&empty);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] \
             /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
            first_page + 2 * i + 1
        ));
        let stream = content(page);
        objects.push(format!(
            "<< /Length {} >>\nstream\n{stream}endstream",
            stream.len()
        ));
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref_at = out.len();
    let mut xref = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(xref, "{offset:010} 00000 n ");
    }
    let _ = write!(
        xref,
        "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref_at}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(xref.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_delimiters_and_encode_latin_text() {
        assert_eq!(literal("a(b)\\c"), "(a\\(b\\)\\\\c)");
        assert_eq!(literal("Café €"), "(Caf\\351 \\200)");
        assert_eq!(literal("日本"), "(??)");
    }

    #[test]
    fn the_cross_reference_table_points_at_every_object() {
        let mut page = Page::default();
        page.text(10.0, 10.0, 12.0, true, "Hello");
        let pdf = write(&[page.clone(), page], "T");
        let text = String::from_utf8_lossy(&pdf).to_string();
        assert!(pdf.starts_with(b"%PDF-1.4\n"));
        assert!(text.ends_with("%%EOF\n"));
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[start..].starts_with(b"xref\n0 10\n"));
        let table = std::str::from_utf8(&pdf[start..]).unwrap();
        for (n, line) in table.lines().skip(3).take(9).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                pdf[offset..].starts_with(format!("{} 0 obj", n + 1).as_bytes()),
                "object {}",
                n + 1
            );
        }
    }

    #[test]
    fn long_text_is_cut_to_its_column() {
        let cut = fit(&"x".repeat(200), 50.0, 8.0);
        assert!(cut.ends_with("..."));
        assert!(text_width(&cut, 8.0, false) <= 50.0);
        assert_eq!(fit("short", 50.0, 8.0), "short");
    }
}
