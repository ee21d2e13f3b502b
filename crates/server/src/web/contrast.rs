//! WCAG 2.1 contrast of the pages' colours, computed from the palette in
//! `assets/style.css` (its `:root` variables and the few backgrounds written
//! as literals): every pair of text and background, and of a control's
//! boundary and the page, meets AA (4.5:1 for text, 3:1 for large text and
//! user-interface components), and the ratios listed in the comment at the
//! top of the style sheet are the ones computed here.

use std::collections::HashMap;

/// A colour written `#rgb` or `#rrggbb`, as red, green and blue in 0–255.
fn parse_hex(hex: &str) -> Option<[u8; 3]> {
    let h = hex.strip_prefix('#')?;
    let digits: Vec<u8> = match h.len() {
        3 => h
            .chars()
            .map(|c| c.to_digit(16).map(|d| (d * 17) as u8))
            .collect::<Option<_>>()?,
        6 => (0..3)
            .map(|i| u8::from_str_radix(h.get(i * 2..i * 2 + 2)?, 16).ok())
            .collect::<Option<_>>()?,
        _ => return None,
    };
    Some([digits[0], digits[1], digits[2]])
}

/// Relative luminance (WCAG 2.1, sRGB).
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The contrast ratio of two colours, 1 to 21.
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la >= lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The `:root` custom properties of a style sheet: `--ink` → `#1a1a1a`.
fn palette(css: &str) -> HashMap<String, String> {
    let root = css
        .find(":root")
        .and_then(|at| {
            let rest = &css[at..];
            Some(&rest[rest.find('{')? + 1..rest.find('}')?])
        })
        .unwrap_or("");
    root.split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let name = name.trim();
            name.starts_with("--")
                .then(|| (name.to_string(), value.trim().to_string()))
        })
        .collect()
}

/// A colour of the palette by name (`ink` for `var(--ink)`) or a literal `#hex`.
fn colour(palette: &HashMap<String, String>, name: &str) -> [u8; 3] {
    let hex = if name.starts_with('#') {
        name.to_string()
    } else {
        palette
            .get(&format!("--{name}"))
            .unwrap_or_else(|| panic!("--{name} is not in the palette"))
            .clone()
    };
    parse_hex(&hex).unwrap_or_else(|| panic!("{hex} is not a #hex colour"))
}

/// Text and its background, and boundaries of controls against the page:
/// (foreground, background, the least ratio AA asks, where it is used).
const PAIRS: &[(&str, &str, f64, &str)] = &[
    ("ink", "bg", 4.5, "本文"),
    ("muted", "bg", 4.5, "補足・注記"),
    ("accent", "bg", 4.5, "リンク"),
    ("ok", "bg", 4.5, "満たしている・支給決定"),
    ("ng", "bg", 4.5, "誤り・不支給"),
    ("pending", "bg", 4.5, "判定待ち"),
    ("#ffffff", "accent", 4.5, "ボタン・未読の印"),
    ("#ffffff", "ng", 4.5, "取り消しのボタン・止まった手順"),
    ("#ffffff", "ok", 4.5, "済んだ手順の番号"),
    ("ink", "#f2f4f7", 4.5, "表の見出し"),
    ("ink", "#fff8e6", 4.5, "お知らせ枠"),
    ("pending", "#fff8e6", 4.5, "お知らせ枠の判定待ち"),
    ("ink", "#eef8f1", 4.5, "完了の知らせ"),
    ("ok", "#eef8f1", 4.5, "完了の知らせの強調"),
    ("ink", "#fdf0f2", 4.5, "警告枠"),
    ("ng", "#fdf0f2", 4.5, "警告枠の見出し"),
    ("ink", "#fff4f4", 4.5, "問題のある行"),
    ("ink", "#eef4fb", 4.5, "いまの手順"),
    ("accent", "#f3f8fd", 4.5, "未読のお知らせのリンク"),
    ("ink", "#e5e7eb", 4.5, "手順の番号"),
    ("ink", "#fff8f8", 4.5, "誤りのある入力欄"),
    ("ink", "#f7f8fa", 4.5, "経費表の補足行"),
    ("#767676", "bg", 3.0, "入力欄の枠"),
    ("ng", "bg", 3.0, "誤りのある入力欄の枠"),
    ("accent", "bg", 3.0, "ボタン・グラフの棒"),
    ("focus", "bg", 3.0, "キーボード操作の枠（フォーカス）"),
    ("focus", "#f2f4f7", 3.0, "表の見出しの上のフォーカス"),
];

/// The line of the style sheet's top comment for one pair.
fn comment_line(fg: &str, bg: &str, ratio: f64, min: f64, what: &str) -> String {
    let name = |c: &str| {
        if c.starts_with('#') {
            c.to_string()
        } else {
            format!("--{c}")
        }
    };
    format!(
        "   {} on {}: {ratio:.2}:1 (>= {min}) {what}",
        name(fg),
        name(bg)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_follows_wcag() {
        let black = parse_hex("#000").unwrap();
        let white = parse_hex("#ffffff").unwrap();
        assert!((contrast(black, white) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        assert_eq!(contrast(black, white), contrast(white, black));
        // WebAIM's example: #767676 on white is the lightest grey at 4.5:1.
        let grey = parse_hex("#767676").unwrap();
        assert!((contrast(grey, white) - 4.54).abs() < 0.01);
        assert!(contrast(parse_hex("#777777").unwrap(), white) < 4.5);
        assert_eq!(parse_hex("#0b5cad"), Some([0x0b, 0x5c, 0xad]));
        assert_eq!(parse_hex("#fff"), Some([255, 255, 255]));
        assert_eq!(parse_hex("#12345"), None);
        assert_eq!(parse_hex("0b5cad"), None);
    }

    /// Every pair the pages use meets AA, and the style sheet's comment
    /// lists each ratio as computed here.
    #[test]
    fn the_palette_meets_aa_and_the_style_sheet_says_so() {
        let css = crate::web::STYLE;
        let palette = palette(css);
        assert!(palette.contains_key("--ink") && palette.contains_key("--focus"));
        let comment = &css[..css.find("*/").expect("a comment at the top")];
        let mut failing = Vec::new();
        for (fg, bg, min, what) in PAIRS {
            for c in [fg, bg] {
                if c.starts_with('#') && *c != "#ffffff" {
                    assert!(
                        css.contains(c),
                        "{c} is no longer in style.css: drop it here"
                    );
                }
            }
            let ratio = contrast(colour(&palette, fg), colour(&palette, bg));
            if ratio < *min {
                failing.push(format!("{fg} on {bg}: {ratio:.2} < {min} ({what})"));
            }
            let line = comment_line(fg, bg, ratio, *min, what);
            assert!(
                comment.contains(&line),
                "the comment at the top of style.css lacks\n{line}"
            );
        }
        assert!(failing.is_empty(), "{failing:#?}");
        // The focus ring is never taken away.
        let squeezed: String = css.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(squeezed.contains(":focus-visible{outline:3pxsolidvar(--focus)"));
        assert!(!squeezed.contains("outline:none") && !squeezed.contains("outline:0"));
    }
}
