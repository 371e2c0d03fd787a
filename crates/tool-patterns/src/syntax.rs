//! A lenient reader of ECMAScript pattern syntax, for explanations, lints and the literal-prefix
//! prefilter. It never decides validity (regress does, exactly as JavaScript): it reads as far
//! as it can, and marks anything whose meaning depends on Annex B subtleties as opaque so that
//! no caller treats it as plain text.

/// A piece of a pattern, with its span in characters of the pattern text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// A character that matches itself.
    Literal(char),
    /// `.`
    Any,
    /// `[...]`, with its source between the brackets.
    Class { negated: bool, body: String },
    /// `\d \D \w \W \s \S`
    ClassEscape(char),
    /// `^`
    Start,
    /// `$`
    End,
    /// `\b` (true) or `\B` (false).
    WordBoundary(bool),
    /// `\1`, `\k<name>`, or an Annex B octal escape: which one depends on the whole pattern.
    Backref(String),
    Group {
        kind: GroupKind,
        alternatives: Vec<Vec<Node>>,
    },
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        lazy: bool,
    },
    /// `(?i)`, `(?i:`…: flags inside the pattern.
    InlineFlags(String),
    /// An escape whose meaning this reader does not pin down (`\c1`, `\u{…}`).
    Opaque(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum GroupKind {
    Capture,
    Named(String),
    NonCapture,
    Lookahead,
    NegativeLookahead,
    Lookbehind,
    NegativeLookbehind,
    /// `(?flags:...)`
    Modifiers(String),
}

/// The top-level alternatives of a pattern; `complete` is false when reading stopped early
/// (a stray `)`, an unclosed group or class).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub(crate) alternatives: Vec<Vec<Node>>,
    pub(crate) complete: bool,
}

pub(crate) fn parse(text: &str) -> Parsed {
    let mut reader = Reader {
        chars: text.chars().collect(),
        pos: 0,
        complete: true,
    };
    let alternatives = reader.disjunction();
    if reader.pos < reader.chars.len() {
        reader.complete = false;
    }
    Parsed {
        alternatives,
        complete: reader.complete,
    }
}

/// The literal text every match must begin with, and whether the pattern is nothing but that
/// text. Conservative: any doubt ends the prefix.
pub(crate) fn literal_prefix(text: &str) -> (String, bool) {
    let parsed = parse(text);
    if parsed.alternatives.len() != 1 {
        return (String::new(), false);
    }
    let mut prefix = String::new();
    let mut all_literal = parsed.complete;
    for node in &parsed.alternatives[0] {
        match node.kind {
            Kind::Literal(c) => prefix.push(c),
            _ => {
                all_literal = false;
                break;
            }
        }
    }
    (prefix, all_literal)
}

/// Inline flag groups like `(?i)` or `(?i:…)`, with their character spans.
pub(crate) fn inline_flags(text: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let parsed = parse(text);
    for alternative in &parsed.alternatives {
        collect_flags(alternative, &mut found);
    }
    found
}

fn collect_flags(nodes: &[Node], found: &mut Vec<(usize, usize, String)>) {
    for node in nodes {
        match &node.kind {
            Kind::InlineFlags(flags) => found.push((node.start, node.end, flags.clone())),
            Kind::Group { kind, alternatives } => {
                if let GroupKind::Modifiers(flags) = kind {
                    found.push((
                        node.start,
                        node.start + 3 + flags.chars().count(),
                        flags.clone(),
                    ));
                }
                for alternative in alternatives {
                    collect_flags(alternative, found);
                }
            }
            Kind::Repeat { node, .. } => collect_flags(std::slice::from_ref(node.as_ref()), found),
            _ => {}
        }
    }
}

