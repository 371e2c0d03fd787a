//! Answers for most names without running the regex: the live matcher tests every tool
//! against every pattern on each keystroke.
//!
//! Two tools, both derived from [`crate::syntax`] and both conservative (anything the reader is
//! unsure of adds no condition and decides nothing):
//! - a [`Prefilter`]: conditions every matching name meets (a start, pieces it contains, an
//!   end); a name that fails them cannot match;
//! - a [`Shortcut`]: for the shapes people write most (`list_.*`, `^(list|get)_.*`, `.*docs.*`),
//!   the exact answer from string operations.
//!
//! The conformance suite checks the combined result against JavaScript.

use crate::syntax::{parse, GroupKind, Kind, Node};

/// At most this many alternative starts are expanded (`(a|b)(c|d)` → 4).
const MAX_OPTIONS: usize = 64;

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Prefilter {
    /// One entry per top-level alternative; a name can match only if one of them admits it.
    /// Empty when nothing is known (every name passes).
    alternatives: Vec<AlternativeFilter>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct AlternativeFilter {
    /// The name starts with one of these (only for the first alternative, the anchored one).
    starts: Vec<String>,
    /// Text the name contains, each piece somewhere.
    contains: Vec<String>,
    /// The name ends with each of these (a literal right before `$`).
    ends: Vec<String>,
}

impl Prefilter {
    pub(crate) fn admits(&self, name: &str) -> bool {
        self.alternatives.is_empty()
            || self.alternatives.iter().any(|alt| {
                (alt.starts.is_empty() || alt.starts.iter().any(|s| name.starts_with(s.as_str())))
                    && alt.contains.iter().all(|c| name.contains(c.as_str()))
                    && alt.ends.iter().all(|e| name.ends_with(e.as_str()))
            })
    }
}

/// The exact answer for a pattern, when its shape allows one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shortcut {
    /// Matches exactly the names that start with one of these.
    StartsWith(Vec<String>),
    /// `.*` then one of these, then anything optional: on a name without line terminators,
    /// matches exactly the names that contain one of them.
    ContainsOnOneLine(Vec<String>),
}

impl Shortcut {
    /// `Some(answer)` when decided; `None` sends the name to the regex.
    pub(crate) fn decide(&self, name: &str) -> Option<bool> {
        match self {
            Shortcut::StartsWith(options) => {
                Some(options.iter().any(|o| name.starts_with(o.as_str())))
            }
            Shortcut::ContainsOnOneLine(options) => {
                if name.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
                    None
                } else {
                    Some(options.iter().any(|o| name.contains(o.as_str())))
                }
            }
        }
    }
}

pub(crate) fn analyse(text: &str) -> (Prefilter, Option<Shortcut>) {
    let parsed = parse(text);
    if !parsed.complete {
        return (Prefilter::default(), None);
    }
    let alternatives: Vec<AlternativeFilter> = parsed
        .alternatives
        .iter()
        .enumerate()
        .map(|(i, nodes)| {
            let nodes = if i == 0 { skip_starts(nodes) } else { nodes };
            let (mut contains, mut ends) = (literal_runs(nodes), trailing_end(nodes));
            for node in nodes {
                if let Kind::Group {
                    kind: GroupKind::Lookahead,
                    alternatives,
                } = &node.kind
                {
                    if let [only] = alternatives.as_slice() {
                        contains.extend(literal_runs(only));
                        ends.extend(trailing_end(only));
                    }
                }
            }
            AlternativeFilter {
                starts: if i == 0 {
                    fixed_prefixes(nodes).map(|(o, _)| o).unwrap_or_default()
                } else {
                    Vec::new()
                },
                contains,
                ends,
            }
        })
        .collect();
    let shortcut = match parsed.alternatives.as_slice() {
        [only] => shortcut(skip_starts(only)),
        _ => None,
    };
    (Prefilter { alternatives }, shortcut)
}

/// Port's `^` anchors the first alternative; a leading `^` of the user's repeats it.
fn skip_starts(nodes: &[Node]) -> &[Node] {
    let skip = nodes.iter().take_while(|n| n.kind == Kind::Start).count();
    &nodes[skip..]
}

fn shortcut(nodes: &[Node]) -> Option<Shortcut> {
    if let Some((options, used)) = fixed_prefixes(nodes) {
        if nodes[used..].iter().all(nullable) {
            return Some(Shortcut::StartsWith(options));
        }
    }
    if let Some((first, rest)) = nodes.split_first() {
        let any_run = matches!(
            &first.kind,
            Kind::Repeat { node, min: 0, max: None, .. } if node.kind == Kind::Any
        );
        if any_run {
            if let Some((options, used)) = fixed_prefixes(rest) {
                if used > 0 && rest[used..].iter().all(nullable) {
                    return Some(Shortcut::ContainsOnOneLine(options));
                }
            }
        }
    }
    None
}

/// The texts a sequence must start with, expanded over leading groups of plain alternatives
/// (`(list|get)_` → `list_`, `get_`), and how many nodes that covers. `None` when the options
/// would be too many.
fn fixed_prefixes(nodes: &[Node]) -> Option<(Vec<String>, usize)> {
    let mut options = vec![String::new()];
    let mut used = 0;
    for node in nodes {
        match &node.kind {
            Kind::Literal(c) => options.iter_mut().for_each(|o| o.push(*c)),
            Kind::Group {
                kind: GroupKind::Capture | GroupKind::NonCapture | GroupKind::Named(_),
                alternatives,
            } => {
                let texts: Option<Vec<String>> =
                    alternatives.iter().map(|a| plain_text(a)).collect();
                let Some(texts) = texts else { break };
                if options.len() * texts.len() > MAX_OPTIONS {
                    break;
                }
                options = options
                    .iter()
                    .flat_map(|o| texts.iter().map(move |t| format!("{o}{t}")))
                    .collect();
            }
            _ => break,
        }
        used += 1;
    }
    Some((options, used))
}

