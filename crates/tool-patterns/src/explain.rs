//! A plain-language reading of one pattern, for the editor's "explain". It says what the
//! pattern's pieces mean and which tools it can reach; it does not try to be clever about what
//! the author intended.

use serde::{Deserialize, Serialize};

use crate::pattern::CompiledPattern;
use crate::syntax::{self, GroupKind, Kind, Node};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ExplanationPart {
    /// The piece of the pattern, as typed.
    pub source: String,
    pub meaning: String,
    /// UTF-16 span of the piece in the pattern text.
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    /// One or two sentences.
    pub summary: String,
    /// Which tools the pattern can apply to (Port's connector rule).
    pub scope: String,
    /// The top-level pieces, in order.
    pub parts: Vec<ExplanationPart>,
}

/// Explains `pattern` for a request with these connectors attached.
pub fn explain(pattern: &str, connectors: &[String]) -> Explanation {
    let scope = match connectors
        .iter()
        .filter(|c| pattern.starts_with(&format!("{c}_")))
        .max_by_key(|c| c.len())
    {
        Some(c) => format!(
            "Applies to the {c} connector's tools only, because the text begins with {c}_."
        ),
        None => "Applies to Port's own tools only: connector tools need a pattern whose text begins with the connector's identifier and _ (no ^ before it).".to_owned(),
    };
    let compiled = CompiledPattern::compile(pattern);
    if let Some(error) = compiled.error() {
        return Explanation {
            summary: format!(
                "Port cannot compile this pattern ({}, at position {}) and ignores it: it matches nothing.",
                error.message,
                error.start + 1
            ),
            scope,
            parts: Vec::new(),
        };
    }
    if pattern.is_empty() {
        return Explanation {
            summary: "Matches every name: an empty pattern is just Port's ^.".into(),
            scope,
            parts: Vec::new(),
        };
    }
    let parsed = syntax::parse(pattern);
    let chars: Vec<char> = pattern.chars().collect();
    let mut parts = Vec::new();
    for (a, alternative) in parsed.alternatives.iter().enumerate() {
        if a > 0 {
            parts.push(part(
                &chars,
                alternative_bar(alternative, &chars),
                "or, anywhere in the name (Port's ^ does not reach past the |):".into(),
            ));
        }
        for (i, node) in alternative.iter().enumerate() {
            let meaning = if a == 0 && i == 0 && node.kind == Kind::Start {
                "the start of the name (Port adds this ^ itself)".to_owned()
            } else {
                phrase(node)
            };
            parts.push(part(&chars, (node.start, node.end), meaning));
        }
    }
    let mut summary = String::new();
    for (a, alternative) in parsed.alternatives.iter().enumerate() {
        let body = sequence(alternative);
        let ends = alternative
            .last()
            .map(|n| n.kind == Kind::End)
            .unwrap_or(false);
        let tail = if ends { "" } else { "; anything may follow" };
        if a == 0 {
            summary.push_str(&format!("Names that start with {body}{tail}."));
        } else {
            summary.push_str(&format!(" Or names that contain, anywhere, {body}{tail}."));
        }
    }
    if !parsed.complete {
        summary.push_str(" (Portdesk could not read the rest of the pattern in detail.)");
    }
    Explanation {
        summary,
        scope,
        parts,
    }
}

fn alternative_bar(alternative: &[Node], chars: &[char]) -> (usize, usize) {
    let at = alternative
        .first()
        .map(|n| n.start.saturating_sub(1))
        .unwrap_or_else(|| chars.len().saturating_sub(1));
    (at, at + 1)
}

fn part(chars: &[char], (start, end): (usize, usize), meaning: String) -> ExplanationPart {
    let end = end.min(chars.len());
    let start = start.min(end);
    let utf16 = |n: usize| -> u32 {
        u32::try_from(chars[..n].iter().map(|c| c.len_utf16()).sum::<usize>()).unwrap_or(u32::MAX)
    };
    ExplanationPart {
        source: chars[start..end].iter().collect(),
        meaning,
        start: utf16(start),
        end: utf16(end),
    }
}

/// A sequence in words: runs of literal characters become one quoted text.
fn sequence(nodes: &[Node]) -> String {
    if nodes.is_empty() {
        return "nothing more".into();
    }
    let mut words: Vec<String> = Vec::new();
    let mut literal = String::new();
    for node in nodes {
        if let Kind::Literal(c) = node.kind {
            literal.push(c);
            continue;
        }
        if !literal.is_empty() {
            words.push(format!("\"{}\"", std::mem::take(&mut literal)));
        }
        if node.kind == Kind::Start && words.is_empty() {
            continue;
        }
        words.push(phrase(node));
    }
    if !literal.is_empty() {
        words.push(format!("\"{literal}\""));
    }
    if words.is_empty() {
        return "nothing more".into();
    }
    words.join(", then ")
}

