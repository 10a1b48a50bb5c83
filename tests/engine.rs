//! The per-document engine: every kind and condition, merging, attribution, tidying.

use deboil::{Category, Document, clean, clean_document};

use crate::util::{cleaned, rules};

const AD_LINE: &str = r#"
[[rule]]
id = "ad-marker"
category = "ad"
kind = "line"
description = "Advertisement marker."
pattern = '^Advertisement$'
"#;

#[test]
fn untouched_document_is_borrowed_and_identical() {
    let r = rules(AD_LINE);
    for text in ["", "a\r\nb\r\n", "no final newline", "  spaced  \n\n\n\ttabs\n", "\n\n"] {
        let out = clean(&r, text);
        assert!(matches!(out.text, std::borrow::Cow::Borrowed(_)), "{text:?}");
        assert_eq!(out.text, text);
        assert!(out.removals.is_empty());
    }
}

#[test]
fn line_rule_removes_the_line_and_collapses_blank_lines() {
    let r = rules(AD_LINE);
    assert_eq!(cleaned(&r, "One.\n\nAdvertisement\n\nTwo.\n"), "One.\n\nTwo.\n");
    assert_eq!(cleaned(&r, "One.\nAdvertisement\nTwo.\n"), "One.\nTwo.\n");
    // Surrounding whitespace is trimmed before matching.
    assert_eq!(cleaned(&r, "One.\n   Advertisement \t\nTwo.\n"), "One.\nTwo.\n");
}

#[test]
fn removal_reports_rule_category_bytes_lines_and_text() {
    let r = rules(AD_LINE);
    let text = "One.\n\nAdvertisement\n\nTwo.\n";
    let out = clean(&r, text);
    assert_eq!(out.removals.len(), 1);
    let rm = &out.removals[0];
    assert_eq!((&*rm.rule, rm.category), ("ad-marker", Category::Ad));
    assert_eq!((rm.start, rm.end), (6, 20));
    assert_eq!((rm.first_line, rm.last_line), (3, 3));
    assert_eq!(rm.text, "Advertisement\n");
    assert_eq!(&text[rm.start..rm.end], rm.text);
}

#[test]
fn crlf_line_endings_are_kept() {
    let r = rules(AD_LINE);
    assert_eq!(cleaned(&r, "One.\r\n\r\nAdvertisement\r\n\r\nTwo.\r\n"), "One.\r\n\r\nTwo.\r\n");
}

#[test]
fn blank_lines_at_the_edges_go_with_the_removal() {
    let r = rules(AD_LINE);
    assert_eq!(cleaned(&r, "Advertisement\n\nOne.\n"), "One.\n");
    assert_eq!(cleaned(&r, "One.\n\nAdvertisement\n\n"), "One.\n");
    assert_eq!(cleaned(&r, "Advertisement\n"), "");
    // Kept lines keep their own endings: the last kept line's newline stays.
    assert_eq!(cleaned(&r, "One.\nAdvertisement"), "One.\n");
}

#[test]
fn tidying_keeps_the_longer_blank_run_around_a_removal() {
    let r = rules(AD_LINE);
    assert_eq!(cleaned(&r, "One.\nAdvertisement\n\nTwo.\n"), "One.\n\nTwo.\n");
    assert_eq!(cleaned(&r, "One.\n\n\nAdvertisement\n\nTwo.\n"), "One.\n\n\nTwo.\n");
    // Blank lines elsewhere are none of the engine's business.
    assert_eq!(cleaned(&r, "One.\n\n\n\nTwo.\nAdvertisement\n"), "One.\n\n\n\nTwo.\n");
}

const WORD_LIMITS: &str = r#"
[[rule]]
id = "photo-credit"
category = "credit"
kind = "line"
description = "Photo credit."
pattern = '^Photo: '
max_words = 4
max_chars = 30
"#;

#[test]
fn word_and_character_limits() {
    let r = rules(WORD_LIMITS);
    assert_eq!(cleaned(&r, "Photo: Jane Doe\nText.\n"), "Text.\n");
    assert_eq!(cleaned(&r, "Photo: Jane Doe of the city archive\n"), "Photo: Jane Doe of the city archive\n");
    assert_eq!(cleaned(&r, "Photo: Janeeeeeeeeeeeeeeeeeeeeeeee\n"), "Photo: Janeeeeeeeeeeeeeeeeeeeeeeee\n");
}

