//! What the prefilter makes of a rule's patterns, from their HIR: the top-level alternatives
//! (each a check of its own), and for each the start literals or gate literals, the bytes it
//! needs, the bytes a match starts with, its longest match, and the regexes derived from it
//! (the alternative alone, and with its Unicode word boundaries dropped or made ASCII).

use rayon::prelude::*;
use std::sync::Arc;

use regex_syntax::hir::{Capture, Class, Hir, HirKind, Look, Repetition};

use super::lazy::{Derived, LazyRegex};
use super::literals::{Gate, literal_gate, start_literals};
use super::needs::{ByteSet, Needs};
use super::{LONG_LINE_WORDS, PatternSource};

/// What the prefilter makes of one rule, before its checks are numbered: a matcher is built
/// from the rules' analyses, and a matcher over some of the rules from theirs.
#[derive(Debug, Clone)]
pub struct Analysed {
    /// The rule's index in its set.
    pub rule: usize,
    /// The rule's regex.
    pub(super) regex: LazyRegex,
    /// One per top-level alternative of its patterns: the future checks.
    pub(super) branches: Vec<Branch>,
}

/// What the prefilter makes of one top-level alternative of a rule's patterns.
#[derive(Debug, Clone)]
pub(super) struct Branch {
    pub(super) anchored: bool,
    /// The literals every match starts with, for an anchored pattern that has a few.
    pub(super) starts: Option<Vec<Vec<u8>>>,
    pub(super) gate: Gate,
    pub(super) max_len: usize,
    pub(super) long_ok: bool,
    pub(super) needs: Needs,
    /// The bytes a match can start with, and whether it can be empty.
    pub(super) first: (ByteSet, bool),
    /// The alternative compiled on its own, when the rule has several: the rule's regex
    /// holds them all, and one word boundary in any of them makes it leave its lazy DFA on
    /// every non-ASCII line (for a slower engine, some fifty times slower on a hit).
    pub(super) own: Option<Arc<Derived>>,
    /// The alternative with word boundaries dropped, when it has Unicode ones: a lazy DFA to
    /// the end on any text, tried first on lines with non-ASCII word characters, where `own`
    /// may not be.
    pub(super) wide: Option<Arc<Derived>>,
    /// The alternative with its Unicode word boundaries made ASCII, when it has any: exact,
    /// and a lazy DFA to the end, on lines without non-ASCII word characters (most lines;
    /// curly quotes and dashes are not word characters).
    pub(super) ascii_words: Option<Arc<Derived>>,
}

