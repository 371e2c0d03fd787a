//! One pattern as Port evaluates it: `new RegExp("^" + text)`, no flags, compiled once.

use regress::{Flags, Regex};
use serde::{Deserialize, Serialize};

use crate::prefilter::{self, Prefilter, Shortcut};
use crate::{annex_b, syntax};

/// Patterns longer than this get their error placed at the end instead of searched for: the
/// search compiles one prefix per character.
const MAX_POSITION_SEARCH: usize = 2_000;

/// Why a pattern does not compile, and where.
///
/// JavaScript's own error ("Invalid regular expression: /^(a/: Unterminated group") carries no
/// position, and neither does regress's. Portdesk derives one: the error sits at the last
/// character of the shortest prefix of the pattern that already fails with the same message
/// (an unclosed `(` fails at the `(`, a stray `)` at itself, `a**` at the second `*`). When no
/// prefix fails the same way (the message depends on the whole text), the position is the end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct PatternError {
    /// The engine's message, e.g. "Unbalanced parenthesis".
    pub message: String,
    /// UTF-16 offset into the pattern text as typed (without Port's added `^`), the way an
    /// editor in the UI counts.
    pub start: u32,
    /// Exclusive end, UTF-16; `start == end` only for an empty pattern.
    pub end: u32,
}

/// A pattern compiled the way Port compiles it. Invalid patterns keep their error and match
/// nothing, as in Port (which ignores them silently; Portdesk reports them).
#[derive(Debug, Clone)]
pub struct CompiledPattern {
    text: String,
    regex: Option<Regex>,
    error: Option<PatternError>,
    /// What every name matched by `^text` looks like; most names skip the regex on it.
    prefilter: Prefilter,
    /// The exact answer from string operations, for the common shapes.
    shortcut: Option<Shortcut>,
    /// The whole pattern is plain text (escapes resolved): a match is exactly
    /// `name.starts_with(text)`.
    literal: Option<String>,
}

