//! Engine invariants as property tests over generated documents (proptest).

use std::sync::LazyLock;

use deboil::{Document, Kind, RuleSet, clean, clean_document, clean_documents};
use proptest::prelude::*;

/// The built-in rules, compiled once for all cases.
static RULES: LazyLock<RuleSet> = LazyLock::new(RuleSet::defaults);

/// The built-in line and span rules without positional or neighbour conditions or limits.
static PLAIN_RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    let plain: Vec<deboil::Rule> = RULES
        .rules()
        .iter()
        .filter(|r| matches!(r.kind, Kind::Line | Kind::Span))
        .filter(|r| {
            let c = &r.conditions;
            let shown = c.to_string();
            c.in_head.is_none()
                && c.in_tail.is_none()
                && !c.after_body
                && r.max_removed.is_none()
                && !shown.contains("prev =")
                && !shown.contains("next =")
        })
        .cloned()
        .collect();
    RuleSet::from_rules(plain).unwrap()
});

/// Lines to build documents from: junk from the built-in rules' own examples, prose, blanks
/// and arbitrary text.
fn line() -> impl Strategy<Value = String> {
    let junk: Vec<String> = RULES
        .rules()
        .iter()
        .flat_map(|r| r.examples.iter().flat_map(|e| e.input.lines().map(str::to_string)))
        .filter(|l| !l.trim().is_empty())
        .collect();
    prop_oneof![
        4 => proptest::sample::select(junk),
        3 => proptest::sample::select(vec![
            "The council voted on Tuesday to extend the harbour lease, officials said.".to_string(),
            "Reuters reported on Tuesday that the talks had stalled.".to_string(),
            "More from the interview follows.".to_string(),
            "  • Budgets must be approved by June.".to_string(),
            "Why this matters".to_string(),
            "She said the photo was taken in May.".to_string(),
        ]),
        2 => Just(String::new()),
        1 => Just("   \t".to_string()),
        2 => "\\PC{0,60}",
    ]
}

/// A document: lines joined with `\n` or `\r\n`, with or without a final line ending.
fn document() -> impl Strategy<Value = String> {
    (proptest::collection::vec(line(), 0..40), any::<bool>(), any::<bool>()).prop_map(
        |(lines, crlf, last)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let mut text = lines.join(eol);
            if last && !lines.is_empty() {
                text.push_str(eol);
            }
            text
        },
    )
}

/// The lines of `text` with their endings.
fn lines_of(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The output is the input minus the reported removals, then minus some blank lines (the
    /// documented tidying), and nothing else.
    #[test]
    fn removals_replay_to_the_output(text in document()) {
        let out = clean(&RULES, &text);
        let mut replay = String::new();
        let mut pos = 0;
        for r in &out.removals {
            prop_assert!(r.start >= pos && r.start < r.end && r.end <= text.len(), "sorted, disjoint, in bounds");
            prop_assert_eq!(r.text, &text[r.start..r.end]);
            prop_assert!(r.first_line <= r.last_line);
            prop_assert_eq!(r.first_line, text[..r.start].matches('\n').count() + 1);
            replay.push_str(&text[pos..r.start]);
            pos = r.end;
        }
        replay.push_str(&text[pos..]);
        // Walk the replayed lines; every output line must be the next replayed line, and every
        // skipped replayed line must be blank.
        let (mut want, got) = (lines_of(&replay).into_iter(), lines_of(&out.text));
        for g in got {
            loop {
                let w = want.next();
                prop_assert!(w.is_some(), "output line {:?} not in the replay", g);
                let w = w.unwrap();
                if w == g { break; }
                prop_assert!(w.trim().is_empty(), "dropped a non-blank line {:?}", w);
            }
        }
        for w in want {
            prop_assert!(w.trim().is_empty(), "dropped a non-blank line {:?}", w);
        }
    }

    /// A document no rule touches comes back byte for byte, and CRLF stays CRLF.
    #[test]
    fn untouched_is_identical_and_crlf_is_kept(text in document()) {
        let out = clean(&RULES, &text);
        if out.removals.is_empty() {
            prop_assert_eq!(&*out.text, &*text);
        }
        let bare_lf = |t: &str| t.match_indices('\n').any(|(i, _)| i == 0 || t.as_bytes()[i - 1] != b'\r');
        if !text.is_empty() && !bare_lf(&text) {
            prop_assert!(!bare_lf(&out.text), "a CRLF document got a bare LF");
        }
    }

    /// Line and span rules without positional or neighbour conditions are idempotent for a
    /// given language: cleaning the output again, as a document in the same language, removes
    /// nothing more (README lists the kinds that are not; a removal can change the language
    /// detected, and so the rules that apply).
    #[test]
    fn line_and_span_rules_are_idempotent(text in document()) {
        let lang = deboil::lang::detect(&text);
        let doc = |text| Document { text, url: None, lang };
        let once = clean_document(&PLAIN_RULES, doc(&text)).text.into_owned();
        let twice = clean_document(&PLAIN_RULES, doc(&once));
        prop_assert!(twice.removals.is_empty(), "second pass removed {:?}", twice.removals.iter().map(|r| (&*r.rule, r.text)).collect::<Vec<_>>());
    }

    /// Documents cleaned as one batch (each rule's regex over all of them in turn) come out
    /// as each cleaned alone, in order, site rules included.
    #[test]
    fn a_batch_is_cleaned_as_its_documents_alone(
        batch in proptest::collection::vec((document(), proptest::option::of(proptest::sample::select(vec![
            "https://www.reuters.com/world/story",
            "https://www.gzeromedia.com/news/item",
            "https://example.org/a",
        ]))), 0..12),
    ) {
        let docs: Vec<Document<'_, '_>> = batch.iter().map(|(text, url)| Document { text, url: *url, lang: None }).collect();
        let together = clean_documents(&RULES, &docs);
        prop_assert_eq!(together.len(), docs.len());
        for (doc, cleaned) in docs.iter().zip(&together) {
            let alone = clean_document(&RULES, *doc);
            prop_assert_eq!(&cleaned.text, &alone.text);
            prop_assert_eq!(&cleaned.removals, &alone.removals);
        }
    }
}