/// Analyses each rule's patterns, in parallel.
pub fn analyse_all(sources: &[PatternSource<'_>]) -> Result<Vec<Analysed>, String> {
    sources.par_iter().map(analyse).collect()
}

/// Analyses one rule's patterns: their alternatives, gates, needs and first bytes.
fn analyse(src: &PatternSource<'_>) -> Result<Analysed, String> {
    let parse = |p: &str| {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(src.case_insensitive)
            .build()
            .parse(p)
            .map_err(|e| format!("rule pattern does not parse for the prefilter: {e}"))
    };
    let mut alternatives = Vec::new();
    for pattern in src.patterns {
        alternatives.extend(top_alternatives(&parse(pattern)?));
    }
    let stripped: Vec<Hir> = alternatives.iter().map(without_word_boundaries).collect();
    let several = alternatives.len() > 1;
    let branches = alternatives
        .iter()
        .zip(&stripped)
        .map(|(alternative, stripped)| {
            let folded = fold_ascii_case(stripped);
            let props = alternative.properties();
            let anchored = props.look_set_prefix().contains(Look::Start);
            // An anchored pattern whose matches start with one of a few literals is gated by
            // comparing the line's first bytes: cheaper than putting them in the automaton,
            // which finds them anywhere in the line.
            let starts = if anchored { start_literals(&folded) } else { None };
            let gate = if starts.is_some() { Gate::None } else { literal_gate(&folded) };
            let max_len = match props.maximum_len() {
                Some(n) if anchored && props.look_set_suffix().contains(Look::End) => n,
                _ => usize::MAX,
            };
            // Only Unicode word boundaries make the regex leave its lazy DFA.
            let ascii_words = with_ascii_word_boundaries(alternative);
            Ok(Branch {
                own: several.then(|| Derived::new(alternative.clone())),
                wide: ascii_words.is_some().then(|| Derived::new(stripped.clone())),
                ascii_words: ascii_words.map(Derived::new),
                anchored,
                starts,
                gate,
                max_len,
                // A line of more than LONG_LINE_WORDS words has at least twice as many bytes.
                long_ok: src.max_words.is_none_or(|w| w > LONG_LINE_WORDS) && max_len > 2 * LONG_LINE_WORDS,
                needs: Needs::of(stripped),
                first: first_bytes(alternative),
            })
        })
        .collect::<Result<_, String>>()?;
    Ok(Analysed { rule: src.rule, regex: src.regex.clone(), branches })
}

/// The top-level alternatives of a pattern (itself when it has none).
fn top_alternatives(hir: &Hir) -> Vec<Hir> {
    match hir.kind() {
        HirKind::Alternation(subs) => subs.clone(),
        HirKind::Capture(cap) => top_alternatives(&cap.sub),
        _ => vec![hir.clone()],
    }
}

/// The pattern with each class that is one ASCII letter in both cases (as case-insensitive
/// patterns write every letter) turned into that letter in lower case, so that literals can be
/// extracted; the gate matches them ignoring ASCII case. The Kelvin sign and long s, which
/// Unicode folds with `k` and `s`, are folded too: a line spelling a gating word with them is
/// not tried, an accepted approximation.
pub(super) fn fold_ascii_case(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            let chars: Vec<char> = c.iter().flat_map(|r| r.start()..=r.end()).take(4).collect();
            let lower: Vec<char> = chars
                .iter()
                .map(|&ch| match ch {
                    '\u{212a}' => 'k',
                    '\u{17f}' => 's',
                    ch => ch.to_ascii_lowercase(),
                })
                .collect();
            if chars.len() >= 2 && lower[0].is_ascii_lowercase() && lower.iter().all(|&l| l == lower[0]) {
                Hir::literal(lower[0].to_string().into_bytes())
            } else {
                hir.clone()
            }
        }
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(fold_ascii_case).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(fold_ascii_case).collect()),
        HirKind::Repetition(rep) => Hir::repetition(with_sub(rep, fold_ascii_case(&rep.sub))),
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(fold_ascii_case(&cap.sub)),
        }),
        _ => hir.clone(),
    }
}

/// The bytes a match of `hir` can start with, and whether it can match the empty string.
fn first_bytes(hir: &Hir) -> (ByteSet, bool) {
    let mut set = ByteSet::default();
    let nullable = add_first(hir, &mut set);
    (set, nullable)
}

/// Adds the possible first bytes of `hir` to `set`; returns whether `hir` can match empty.
fn add_first(hir: &Hir, set: &mut ByteSet) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match lit.0.first() {
            Some(&b) => {
                set.insert(b);
                false
            }
            None => true,
        },
        HirKind::Class(Class::Unicode(c)) => {
            set.add_leads(c);
            false
        }
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    set.insert(b);
                }
            }
            false
        }
        HirKind::Repetition(rep) => add_first(&rep.sub, set) || rep.min == 0,
        HirKind::Capture(cap) => add_first(&cap.sub, set),
        HirKind::Concat(subs) => subs.iter().all(|h| add_first(h, set)),
        HirKind::Alternation(subs) => subs.iter().fold(false, |n, h| add_first(h, set) | n),
    }
}

/// The pattern with every word-boundary assertion replaced by an empty match (a wider
/// pattern).
fn without_word_boundaries(hir: &Hir) -> Hir {
    rewrite_looks(hir, &|look| is_word_look(look).then(Hir::empty))
}

