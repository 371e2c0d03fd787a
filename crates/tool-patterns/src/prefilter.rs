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

use memchr::memmem::Finder;

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
    contains: Vec<Needle>,
    /// The name ends with each of these (a literal right before `$`).
    ends: Vec<String>,
}

/// A piece of text to find in names, with its searcher built once: building one per name cost
/// more than the search.
#[derive(Clone)]
pub(crate) struct Needle {
    text: String,
    finder: Finder<'static>,
}

impl Needle {
    fn new(text: String) -> Self {
        let finder = Finder::new(text.as_bytes()).into_owned();
        Self { text, finder }
    }

    fn find_in(&self, haystack: &str) -> Option<usize> {
        self.finder.find(haystack.as_bytes())
    }

    fn len(&self) -> usize {
        self.text.len()
    }
}

impl PartialEq for Needle {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl std::fmt::Debug for Needle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.text.fmt(f)
    }
}

impl From<&str> for Needle {
    fn from(text: &str) -> Self {
        Self::new(text.to_owned())
    }
}

fn needles(texts: Vec<String>) -> Vec<Needle> {
    texts.into_iter().map(Needle::new).collect()
}

impl Prefilter {
    pub(crate) fn admits(&self, name: &str) -> bool {
        self.alternatives.is_empty()
            || self.alternatives.iter().any(|alt| {
                (alt.starts.is_empty() || alt.starts.iter().any(|s| name.starts_with(s.as_str())))
                    && alt.ends.iter().all(|e| name.ends_with(e.as_str()))
                    && alt.contains.iter().all(|c| c.find_in(name).is_some())
            })
    }

    /// Texts one of which starts every name the pattern can match (none of them empty, none
    /// starting with another), when the pattern has such a start: the matcher then looks only
    /// at the names that begin so.
    pub(crate) fn required_starts(&self) -> Option<Vec<&str>> {
        let [only] = self.alternatives.as_slice() else {
            return None;
        };
        if only.starts.is_empty() || only.starts.iter().any(String::is_empty) {
            return None;
        }
        let mut starts: Vec<&str> = only.starts.iter().map(String::as_str).collect();
        starts.sort_unstable();
        // After sorting, a start that extends an earlier one is covered by it.
        let mut kept: Vec<&str> = Vec::with_capacity(starts.len());
        for start in starts {
            if !kept.last().is_some_and(|k| start.starts_with(k)) {
                kept.push(start);
            }
        }
        Some(kept)
    }
}

/// The exact answer for a pattern, when its shape allows one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shortcut {
    /// Matches exactly the names that start with one of these.
    StartsWith(Vec<String>),
    /// `.*` then one of these, then anything optional: on a name without line terminators,
    /// matches exactly the names that contain one of them.
    ContainsOnOneLine(Vec<Needle>),
    /// A start (one of `starts`), then `.*` before each of `pieces`, then anything optional
    /// (`run_.*github.*`): on a name without line terminators, matches exactly the names that
    /// start so and contain the pieces after it, in order.
    PiecesOnOneLine {
        starts: Vec<String>,
        pieces: Vec<Needle>,
    },
}

/// Whether `.` could fail on the name: it has a line terminator (`\n`, `\r`, U+2028 or U+2029,
/// the last two encoded from the byte 0xE2 on). A byte search, not a char search: this runs on
/// every name for the `.*` shapes.
fn may_break_lines(name: &str) -> bool {
    memchr::memchr3(b'\n', b'\r', 0xE2, name.as_bytes()).is_some()
}

impl Shortcut {
    /// `Some(answer)` when decided; `None` sends the name to the regex.
    pub(crate) fn decide(&self, name: &str) -> Option<bool> {
        match self {
            Shortcut::StartsWith(options) => {
                Some(options.iter().any(|o| name.starts_with(o.as_str())))
            }
            Shortcut::ContainsOnOneLine(options) => {
                if may_break_lines(name) {
                    None
                } else {
                    Some(options.iter().any(|o| o.find_in(name).is_some()))
                }
            }
            Shortcut::PiecesOnOneLine { starts, pieces } => {
                if may_break_lines(name) {
                    return None;
                }
                Some(starts.iter().any(|start| {
                    name.strip_prefix(start.as_str())
                        .is_some_and(|rest| contains_in_order(rest, pieces))
                }))
            }
        }
    }
}

/// Each piece found after the previous one: the leftmost occurrence leaves the most room.
fn contains_in_order(mut rest: &str, pieces: &[Needle]) -> bool {
    for piece in pieces {
        match piece.find_in(rest) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
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
                contains: needles(contains),
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
        if is_any_run(first) {
            if let Some((options, used)) = fixed_prefixes(rest) {
                if used > 0 && rest[used..].iter().all(nullable) {
                    return Some(Shortcut::ContainsOnOneLine(needles(options)));
                }
            }
        }
    }
    pieces_shortcut(nodes)
}

fn is_any_run(node: &Node) -> bool {
    matches!(
        &node.kind,
        Kind::Repeat { node, min: 0, max: None, .. } if node.kind == Kind::Any
    )
}

/// `start.*piece.*piece…`: a fixed start (possibly empty), then pieces of plain text each
/// after a `.*`, then only optional nodes.
fn pieces_shortcut(nodes: &[Node]) -> Option<Shortcut> {
    let (starts, mut used) = fixed_prefixes(nodes)?;
    let mut pieces = Vec::new();
    while nodes.get(used).is_some_and(is_any_run) {
        let rest = &nodes[used + 1..];
        if rest.iter().all(nullable) {
            break;
        }
        match fixed_prefixes(rest) {
            Some((options, taken)) if taken > 0 && options.len() == 1 => {
                pieces.extend(options);
                used += 1 + taken;
            }
            _ => return None,
        }
    }
    let tail_optional = nodes[used..].iter().all(nullable);
    (tail_optional && !pieces.is_empty()).then(|| Shortcut::PiecesOnOneLine {
        starts,
        pieces: needles(pieces),
    })
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
        assert_eq!(
            shortcut_of("a.*b"),
            Some(Shortcut::PiecesOnOneLine {
                starts: vec!["a".into()],
                pieces: vec!["b".into()]
            })
        );
        assert_eq!(
            shortcut_of("^(run|get)_.*github.*_prod.*"),
            Some(Shortcut::PiecesOnOneLine {
                starts: vec!["run_".into(), "get_".into()],
                pieces: vec!["github".into(), "_prod".into()]
            })
        );
        assert_eq!(
            shortcut_of("a.*b$"),
            None,
            "an end anchor goes to the regex"
        );
        assert_eq!(shortcut_of(r"a.*\d"), None);
        assert_eq!(shortcut_of("a.*(b|c)d"), None, "one text per piece");
        let pieces = shortcut_of("run_.*git.*hub").expect("pieces");
        assert_eq!(pieces.decide("run_x_github"), Some(true));
        assert_eq!(pieces.decide("run_hub_git"), Some(false), "in order");
        assert_eq!(pieces.decide("run_githu"), Some(false));
        assert_eq!(pieces.decide("get_github"), Some(false));
        assert_eq!(pieces.decide("run_git\nhub"), None);
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
