//! The line prefilter: which rules can match a line, decided with as little work per line as
//! possible, since most lines match no rule.
//!
//! - Rules anchored at the start of the line (most of them) whose matches start with a few
//!   literals are looked up by the line's first bytes; the other anchored rules are indexed by
//!   the bytes their matches can start with. Either way a line is only tried against the rules
//!   its head allows, and each of those regexes gives up within a few bytes when it is not junk.
//! - Rules are gated by literals their matches must hold (cut to a few bytes, for a small
//!   automaton), found in one Aho-Corasick pass over the line: those every match starts or ends
//!   with, or those a piece of the pattern needs, found through its structure (one of the
//!   words of a required alternation; optional parts need nothing). When another piece gives a
//!   second set, the line must hold one of each (`here` and `click`). A rule without a usable
//!   literal always runs (such rules are nearly all anchored, or end-anchored, which the regex
//!   engine searches backwards from the end).
//! - Before any regex runs, the line must hold a byte of each of the few rare byte sets its
//!   pattern needs (a `/`, a `|`, a digit: see `needs`), tested on a set of the line's bytes
//!   built once per line.
//! - Lines with more than [`LONG_LINE_WORDS`] words (most of a corpus's bytes) skip the rules
//!   whose word limit excludes them, with their own smaller literal automaton; a line longer
//!   than the longest match of a pattern anchored at both ends skips it.
//!
//! Separate regexes rather than one union automaton: a union of a hundred Unicode patterns has
//! too many states for a lazy DFA to cache. A rule with several alternatives is tried only on
//! those the line passed, each compiled on its own (smaller automata). A Unicode `\b` makes the
//! lazy DFA give up on non-ASCII text: an alternative with one is tried with ASCII boundaries
//! on lines without non-ASCII word characters (the same matches there), and elsewhere first
//! with the assertion dropped (a wider pattern), then confirmed with its own regex.
//!
//! The interface: a [`PatternSource`] per rule (its index, patterns, case, word limit and
//! regex) builds a [`LineMatcher`] ([`LineMatcher::new`]; or [`analyse_all`] once, then
//! [`LineMatcher::from_analysed`] over any subset of the rules). Per line,
//! [`LineMatcher::for_each_match`] gives the rules that match; or [`LineMatcher::plan`] gives
//! the regexes worth running, for [`LineMatcher::matches`] to run later (grouped by rule, say).
//! The module uses no other part of deboil: `rules` builds it from rule files.
//!
//! Inside: `analyse` turns a pattern's HIR into checks, `literals` picks the literals that gate
//! a check and `needs` the bytes it needs, `gate` finds literals in a line, `prefilter` indexes
//! the checks and plans a line's tries, and `lazy` holds regexes compiled on first use.

mod analyse;
mod gate;
mod lazy;
mod literals;
mod needs;
mod prefilter;

pub use analyse::{Analysed, analyse_all};
pub use lazy::{LazyRegex, REGEX_SIZE_LIMIT, compile_regex, joined};
pub use prefilter::{LineMatcher, Try};

/// Lines with more words than this skip the rules limited to fewer words.
pub const LONG_LINE_WORDS: usize = 30;

/// What the prefilter needs to know of one rule.
#[derive(Debug, Clone)]
pub struct PatternSource<'a> {
    /// The rule's index in its set.
    pub rule: usize,
    /// The rule's patterns as written.
    pub patterns: &'a [String],
    /// Whether they ignore case.
    pub case_insensitive: bool,
    /// The rule's word limit.
    pub max_words: Option<usize>,
    /// The rule's regex (its patterns [`joined`]), which a match must satisfy.
    pub regex: LazyRegex,
}

impl<'a> PatternSource<'a> {
    /// A rule's source with its regex compiled on first use from `patterns`, which must
    /// compile (see [`LazyRegex::deferred`]).
    pub fn new(
        rule: usize,
        patterns: &'a [String],
        case_insensitive: bool,
        max_words: Option<usize>,
    ) -> PatternSource<'a> {
        let regex = LazyRegex::deferred(&joined(patterns), case_insensitive);
        PatternSource { rule, patterns, case_insensitive, max_words, regex }
    }
}

#[cfg(test)]
mod tests {
    use super::analyse::has_non_ascii_word;
    use super::*;

