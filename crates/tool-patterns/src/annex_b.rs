//! Where regress 0.12 and JavaScript (a flagless RegExp with Annex B, as Node 20 reads it)
//! disagree, the pattern is rewritten or rejected here before regress sees it. Each rule was
//! found by the conformance suite (tests/conformance.rs), which compares with Node.
//!
//! - `\u{…}` without the `u` flag is not a code point escape: `\u` is the letter `u`, and
//!   `{41}` then repeats it. regress reads a code point; the backslash is dropped here.
//! - `(?i:…)`, `(?-i:…)` (ES2025 modifiers) and `(?i)`: Node 20 rejects every `(?` that does
//!   not start `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or a named group; regress 0.12 accepts the
//!   modifiers.
//! - A quantifier after `\b` or `\B`: JavaScript has nothing to repeat; regress repeats the
//!   assertion.

pub(crate) const INVALID_GROUP: &str = "Invalid group";
pub(crate) const NOTHING_TO_REPEAT: &str = "Nothing to repeat";

/// The pattern as UTF-16 code units, ready for regress, or JavaScript's error.
pub(crate) fn prepare(text: &str) -> Result<Vec<u16>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    out.push(c);
                    i += 1;
                    continue;
                };
                if next == 'u' && !hex_follows(&chars, i + 2, 4) {
                    out.push('u');
                    i += 2;
                    continue;
                }
                out.push(c);
                out.push(next);
                i += 2;
                if !in_class && (next == 'b' || next == 'B') && quantifier_at(&chars, i) {
                    return Err(NOTHING_TO_REPEAT.into());
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                i += 1;
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
                i += 1;
            }
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                match chars.get(i + 2) {
                    None | Some(':') | Some('=') | Some('!') | Some('<') => {}
                    Some(_) => return Err(INVALID_GROUP.into()),
                }
                out.push(c);
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    Ok(out.encode_utf16().collect())
}

fn hex_follows(chars: &[char], from: usize, n: usize) -> bool {
    (from..from + n).all(|j| chars.get(j).is_some_and(|c| c.is_ascii_hexdigit()))
}

/// `*`, `+`, `?`, or a well-formed `{n}`, `{n,}`, `{n,m}` at `at`.
fn quantifier_at(chars: &[char], at: usize) -> bool {
    match chars.get(at) {
        Some('*' | '+' | '?') => true,
        Some('{') => {
            let mut j = at + 1;
            let digits_from = |j: &mut usize| {
                let start = *j;
                while chars.get(*j).is_some_and(char::is_ascii_digit) {
                    *j += 1;
                }
                *j > start
            };
            if !digits_from(&mut j) {
                return false;
            }
            if chars.get(j) == Some(&',') {
                j += 1;
                digits_from(&mut j);
            }
            chars.get(j) == Some(&'}')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(p: &str) -> String {
        String::from_utf16_lossy(&prepare(p).expect("accepted"))
    }

    #[test]
    fn rewrites_and_rejects_what_javascript_reads_differently() {
        assert_eq!(text(r"\u{41}"), "u{41}");
        assert_eq!(text(r"[\u{]"), "[u{]");
        assert_eq!(text(r"\u0041"), r"\u0041");
        assert_eq!(text(r"\\u{41}"), r"\\u{41}", "an escaped backslash, then u");
        assert_eq!(prepare("(?i:a)"), Err(INVALID_GROUP.into()));
        assert_eq!(prepare("(?i)a"), Err(INVALID_GROUP.into()));
        assert_eq!(
            text("[(?i)]"),
            "[(?i)]",
            "inside a class it is just characters"
        );
        assert_eq!(text("(?<n>a)(?<=a)(?:a)"), "(?<n>a)(?<=a)(?:a)");
        assert_eq!(prepare(r"\b+"), Err(NOTHING_TO_REPEAT.into()));
        assert_eq!(prepare(r"a\B{1,}"), Err(NOTHING_TO_REPEAT.into()));
        assert_eq!(text(r"\b{"), r"\b{");
        assert_eq!(text(r"[\b]+"), r"[\b]+");
    }
}