/// The pattern with its Unicode word-boundary assertions made ASCII ones, which a lazy DFA
/// follows on any text: the same matches on a line without non-ASCII word characters (see
/// [`has_non_ascii_word`]), and `None` when it has no Unicode word boundary.
fn with_ascii_word_boundaries(hir: &Hir) -> Option<Hir> {
    if !hir.properties().look_set().contains_word_unicode() {
        return None;
    }
    let changed = std::cell::Cell::new(false);
    let out = rewrite_looks(hir, &|look| {
        let ascii = match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            _ => return None,
        };
        changed.set(true);
        Some(Hir::look(ascii))
    });
    changed.get().then_some(out)
}

/// Whether `line` holds a non-ASCII character that a Unicode `\w` matches (`é`, `ж`; not
/// `“` or `—`): where Unicode and ASCII word boundaries can differ.
pub(super) fn has_non_ascii_word(line: &str) -> bool {
    !line.is_ascii() && line.chars().any(|c| !c.is_ascii() && regex_syntax::is_word_character(c))
}

/// `hir` with each look-around assertion replaced by what `f` gives for it (kept when `None`).
fn rewrite_looks(hir: &Hir, f: &dyn Fn(Look) -> Option<Hir>) -> Hir {
    if hir.properties().look_set().is_empty() {
        return hir.clone();
    }
    match hir.kind() {
        HirKind::Look(look) => f(*look).unwrap_or_else(|| hir.clone()),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|h| rewrite_looks(h, f)).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(|h| rewrite_looks(h, f)).collect()),
        HirKind::Repetition(rep) => Hir::repetition(with_sub(rep, rewrite_looks(&rep.sub, f))),
        HirKind::Capture(cap) => Hir::capture(Capture {
            index: cap.index,
            name: cap.name.clone(),
            sub: Box::new(rewrite_looks(&cap.sub, f)),
        }),
        _ => hir.clone(),
    }
}

/// `rep` around another sub-pattern. (`..rep.clone()` would copy the old sub-pattern whole
/// only to drop it: at every level of a nested pattern, which made start-up quadratic.)
fn with_sub(rep: &Repetition, sub: Hir) -> Repetition {
    Repetition { min: rep.min, max: rep.max, greedy: rep.greedy, sub: Box::new(sub) }
}

/// Whether `look` asserts a word boundary (rather than a line or text boundary).
fn is_word_look(look: Look) -> bool {
    !matches!(look, Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(p: &str) -> Hir {
        regex_syntax::parse(p).unwrap()
    }

    #[test]
    fn word_boundaries_are_dropped() {
        let stripped = without_word_boundaries(&parse(r"\bAd\b|x"));
        assert!(regex::Regex::new(&stripped.to_string()).unwrap().is_match("xAdx"));
        assert_eq!(without_word_boundaries(&parse("^Ad$")), parse("^Ad$"));
    }

    #[test]
    fn first_bytes_cover_every_possible_start() {
        let (set, nullable) = first_bytes(&parse(r"^(?:By|\p{Lu}x|(?i)sign up)"));
        assert!(!nullable);
        for b in [b'B', b'A', b'Z', b's', b'S', 0xc3] {
            assert!(set.contains(b), "{}", b as char);
        }
        assert!(!set.contains(b'b') && !set.contains(b'1'));
        assert!(first_bytes(&parse(r"^\s*x?")).1);
        let (set, _) = first_bytes(&parse(r"^\s*\(AP"));
        assert!(set.contains(b'(') && set.contains(b' '));
    }

    #[test]
    fn ascii_word_boundaries_only_where_unicode_ones_are() {
        assert!(has_non_ascii_word("Café") && has_non_ascii_word("жук") && has_non_ascii_word("٣"));
        assert!(!has_non_ascii_word("“Quoted” — ‘dashes’ … • © ™") && !has_non_ascii_word("plain"));
        let ascii = with_ascii_word_boundaries(&parse(r"\bAd\B|x")).unwrap();
        let expected = Hir::alternation(vec![
            Hir::concat(vec![Hir::look(Look::WordAscii), parse("Ad"), Hir::look(Look::WordAsciiNegate)]),
            parse("x"),
        ]);
        assert_eq!(ascii, expected);
        assert_eq!(with_ascii_word_boundaries(&parse(r"^Ad(?-u:\b)")), None);
    }
}