    /// One rule: its index, patterns, whether they ignore case, and its word limit.
    type Spec = (usize, &'static [&'static str], bool, Option<usize>);

    /// A handful of rules, indexed with a gap (rule 3 has no pattern, as a structural rule).
    const RULES: &[Spec] = &[
        (0, &[r"^Read more:"], true, None),
        (1, &[r" - YouTube$"], false, None),
        (2, &[r"^(?:Photo|Image):"], false, Some(6)),
        (4, &[r"^[A-Z]+/[A-Z][a-z]+ [A-Z][a-z]+$"], false, None),
        (5, &[r"^(?:Advertisement|Anzeige|Publicité)$", r"^Share this (?:article|story)$"], false, None),
        (6, &[r"\bclick here\b"], true, None),
    ];

    /// The matcher over `specs`, and each rule's own regex by index.
    fn build(specs: &[Spec]) -> (LineMatcher, Vec<Option<LazyRegex>>) {
        let patterns: Vec<Vec<String>> =
            specs.iter().map(|s| s.1.iter().map(|p| p.to_string()).collect()).collect();
        let sources: Vec<PatternSource<'_>> = specs
            .iter()
            .zip(&patterns)
            .map(|(&(rule, _, ci, max_words), p)| PatternSource::new(rule, p, ci, max_words))
            .collect();
        let mut regexes = vec![None; 7];
        for s in &sources {
            regexes[s.rule] = Some(s.regex.clone());
        }
        (LineMatcher::new(&sources).unwrap(), regexes)
    }

    /// The rules that match `line`, sorted.
    fn matching(m: &LineMatcher, line: &str, long: bool) -> Vec<usize> {
        let mut got = Vec::new();
        m.for_each_match(line, long, |_| true, |ri| got.push(ri));
        got.sort_unstable();
        got
    }

    #[test]
    fn each_line_matches_exactly_its_rules() {
        let (m, _) = build(RULES);
        let cases: &[(&str, &[usize])] = &[
            // Anchored, case-insensitive.
            ("Read more: the flood maps", &[0]),
            ("READ MORE: the flood maps", &[0]),
            ("Please read more: the flood maps", &[]),
            // Anchored at the end only, case-sensitive.
            ("Storm chasers film the funnel - YouTube", &[1]),
            ("Storm chasers film the funnel - youtube", &[]),
            ("- YouTube channel launched", &[]),
            // A byte the pattern needs (`/`).
            ("REUTERS/Jane Doe", &[4]),
            ("REUTERS Jane Doe", &[]),
            ("Reuters/Jane Doe", &[]),
            // Alternatives, across a rule's patterns too.
            ("Advertisement", &[5]),
            ("Publicité", &[5]),
            ("Share this story", &[5]),
            ("Advertisement feature", &[]),
            ("Share this", &[]),
            // Unanchored, case-insensitive, with word boundaries.
            ("Please CLICK HERE to subscribe", &[6]),
            ("Please clickhere to subscribe", &[]),
            // Several rules on one line; prose matches none.
            ("Read more: click here - YouTube", &[0, 1, 6]),
            ("Photo: Lena Farrow", &[2]),
            ("The council met on Tuesday to discuss the harbour lease, officials said.", &[]),
        ];
        for (line, want) in cases {
            assert_eq!(matching(&m, line, false), *want, "{line:?}");
        }
    }

    /// A rule whose word limit a long line exceeds is left out for it; the limit itself is the
    /// caller's to check on other lines (see `pre`).
    #[test]
    fn long_lines_skip_rules_with_a_lower_word_limit() {
        let (m, _) = build(RULES);
        let words = "the water rose along the quay overnight and crews worked until dawn ".repeat(4);
        let line = format!("Photo: {words}click here");
        assert!(line.split_whitespace().count() > LONG_LINE_WORDS);
        assert_eq!(matching(&m, &line, false), [2, 6]);
        assert_eq!(matching(&m, &line, true), [6]);
        // Told that a line is long, the matcher leaves the rule out without counting.
        assert_eq!(matching(&m, "Photo: Lena Farrow", true), Vec::<usize>::new());
    }

    /// Planning then running the tries gives the same rules, and a rule `pre` refuses is not
    /// tried.
    #[test]
    fn plans_run_later_agree_and_pre_refuses_rules() {
        let (m, regexes) = build(RULES);
        let lines = [
            "Read more: click here - YouTube",
            "REUTERS/Jane Doe",
            "Share this article",
            "Image: a heron on the quay",
            "Nothing to see here",
        ];
        for line in lines {
            let mut tries = Vec::new();
            m.plan(line, false, |_| true, |t| tries.push(t));
            let mut got: Vec<usize> =
                tries.iter().filter(|t| m.matches(**t, line)).map(|t| m.rule_of(*t)).collect();
            got.sort_unstable();
            got.dedup();
            assert_eq!(got, matching(&m, line, false), "{line:?}");
            let own: Vec<usize> = (0..regexes.len())
                .filter(|&ri| regexes[ri].as_ref().is_some_and(|r| r.is_match(line)))
                .collect();
            assert_eq!(got, own, "{line:?}");
            let mut asked = Vec::new();
            let mut without_six = Vec::new();
            m.for_each_match(
                line,
                false,
                |ri| {
                    asked.push(ri);
                    ri != 6
                },
                |ri| without_six.push(ri),
            );
            without_six.sort_unstable();
            assert_eq!(without_six, own.iter().copied().filter(|&ri| ri != 6).collect::<Vec<_>>());
            assert!(asked.iter().all(|ri| regexes[*ri].is_some()), "{asked:?}");
        }
    }

    /// Matchers over subsets of the rules come from one analysis.
    #[test]
    fn a_matcher_over_some_rules_reports_only_those() {
        let patterns: Vec<Vec<String>> =
            RULES.iter().map(|s| s.1.iter().map(|p| p.to_string()).collect()).collect();
        let sources: Vec<PatternSource<'_>> =
            RULES.iter().zip(&patterns).map(|(s, p)| PatternSource::new(s.0, p, s.2, s.3)).collect();
        let analysed = analyse_all(&sources).unwrap();
        let some = analysed.iter().filter(|a| a.rule % 2 == 0).cloned().collect();
        let m = LineMatcher::from_analysed(some, 7).unwrap();
        assert_eq!(matching(&m, "Read more: click here - YouTube", false), [0, 6]);
        assert_eq!(matching(&m, "Share this story", false), Vec::<usize>::new());
        assert_eq!(matching(&m, "REUTERS/Jane Doe", false), [4]);
    }

    /// A rule is tried on each alternative the line passed, until one matches: one that fails
    /// does not decide the rule, a word boundary in one does not slow or change the others, and
    /// on non-ASCII lines the boundary still holds.
    #[test]
    fn rules_are_tried_alternative_by_alternative() {
        // Two alternatives sharing a gate literal; one has word boundaries.
        let patterns =
            [r"^Sponsored\b.{0,40}$".to_string(), "^Sponsored content by [^()]{1,80}$".to_string()];
        let source = PatternSource::new(0, &patterns, false, None);
        let regex = source.regex.clone();
        let matcher = LineMatcher::new(&[source]).unwrap();
        let matches = |line: &str| {
            let mut got = Vec::new();
            matcher.for_each_match(line, false, |_| true, |ri| got.push(ri));
            got
        };
        assert_eq!(matches("Sponsored content by Acme Ltd"), vec![0]);
        assert_eq!(matches("Sponsored: the Acme story"), vec![0]);
        assert!(matches("Sponsoredcontent and more").is_empty());
        // The first alternative fails (more than 40 characters follow), the second matches.
        let long_tail = "Sponsored content by Café Ünïcode Holdings and Partners of the Greater Region";
        assert_eq!(matches(long_tail), vec![0]);
        assert_eq!(matches("Sponsored — “Café” week"), vec![0]);
        // No non-ASCII word character: tried with ASCII word boundaries.
        assert!(!has_non_ascii_word("Sponsored — “the” week"));
        assert_eq!(matches("Sponsored — “the” week"), vec![0]);
        assert!(matches("Sponsored_x — “the” week").is_empty());
        assert!(matches("Sponsoredé “Café” week").is_empty());
        for line in [long_tail, "Sponsored — “Café” week", "Sponsoredé “Café” week", "Sponsored content"]
        {
            assert_eq!(!matches(line).is_empty(), regex.is_match(line), "{line:?}");
        }
    }
}