#[test]
fn min_words_condition() {
    let r = rules(
        r#"
[[rule]]
id = "long-shout"
category = "promo"
kind = "line"
description = "Long shouted line."
pattern = '^[A-Z ]+$'
min_words = 3
"#,
    );
    assert_eq!(cleaned(&r, "NASA\nBUY IT NOW TODAY\n"), "NASA\n");
}

#[test]
fn sentence_condition() {
    let r = rules(
        r#"
[[rule]]
id = "more-heading"
category = "more-from"
kind = "line"
description = "More heading."
pattern = '^More from '
sentence = false
"#,
    );
    assert_eq!(cleaned(&r, "More from the interview follows.\n"), "More from the interview follows.\n");
    assert_eq!(cleaned(&r, "More from Metro Wire\n"), "");
}

/// A byline rule with one position condition (`in_head = 2`, `in_tail = 1`).
fn byline_rule(position: &str) -> String {
    format!(
        r#"
[[rule]]
id = "byline"
category = "byline"
kind = "line"
description = "Byline."
pattern = '^By [A-Z]\w+ [A-Z]\w+$'
{position}
"#
    )
}

#[test]
fn position_conditions_head_and_tail() {
    let text = "Title\n\nBy Jane Doe\nBody.\nBy Jane Doe\n";
    assert_eq!(cleaned(&rules(&byline_rule("in_head = 2")), text), "Title\n\nBody.\nBy Jane Doe\n");
    assert_eq!(cleaned(&rules(&byline_rule("in_tail = 1")), text), "Title\n\nBy Jane Doe\nBody.\n");
}

#[test]
fn after_body_condition() {
    let r = rules(
        r#"
[[rule]]
id = "tail-link"
category = "navigation"
kind = "line"
description = "Short line after the body."
pattern = '^Next: '
after_body = true
"#,
    );
    let body = "This is a long body paragraph with more than twenty five words in it so that it counts as the body of the article for the engine today.";
    let text = format!("Next: early link\n{body}\nNext: late link\n");
    assert_eq!(cleaned(&r, &text), format!("Next: early link\n{body}\n"));
}

#[test]
fn prev_and_next_conditions_look_at_neighbouring_non_blank_lines() {
    let r = rules(
        r#"
[[rule]]
id = "caption-before-credit"
category = "caption"
kind = "line"
description = "Line right before a credit."
pattern = '.'
max_words = 12
next = '^Photo: '
"#,
    );
    assert_eq!(cleaned(&r, "Body.\n\nA dog runs.\n\nPhoto: Jane\n"), "Body.\n\nPhoto: Jane\n");
    let p = rules(
        r#"
[[rule]]
id = "after-heading"
category = "more-from"
kind = "line"
description = "Line right after a Related heading."
pattern = '.'
prev = '^Related$'
"#,
    );
    assert_eq!(cleaned(&p, "Related\nTeaser one\nTeaser two\n"), "Related\nTeaser two\n");
}

const SPAN: &str = r#"
[[rule]]
id = "inline-ad"
category = "ad"
kind = "span"
description = "Inline Advertisement."
pattern = '\bAdvertisement\b'
"#;

#[test]
fn span_rule_removes_text_inside_the_line_and_tidies_spaces() {
    let r = rules(SPAN);
    assert_eq!(cleaned(&r, "The vote Advertisement passed.\n"), "The vote passed.\n");
    assert_eq!(cleaned(&r, "The vote passed. Advertisement\n"), "The vote passed.\n");
    assert_eq!(cleaned(&r, "Advertisement The vote passed.\n"), "The vote passed.\n");
    let out = clean(&r, "The vote Advertisement passed.\n");
    assert_eq!(out.removals[0].text, "Advertisement ");
}

#[test]
fn span_that_empties_a_line_removes_the_line() {
    let r = rules(SPAN);
    assert_eq!(cleaned(&r, "One.\n\n  Advertisement  \n\nTwo.\n"), "One.\n\nTwo.\n");
    assert_eq!(cleaned(&r, "One.\nAdvertisement Advertisement\nTwo.\n"), "One.\nTwo.\n");
}

const SECTION: &str = r#"
[[rule]]
id = "more-from"
category = "more-from"
kind = "section"
description = "More from heading to the end."
pattern = '^More from [A-Z]'
sentence = false