/// A sequence of plain characters, as text.
fn plain_text(nodes: &[Node]) -> Option<String> {
    nodes
        .iter()
        .map(|n| match n.kind {
            Kind::Literal(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Whether a node can match the empty string with no condition at all.
fn nullable(node: &Node) -> bool {
    match &node.kind {
        // Some single pieces here are two atoms in JavaScript, and a quantifier then binds to the
        // second only: a legacy escape (`\18?` is `\1` then `8?`) and a character outside the
        // BMP (`😀*` is a surrogate, then the other surrogate repeated).
        Kind::Repeat { min: 0, node, .. } => match node.kind {
            Kind::Backref(_) | Kind::Opaque(_) => false,
            Kind::Literal(c) => u32::from(c) <= 0xFFFF,
            _ => true,
        },
        Kind::Group {
            kind: GroupKind::Capture | GroupKind::NonCapture | GroupKind::Named(_),
            alternatives,
        } => alternatives.iter().any(|a| a.iter().all(nullable)),
        _ => false,
    }
}

/// Runs of plain characters in a sequence: each must appear in any match.
fn literal_runs(nodes: &[Node]) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for node in nodes {
        match node.kind {
            Kind::Literal(c) => run.push(c),
            _ if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            _ => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// A literal run right before a final `$`: every match ends with it.
fn trailing_end(nodes: &[Node]) -> Vec<String> {
    let Some((last, before)) = nodes.split_last() else {
        return Vec::new();
    };
    if last.kind != Kind::End {
        return Vec::new();
    }
    let mut run: Vec<char> = before
        .iter()
        .rev()
        .map_while(|n| match n.kind {
            Kind::Literal(c) => Some(c),
            _ => None,
        })
        .collect();
    run.reverse();
    if run.is_empty() {
        Vec::new()
    } else {
        vec![run.into_iter().collect()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefilter(text: &str) -> Prefilter {
        analyse(text).0
    }

    fn shortcut_of(text: &str) -> Option<Shortcut> {
        analyse(text).1
    }

    #[test]
    fn prefilters_admit_every_possible_match() {
        let f = prefilter("^(list|get|search)_.*");
        assert!(f.admits("list_entities") && f.admits("get_x") && f.admits("search_"));
        assert!(!f.admits("run_action"));
        let f = prefilter(".*blueprint.*");
        assert!(f.admits("upsert_blueprint") && !f.admits("list_entities"));
        let f = prefilter("list_.*|get_.*");
        assert!(f.admits("list_a") && f.admits("forget_me") && !f.admits("run_action"));
        let f = prefilter(r"(?!delete_)\w+_entity$");
        assert!(f.admits("upsert_entity") && !f.admits("list_entities_x"));
        assert!(!f.admits("upsert_entity_x"), "ends with the run before $");
        assert!(
            prefilter("(a|)b").admits("b"),
            "an empty alternative adds no start"
        );
        assert!(
            prefilter("((a|b)c|d)").admits("bc"),
            "nested groups add no start"
        );
        assert!(prefilter("(a").admits("zzz"), "unreadable: no condition");
        assert!(prefilter("a*b").admits("b"));
        assert!(!prefilter("a*b").admits("a"));
        let f = prefilter("(?=.*_7$)run_.*");
        assert!(f.admits("run_x_7") && !f.admits("run_x_8"));
    }

    #[test]
    fn shortcuts_decide_the_common_shapes_and_nothing_else() {
        assert_eq!(
            shortcut_of("^(list|get)_.*"),
            Some(Shortcut::StartsWith(vec!["list_".into(), "get_".into()]))
        );
        assert_eq!(
            shortcut_of(".*"),
            Some(Shortcut::StartsWith(vec![String::new()]))
        );
        assert_eq!(
            shortcut_of("run_action"),
            Some(Shortcut::StartsWith(vec!["run_action".into()]))
        );
        assert_eq!(
            shortcut_of(".*docs.*"),
            Some(Shortcut::ContainsOnOneLine(vec!["docs".into()]))
        );
        assert_eq!(shortcut_of("run_action$"), None);
        assert_eq!(shortcut_of("list_.*|get_.*"), None);
        assert_eq!(shortcut_of("(?=a)a"), None);
        assert_eq!(shortcut_of(r"a\b"), None);
        assert_eq!(shortcut_of("a.*b"), None);
        assert_eq!(
            shortcut_of(r"\c?"),
            Some(Shortcut::StartsWith(vec!["\\".into()]))
        );
        assert_eq!(shortcut_of(r"\18?"), None);
        assert_eq!(shortcut_of("😀*"), None);
        let docs = Shortcut::ContainsOnOneLine(vec!["docs".into()]);
        assert_eq!(docs.decide("x_docs"), Some(true));
        assert_eq!(
            docs.decide("a\ndocs"),
            None,
            "a line break goes to the regex"
        );
    }
}