struct Reader {
    chars: Vec<char>,
    pos: usize,
    complete: bool,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn looking_at(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn disjunction(&mut self) -> Vec<Vec<Node>> {
        let mut alternatives = vec![self.sequence()];
        while self.peek() == Some('|') {
            self.pos += 1;
            alternatives.push(self.sequence());
        }
        alternatives
    }

    fn sequence(&mut self) -> Vec<Node> {
        let mut nodes: Vec<Node> = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            if let Some((min, max, len)) = self.quantifier() {
                self.pos += len;
                let lazy = self.peek() == Some('?');
                if lazy {
                    self.pos += 1;
                }
                match nodes.pop() {
                    Some(last) => {
                        let start = last.start;
                        nodes.push(Node {
                            kind: Kind::Repeat {
                                node: Box::new(last),
                                min,
                                max,
                                lazy,
                            },
                            start,
                            end: self.pos,
                        });
                    }
                    None => {
                        // Nothing to repeat: JavaScript rejects it; stop reading.
                        self.complete = false;
                        return nodes;
                    }
                }
                continue;
            }
            match self.atom() {
                Some(node) => nodes.push(node),
                None => return nodes,
            }
        }
        nodes
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` at the cursor: (min, max, length).
    fn quantifier(&self) -> Option<(u32, Option<u32>, usize)> {
        match self.peek()? {
            '*' => Some((0, None, 1)),
            '+' => Some((1, None, 1)),
            '?' => Some((0, Some(1), 1)),
            '{' => {
                let rest: String = self.chars[self.pos..].iter().collect();
                let close = rest.find('}')?;
                let inner = &rest[1..close];
                let (min, max) = match inner.split_once(',') {
                    None => {
                        let n = digits(inner)?;
                        (n, Some(n))
                    }
                    Some((a, "")) => (digits(a)?, None),
                    Some((a, b)) => (digits(a)?, Some(digits(b)?)),
                };
                Some((min, max, inner.chars().count() + 2))
            }
            _ => None,
        }
    }

    fn atom(&mut self) -> Option<Node> {
        let start = self.pos;
        let c = self.peek()?;
        self.pos += 1;
        let kind = match c {
            '.' => Kind::Any,
            '^' => Kind::Start,
            '$' => Kind::End,
            '\\' => self.escape(),
            '[' => self.class()?,
            '(' => self.group()?,
            other => Kind::Literal(other),
        };
        Some(Node {
            kind,
            start,
            end: self.pos,
        })
    }

    fn escape(&mut self) -> Kind {
        let Some(c) = self.peek() else {
            self.complete = false;
            return Kind::Opaque("\\".into());
        };
        self.pos += 1;
        match c {
            'd' | 'D' | 'w' | 'W' | 's' | 'S' => Kind::ClassEscape(c),
            'b' => Kind::WordBoundary(true),
            'B' => Kind::WordBoundary(false),
            'n' => Kind::Literal('\n'),
            't' => Kind::Literal('\t'),
            'r' => Kind::Literal('\r'),
            'f' => Kind::Literal('\u{c}'),
            'v' => Kind::Literal('\u{b}'),
            '0'..='9' => {
                let mut text = String::from(c);
                while let Some(d @ '0'..='9') = self.peek() {
                    text.push(d);
                    self.pos += 1;
                }
                Kind::Backref(text)
            }
            'k' if self.peek() == Some('<') => {
                let rest: String = self.chars[self.pos..].iter().collect();
                match rest.find('>') {
                    Some(close) => {
                        self.pos += rest[..=close].chars().count();
                        Kind::Backref(rest[1..close].to_string())
                    }
                    None => Kind::Opaque("\\k".into()),
                }
            }
            'x' => match self.hex(2) {
                Some(ch) => Kind::Literal(ch),
                None => Kind::Literal('x'),
            },
            'u' => match self.hex(4) {
                Some(ch) => Kind::Literal(ch),
                None => Kind::Opaque("\\u".into()),
            },
            'c' => match self.peek() {
                Some(letter) if letter.is_ascii_alphabetic() => {
                    self.pos += 1;
                    Kind::Literal(char::from((letter as u8) % 32))
                }
                // Annex B: without a control letter, `\` is a backslash and `c` the next atom.
                _ => {
                    self.pos -= 1;
                    Kind::Literal('\\')
                }
            },
            // Identity escapes of letters are Annex B territory (`\k`, `\p`, …): not plain text.
            other if other.is_ascii_alphanumeric() => Kind::Opaque(format!("\\{other}")),
            other => Kind::Literal(other),
        }
    }

    fn hex(&mut self, n: usize) -> Option<char> {
        let digits: String = (0..n).map_while(|i| self.peek_at(i)).collect();
        if digits.chars().count() != n || !digits.chars().all(|d| d.is_ascii_hexdigit()) {
            return None;
        }
        let value = u32::from_str_radix(&digits, 16).ok()?;
        let ch = char::from_u32(value)?;
        self.pos += n;
        Some(ch)
    }

    fn class(&mut self) -> Option<Kind> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut body = String::new();
        loop {
            match self.peek() {
                None => {
                    self.complete = false;
                    return None;
                }
                Some(']') => {
                    self.pos += 1;
                    return Some(Kind::Class { negated, body });
                }
                Some('\\') => {
                    body.push('\\');
                    self.pos += 1;
                    if let Some(next) = self.peek() {
                        body.push(next);
                        self.pos += 1;
                    }
                }
                Some(other) => {
                    body.push(other);
                    self.pos += 1;
                }
            }
        }
    }

    fn group(&mut self) -> Option<Kind> {
        let kind = if self.looking_at("?:") {
            self.pos += 2;
            GroupKind::NonCapture
        } else if self.looking_at("?=") {
            self.pos += 2;
            GroupKind::Lookahead
        } else if self.looking_at("?!") {
            self.pos += 2;
            GroupKind::NegativeLookahead
        } else if self.looking_at("?<=") {
            self.pos += 3;
            GroupKind::Lookbehind
        } else if self.looking_at("?<!") {
            self.pos += 3;
            GroupKind::NegativeLookbehind
        } else if self.looking_at("?<") {
            let rest: String = self.chars[self.pos + 2..].iter().collect();
            let close = rest.find('>')?;
            self.pos += 2 + rest[..=close].chars().count();
            GroupKind::Named(rest[..close].to_string())
        } else if self.peek() == Some('?') {
            let flags: String = self.chars[self.pos + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphabetic() || **c == '-')
                .collect();
            let after = self.peek_at(1 + flags.chars().count());
            match after {
                Some(')') if !flags.is_empty() => {
                    self.pos += 2 + flags.chars().count();
                    return Some(Kind::InlineFlags(flags));
                }
                Some(':') if !flags.is_empty() => {
                    self.pos += 2 + flags.chars().count();
                    GroupKind::Modifiers(flags)
                }
                _ => {
                    self.complete = false;
                    return None;
                }
            }
        } else {
            GroupKind::Capture
        };
        let alternatives = self.disjunction();
        if self.peek() == Some(')') {
            self.pos += 1;
        } else {
            self.complete = false;
        }
        Some(Kind::Group { kind, alternatives })
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().or(Some(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_prefixes_are_conservative() {
        assert_eq!(literal_prefix("list_.*"), ("list_".into(), false));
        assert_eq!(literal_prefix("run_action"), ("run_action".into(), true));
        assert_eq!(
            literal_prefix("list_entitiesx?"),
            ("list_entities".into(), false)
        );
        assert_eq!(literal_prefix("a|b"), (String::new(), false));
        assert_eq!(literal_prefix(r"\.x"), (".x".into(), true));
        assert_eq!(literal_prefix(r"a\1"), ("a".into(), false));
        assert_eq!(literal_prefix(r"ab\c1"), ("ab\\c1".into(), true));
        assert_eq!(literal_prefix("a{"), ("a{".into(), true));
        assert_eq!(literal_prefix("a{2}"), (String::new(), false));
        assert_eq!(literal_prefix("(a"), (String::new(), false));
    }

    #[test]
    fn finds_inline_flags() {
        assert_eq!(inline_flags("(?i)list"), vec![(0, 4, "i".into())]);
        assert_eq!(inline_flags("a(?i:b)"), vec![(1, 5, "i".into())]);
        assert!(inline_flags("(?:a)").is_empty());
    }

    #[test]
    fn reads_alternatives_groups_and_repeats() {
        let parsed = parse("^(list|get)_.*");
        assert!(parsed.complete);
        assert_eq!(parsed.alternatives.len(), 1);
        let seq = &parsed.alternatives[0];
        assert_eq!(seq[0].kind, Kind::Start);
        assert!(
            matches!(&seq[1].kind, Kind::Group { alternatives, .. } if alternatives.len() == 2)
        );
        assert!(matches!(
            &seq[3].kind,
            Kind::Repeat {
                min: 0,
                max: None,
                ..
            }
        ));
        assert!(!parse("a)").complete);
        assert!(!parse("[a").complete);
    }
}