[[rule]]
id = "related"
category = "more-from"
kind = "section"
description = "Related heading up to the next heading."
pattern = '^Related$'
end = '^Back to the story$'

[[rule]]
id = "you-may-like"
category = "more-from"
kind = "section"
description = "Two teasers."
pattern = '^You may like$'
max_lines = 2
"#;

#[test]
fn section_runs_to_the_end_of_the_document() {
    let r = rules(SECTION);
    let out = clean(&r, "Body.\n\nMore from Metro\n\nTeaser one.\n\nTeaser two.\n");
    assert_eq!(out.text, "Body.\n");
    assert_eq!((out.removals[0].first_line, out.removals[0].last_line), (3, 7));
}

#[test]
fn section_stops_before_its_end_pattern_or_after_max_lines() {
    let r = rules(SECTION);
    assert_eq!(
        cleaned(&r, "Body.\nRelated\nT1\nT2\nBack to the story\nMore.\n"),
        "Body.\nBack to the story\nMore.\n"
    );
    assert_eq!(cleaned(&r, "Body.\n\nYou may like\n\nT1\n\nT2\n\nMore body.\n"), "Body.\n\nMore body.\n");
}

const CAPTION: &str = r#"
[[rule]]
id = "wire-credit"
category = "credit"
kind = "caption"
description = "Wire credit with its caption."
pattern = '^REUTERS/[A-Z]\w+ [A-Z]\w+$'
max_caption_words = 12
"#;

#[test]
fn caption_takes_the_caption_above_with_or_without_a_blank_line() {
    let r = rules(CAPTION);
    assert_eq!(cleaned(&r, "Body.\n\nA man waves.\nREUTERS/Jane Doe\n\nMore.\n"), "Body.\n\nMore.\n");
    assert_eq!(cleaned(&r, "Body.\n\nA man waves.\n\nREUTERS/Jane Doe\n\nMore.\n"), "Body.\n\nMore.\n");
}

#[test]
fn caption_takes_repeated_alt_text_too() {
    let r = rules(CAPTION);
    let text = "Title\n\nA man waves.\nA man waves.\nREUTERS/Jane Doe\n\nBody.\n";
    let out = clean(&r, text);
    assert_eq!(out.text, "Title\n\nBody.\n");
    assert_eq!(out.removals.len(), 1);
    assert_eq!((out.removals[0].first_line, out.removals[0].last_line), (3, 5));
}

#[test]
fn caption_leaves_a_long_paragraph_above_the_credit() {
    let r = rules(CAPTION);
    let para = "This paragraph is far too long to be a caption because it has many more words than twelve.";
    assert_eq!(cleaned(&r, &format!("{para}\nREUTERS/Jane Doe\n")), format!("{para}\n"));
}

const DUPLICATE: &str = r#"
[[rule]]
id = "repeated-line"
category = "residue"
kind = "duplicate"
description = "Line repeating the previous one."
max_words = 20
"#;

#[test]
fn duplicate_removes_the_later_copy_after_whitespace_folding() {
    let r = rules(DUPLICATE);
    assert_eq!(cleaned(&r, "A  caption here\nA caption here\nBody.\n"), "A  caption here\nBody.\n");
    assert_eq!(cleaned(&r, "Same\n\nSame\n\nBody.\n"), "Same\n\nBody.\n");
    assert_eq!(cleaned(&r, "Same\nOther\nSame\n"), "Same\nOther\nSame\n");
}

#[test]
fn per_rule_max_removed_drops_a_rule_that_would_eat_too_much() {
    let r = rules(&format!("{DUPLICATE}max_removed = 0.3\n"));
    assert_eq!(cleaned(&r, "Chant\nChant\nChant\nChant\n"), "Chant\nChant\nChant\nChant\n");
    assert_eq!(
        cleaned(&r, "Chant\nChant\nA longer line of real prose here.\n"),
        "Chant\nA longer line of real prose here.\n"
    );
}

#[test]
fn overlapping_removals_merge_and_credit_the_first_rule_in_pack_order() {
    let r = rules(&format!("{CAPTION}\n{SECTION}"));
    let text = "Body.\n\nMore from Metro\n\nA man waves.\nREUTERS/Jane Doe\n\nTeaser.\n";
    let out = clean(&r, text);
    assert_eq!(out.text, "Body.\n");
    assert_eq!(out.removals.len(), 1);
    assert_eq!(&*out.removals[0].rule, "wire-credit");
    assert_eq!(out.removals[0].also.iter().map(|a| &**a).collect::<Vec<_>>(), ["more-from"]);
}