fn phrase(node: &Node) -> String {
    match &node.kind {
        Kind::Literal(c) => format!("\"{c}\""),
        Kind::Any => "any one character".into(),
        Kind::Class { negated, body } => {
            if *negated {
                format!("one character not in [{body}]")
            } else {
                format!("one character from [{body}]")
            }
        }
        Kind::ClassEscape(c) => match c {
            'd' => "a digit".into(),
            'D' => "a character that is not a digit".into(),
            'w' => "a letter, digit or _".into(),
            'W' => "a character that is not a letter, digit or _".into(),
            's' => "a space".into(),
            _ => "a character that is not a space".into(),
        },
        Kind::Start => "the start of the name".into(),
        Kind::End => "the end of the name (nothing may follow)".into(),
        Kind::WordBoundary(true) => "a word boundary".into(),
        Kind::WordBoundary(false) => "a place that is not a word boundary".into(),
        Kind::Backref(name) => format!("the same text as group {name} matched (or, in JavaScript's legacy rules, an octal escape)"),
        Kind::InlineFlags(flags) => format!("(?{flags}), which is not JavaScript: the pattern does not compile"),
        Kind::Opaque(source) => format!("{source}, an escape whose meaning depends on JavaScript's legacy (Annex B) rules"),
        Kind::Repeat {
            node,
            min,
            max,
            lazy: _,
        } => repeat(node, *min, *max),
        Kind::Group { kind, alternatives } => group(kind, alternatives),
    }
}

fn repeat(node: &Node, min: u32, max: Option<u32>) -> String {
    if node.kind == Kind::Any {
        return match (min, max) {
            (0, None) => "anything (or nothing)".into(),
            (1, None) => "at least one character".into(),
            (0, Some(1)) => "optionally one character".into(),
            _ => format!("{} characters", count(min, max)),
        };
    }
    let inner = phrase(node);
    match (min, max) {
        (0, None) => format!("{inner}, any number of times"),
        (1, None) => format!("{inner}, once or more"),
        (0, Some(1)) => format!("optionally {inner}"),
        _ => format!("{inner}, {} times", count(min, max)),
    }
}

fn count(min: u32, max: Option<u32>) -> String {
    match max {
        Some(m) if m == min => format!("exactly {min}"),
        Some(m) => format!("{min} to {m}"),
        None => format!("{min} or more"),
    }
}

fn group(kind: &GroupKind, alternatives: &[Vec<Node>]) -> String {
    let body = if alternatives.len() > 1 {
        format!(
            "one of: {}",
            alternatives
                .iter()
                .map(|a| sequence(a))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    } else {
        alternatives
            .first()
            .map(|a| sequence(a))
            .unwrap_or_default()
    };
    match kind {
        GroupKind::Capture | GroupKind::NonCapture | GroupKind::Named(_) => body,
        GroupKind::Lookahead => format!("(checks, without consuming, that what follows is {body})"),
        GroupKind::NegativeLookahead => {
            format!("(checks, without consuming, that what follows is not {body})")
        }
        GroupKind::Lookbehind => format!("(checks that what precedes is {body})"),
        GroupKind::NegativeLookbehind => format!("(checks that what precedes is not {body})"),
        GroupKind::Modifiers(flags) => {
            format!("{body}, with the inline flags {flags} (new in JavaScript; older engines reject it)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_the_common_shapes() {
        let e = explain("^(list|get)_.*", &[]);
        assert_eq!(
            e.summary,
            "Names that start with one of: \"list\" or \"get\", then \"_\", then anything (or nothing); anything may follow."
        );
        assert!(e.scope.contains("Port's own tools"));
        assert_eq!(
            e.parts[0].meaning,
            "the start of the name (Port adds this ^ itself)"
        );
        let e = explain(r"(?!delete_)\w+_entity$", &[]);
        assert!(e.summary.contains("not \"delete_\""), "{}", e.summary);
        assert!(e
            .summary
            .ends_with("the end of the name (nothing may follow)."));
    }

    #[test]
    fn says_what_alternation_and_connectors_do() {
        let e = explain("list_.*|get_.*", &[]);
        assert!(
            e.summary
                .contains("Or names that contain, anywhere, \"get_\""),
            "{}",
            e.summary
        );
        let e = explain("notion_.*", &["notion".to_owned()]);
        assert!(e.scope.contains("notion connector"));
        let e = explain("^notion_.*", &["notion".to_owned()]);
        assert!(e.scope.contains("Port's own tools"));
    }

    #[test]
    fn invalid_patterns_say_port_ignores_them() {
        let e = explain("(?i)list", &[]);
        assert!(e.summary.starts_with("Port cannot compile this pattern"));
        assert!(e.parts.is_empty());
    }
}