impl CompiledPattern {
    pub fn compile(text: &str) -> Self {
        match build(text) {
            Ok(regex) => {
                let (prefix, all_literal) = syntax::literal_prefix(text);
                let literal = all_literal.then_some(prefix);
                let (prefilter, shortcut) = prefilter::analyse(text);
                Self {
                    text: text.to_owned(),
                    regex: Some(regex),
                    error: None,
                    prefilter,
                    shortcut,
                    literal,
                }
            }
            Err(message) => Self {
                text: text.to_owned(),
                regex: None,
                error: Some(locate_error(text, message)),
                prefilter: Prefilter::default(),
                shortcut: None,
                literal: None,
            },
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_valid(&self) -> bool {
        self.regex.is_some()
    }

    pub fn error(&self) -> Option<&PatternError> {
        self.error.as_ref()
    }

    /// `new RegExp("^" + text).test(name)`, without the connector rule (see [`PatternSet`]).
    pub fn test(&self, name: &str) -> bool {
        let Some(regex) = &self.regex else {
            return false;
        };
        if let Some(literal) = &self.literal {
            return name.starts_with(literal.as_str());
        }
        if let Some(answer) = self.shortcut.as_ref().and_then(|s| s.decide(name)) {
            return answer;
        }
        if !self.prefilter.admits(name) {
            return false;
        }
        if name.is_ascii() {
            regex.find_ascii(name).is_some()
        } else {
            // JavaScript strings are UTF-16 and a flagless RegExp sees code units: `.` takes
            // half of an emoji. Matching over UCS-2 keeps that for names outside ASCII.
            let units: Vec<u16> = name.encode_utf16().collect();
            regex.find_from_ucs2(&units, 0).next().is_some()
        }
    }

    /// When the pattern matches exactly the names that start with one of these texts.
    pub(crate) fn exact_prefixes(&self) -> Option<Vec<&str>> {
        self.regex.as_ref()?;
        if let Some(literal) = &self.literal {
            return Some(vec![literal.as_str()]);
        }
        match &self.shortcut {
            Some(Shortcut::StartsWith(options)) => {
                Some(options.iter().map(String::as_str).collect())
            }
            _ => None,
        }
    }

    /// Texts one of which starts every name the pattern can match, when it has such a start.
    pub(crate) fn required_starts(&self) -> Option<Vec<&str>> {
        self.regex.as_ref()?;
        self.prefilter.required_starts()
    }

    /// Whether the pattern has no regex syntax at all, so it can only match names that start
    /// with its text (used to tell broad patterns from exact names).
    pub fn is_literal(&self) -> bool {
        self.literal.is_some()
    }
}

/// The patterns of one request or agent, each compiled once, in the order given (pattern
/// indices in every report refer to this order).
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    patterns: Vec<CompiledPattern>,
}

impl PatternSet {
    pub fn compile<S: AsRef<str>>(patterns: &[S]) -> Self {
        Self {
            patterns: patterns
                .iter()
                .map(|p| CompiledPattern::compile(p.as_ref()))
                .collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&CompiledPattern> {
        self.patterns.get(index)
    }

    pub fn iter(&self) -> impl Iterator<Item = &CompiledPattern> {
        self.patterns.iter()
    }

    pub fn texts(&self) -> Vec<String> {
        self.patterns.iter().map(|p| p.text.clone()).collect()
    }
}

/// Compiles `"^" + text` from UTF-16 code units, as JavaScript reads the string: a character
/// outside the BMP in the pattern is two units, each its own atom.
fn build(text: &str) -> Result<Regex, String> {
    let units = annex_b::prepare(text)?;
    let source: Vec<u32> = std::iter::once(u32::from('^'))
        .chain(units.into_iter().map(u32::from))
        .collect();
    Regex::from_unicode(source.into_iter(), Flags::default()).map_err(|e| e.text)
}

fn locate_error(text: &str, message: String) -> PatternError {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut at = chars.len();
    if chars.len() <= MAX_POSITION_SEARCH {
        for (i, (byte, c)) in chars.iter().enumerate() {
            let prefix = &text[..byte + c.len_utf8()];
            if matches!(build(prefix), Err(m) if m == message) {
                at = i;
                break;
            }
        }
    }
    let utf16_before = |n: usize| -> u32 {
        let units: usize = chars.iter().take(n).map(|(_, c)| c.len_utf16()).sum();
        u32::try_from(units).unwrap_or(u32::MAX)
    };
    if at >= chars.len() {
        let end = utf16_before(chars.len());
        let start = utf16_before(chars.len().saturating_sub(1));
        return PatternError {
            message,
            start,
            end,
        };
    }
    PatternError {
        message,
        start: utf16_before(at),
        end: utf16_before(at + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(p: &str) -> PatternError {
        CompiledPattern::compile(p).error.expect("invalid")
    }

    #[test]
    fn start_anchored_not_end_anchored() {
        let p = CompiledPattern::compile("list");
        assert!(p.test("list_entities"));
        assert!(!p.test("x_list_entities"));
        assert!(CompiledPattern::compile("list_.*").test("list_"));
    }

    #[test]
    fn alternation_binds_looser_than_the_added_anchor() {
        // "^" + "a|get_" is /^a|get_/: the second alternative may match anywhere.
        let p = CompiledPattern::compile("list_.*|get_.*");
        assert!(p.test("forget_me"));
        assert!(CompiledPattern::compile("|x").test("anything"));
    }

    #[test]
    fn lookahead_and_inline_flags() {
        let safe = CompiledPattern::compile(r"(?!delete_)\w+_entity$");
        assert!(safe.test("upsert_entity"));
        assert!(!safe.test("delete_entity"));
        assert!(!CompiledPattern::compile("(?i)list").is_valid());
    }

    #[test]
    fn invalid_patterns_match_nothing_and_carry_a_position() {
        let p = CompiledPattern::compile("(list");
        assert!(!p.test("list_entities"));
        let e = err("ab(cd");
        assert_eq!((e.start, e.end), (2, 3));
        let e = err("abc)");
        assert_eq!((e.start, e.end), (3, 4));
        let e = err("é(");
        assert_eq!(e.start, 1, "UTF-16 offsets");
        let e = err("😀(");
        assert_eq!(e.start, 2, "an astral character is two UTF-16 units");
    }

    #[test]
    fn literal_patterns_skip_the_regex_but_agree_with_it() {
        let p = CompiledPattern::compile("run_action");
        assert!(p.is_literal());
        assert!(p.test("run_action"));
        assert!(p.test("run_actions"));
        assert!(!p.test("run_acti"));
        let escaped = CompiledPattern::compile(r"a\.b");
        assert!(escaped.is_literal());
        assert!(escaped.test("a.b_x") && !escaped.test("a\\.b"));
    }

    #[test]
    fn names_outside_ascii_are_matched_as_utf16() {
        // One astral character is two code units for a flagless JavaScript RegExp.
        assert!(!CompiledPattern::compile(".$").test("😀"));
        assert!(CompiledPattern::compile("..$").test("😀"));
    }
}