#[test]
fn touching_removals_stay_separate() {
    let r = rules(&format!("{AD_LINE}\n{DUPLICATE}"));
    let out = clean(&r, "Body.\nAdvertisement\nTeaser\nTeaser\n");
    let rules: Vec<_> = out.removals.iter().map(|r| &*r.rule).collect();
    assert_eq!(rules, ["ad-marker", "repeated-line"]);
}

#[test]
fn case_insensitive_rules_match_any_case() {
    let r = rules(
        r#"
[[rule]]
id = "share"
category = "social"
kind = "line"
description = "Share prompt."
pattern = '^share this article$'
case_insensitive = true
"#,
    );
    assert_eq!(cleaned(&r, "SHARE THIS ARTICLE\nShare This Article\nBody.\n"), "Body.\n");
}

#[test]
fn site_rules_apply_only_to_matching_urls() {
    let r = rules(
        r#"
[[rule]]
id = "site-footer"
category = "navigation"
kind = "line"
description = "Footer of one site."
pattern = '^Back to Metro$'
sites = ["*.metro.example"]
"#,
    );
    let text = "Body.\nBack to Metro\n";
    let on = |url| clean_document(&r, Document { text, url, lang: None }).text.into_owned();
    assert_eq!(on(Some("https://news.metro.example/a")), "Body.\n");
    assert_eq!(on(Some("https://metro.example.org/a")), text);
    assert_eq!(on(None), text);
}

#[test]
fn removals_replay_to_the_output() {
    // The output is the input minus the removals, plus blank-line tidying only.
    let r = rules(&format!("{AD_LINE}\n{SPAN}\n{CAPTION}"));
    let text = "Body Advertisement text.\n\nA man waves.\nREUTERS/Jane Doe\n\nAdvertisement\nEnd.\n";
    let out = clean(&r, text);
    let mut replay = String::new();
    let mut pos = 0;
    for rm in &out.removals {
        replay.push_str(&text[pos..rm.start]);
        pos = rm.end;
    }
    replay.push_str(&text[pos..]);
    assert_eq!(replay, "Body text.\n\n\nEnd.\n");
    assert_eq!(out.text, "Body text.\n\nEnd.\n");
}

#[test]
fn doubled_removes_a_phrase_written_twice() {
    let r = rules(
        r#"
[[rule]]
id = "doubled"
category = "residue"
kind = "doubled"
description = "Phrase twice."
"#,
    );
    assert_eq!(cleaned(&r, "Harbor at dusk Harbor at dusk\nBody.\n"), "Body.\n");
    assert_eq!(
        cleaned(&r, "Harbor at dusk Harbor at noon\nYes yes\n"),
        "Harbor at dusk Harbor at noon\nYes yes\n"
    );
}

#[test]
fn duplicate_with_document_scope_removes_later_copies_anywhere() {
    let r = rules(
        r#"
[[rule]]
id = "repeat-anywhere"
category = "residue"
kind = "duplicate"
scope = "document"
description = "Any repeat."
"#,
    );
    assert_eq!(
        cleaned(&r, "A caption\nBody one.\nA  caption\nBody two.\n"),
        "A caption\nBody one.\nBody two.\n"
    );
    let bad = crate::util::rule_error(
        "[[rule]]\nid = \"s\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npattern = 'x'\nscope = \"document\"\n",
    );
    assert!(bad.contains("`scope` applies only to `duplicate` rules"), "{bad}");
}

/// A body paragraph (25 words or more, ending like a sentence).
const BODY: &str = "The harbour wall collapsed in March after a week of gales, and repairs are expected to take most of the summer and much of the autumn, officials said on Monday.";

#[test]
fn duplicate_with_all_copies_removes_the_first_copy_below_a_body_paragraph() {
    let r = rules(
        r#"
[[rule]]
id = "repeat-both"
category = "residue"
kind = "duplicate"
copies = "all"
description = "Alt text and caption."
"#,
    );
    // A photo's alt text and caption between paragraphs: both copies go, a third copy too.
    assert_eq!(
        cleaned(&r, &format!("{BODY}\nBoats at dusk\nBoats  at dusk\nBoats at dusk\nBody two.\n")),
        format!("{BODY}\nBody two.\n")
    );
    // Above the first body paragraph (a title or standfirst the page doubles), the first copy
    // stays.
    assert_eq!(
        cleaned(&r, &format!("Quay reopens\nBoats return\nBoats return\n{BODY}\n")),
        format!("Quay reopens\nBoats return\n{BODY}\n")
    );
    let bad = crate::util::rule_error(
        "[[rule]]\nid = \"s\"\ncategory = \"residue\"\nkind = \"duplicate\"\ndescription = \"d\"\ncopies = \"first\"\n",
    );
    assert!(bad.contains("unknown copies \"first\""), "{bad}");
}

#[test]
fn duplicate_with_document_scope_and_all_copies_keeps_titles_and_contents_entries() {
    let r = rules(&format!("{REPEAT_ANYWHERE}copies = \"all\"\n"));
    // A gallery caption under each photo: every copy goes.
    assert_eq!(
        cleaned(&r, &format!("{BODY}\nBoats at the quay\nBody two.\nBoats at the quay\nBody three.\n")),
        format!("{BODY}\nBody two.\nBody three.\n")
    );
    // The headline repeated as a caption further down: the headline stays.
    assert_eq!(
        cleaned(&r, &format!("Quay reopens to boats\n{BODY}\nQuay reopens to boats\nBody two.\n")),
        format!("Quay reopens to boats\n{BODY}\nBody two.\n")
    );
    // A contents list and its subheadings: all stay.
    let page = format!(
        "{BODY}\nContents\nWhy the ferry fares rose\nWhat riders can do\n\
         Why the ferry fares rose\nFuel and crew costs went up by a third over two years.\n\
         What riders can do\nMonthly passes still cost the same as last spring.\n"
    );
    assert_eq!(cleaned(&r, &page), page);
}

const REPEAT_ANYWHERE: &str = r#"
[[rule]]
id = "repeat-anywhere"
category = "residue"
kind = "duplicate"
scope = "document"
description = "Any repeat."
max_words = 12
sentence = false
"#;

// Regression: a page's contents list (short lines that recur, in the same order, as the
// subheadings of its sections) made document-scope duplicates delete the real subheadings.
#[test]
fn duplicate_with_document_scope_keeps_subheadings_listed_in_a_contents_list() {
    let r = rules(REPEAT_ANYWHERE);
    let page = "Why the ferry fares rose\nWhat riders can do\nWhen the new timetable starts\n\
                Why the ferry fares rose\nFuel and crew costs went up by a third over two years.\n\
                What riders can do\nMonthly passes still cost the same as last spring.\n\
                When the new timetable starts\nThe first boats on the new timetable leave in May.\n";
    assert_eq!(cleaned(&r, page), page);
    // With blank lines between the paragraphs, and a list of two entries right above the first
    // section.
    let page = "Contents\n\nHarbour works\nNew berths\n\nHarbour works\n\nThe north wall is rebuilt.\n\n\
                New berths\n\nTwo berths are added.\n";
    assert_eq!(cleaned(&r, page), page);
}

#[test]
fn duplicate_with_document_scope_still_removes_repeated_captions_and_blocks() {
    let r = rules(REPEAT_ANYWHERE);
    // A caption repeated between paragraphs: the first copy stands among prose, not in a list.
    assert_eq!(
        cleaned(
            &r,
            "Boats at the north quay\nThe quay reopens.\nBoats at the north quay\nWork ends in June.\n"
        ),
        "Boats at the north quay\nThe quay reopens.\nWork ends in June.\n"
    );
    // A menu repeated as a block (each later copy followed by the next entry, not by prose).
    assert_eq!(
        cleaned(
            &r,
            "Local news here\nSport and games\nThe quay reopens.\nLocal news here\nSport and games\n"
        ),
        "Local news here\nSport and games\nThe quay reopens.\n"
    );
    // Entries out of order are not a contents list: the later copies are not its sections.
    assert_eq!(
        cleaned(
            &r,
            "Photo of the north quay\nPhoto of the south quay\nPhoto of the south quay\nThe quay reopens.\nPhoto of the north quay\nWork ends.\n"
        ),
        "Photo of the north quay\nPhoto of the south quay\nThe quay reopens.\nWork ends.\n"
    );
}
