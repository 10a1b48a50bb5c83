//! dolma attributes: what a cleaning deleted, as per-category spans in the form dolma's taggers
//! write and its mixer's `span_replacement` reads.
//!
//! dolma keeps attributes beside documents: for `.../documents/NAME.jsonl.gz`, the file
//! `.../attributes/<set>/NAME.jsonl.gz` holds one line per document, in the same order, as
//! `{"id": ..., "attributes": {"<set>__<tagger>__<name>": [[start, end, score], ...]}}`, with
//! `start` and `end` *character* offsets (Python `str` indices, Unicode scalar values) into the
//! document's text. deboil writes its spans under [`attribute_name`]:
//! `deboil__deboil__<category>` (attribute set `deboil`, tagger `deboil`, the category with
//! `-` spelled `_`, as `dolma tag --experiment deboil` names a tagger's outputs; JSONPath in a
//! mixer config can then reach it with the dotted form).
//!
//! Deleting every span of a document from its text gives exactly the cleaned text: the spans
//! cover the removals *and* the blank lines tidying dropped around them (each tidied range goes
//! to the category, and score, of the removal it borders: the one before it, else the one after).

use std::fmt::Write as _;

use crate::engine::{Cleaned, LineFate, line_reports};
use crate::rules::Category;

/// The attribute set (the directory under `attributes/`) and tagger name deboil's attribute
/// names start with.
pub const ATTRIBUTE_SET: &str = "deboil";

/// One deleted range: character offsets into the original text, and a score (the line
/// classifier's probability for removals it made or joined, else 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The score dolma's `min_score` compares against.
    pub score: f32,
}

/// A deleted range's category and score.
type Label = (Category, f32);

/// The attribute name of a category's spans: `deboil__deboil__<category>`, with `-` as `_`
/// (`deboil__deboil__more_from`).
pub fn attribute_name(category: Category) -> String {
    format!("{ATTRIBUTE_SET}__{ATTRIBUTE_SET}__{}", category.as_str().replace('-', "_"))
}

/// The spans `cleaned` deleted from `input` (the text it was cleaned from), per category in
/// [`Category::ALL`] order, categories without spans left out. Spans are sorted,
/// non-overlapping, and the adjacent ones of a category with the same score are merged; across
/// all categories, deleting them from `input` leaves `cleaned.text`.
pub fn spans(input: &str, cleaned: &Cleaned<'_>) -> Vec<(Category, Vec<Span>)> {
    if cleaned.removals.is_empty() {
        return Vec::new();
    }
    // Byte ranges, labelled with their category and score; tidied lines borrow theirs below.
    let mut ranges: Vec<(usize, usize, Option<Label>)> = cleaned
        .removals
        .iter()
        .map(|r| (r.start, r.end, Some((r.category, r.score.unwrap_or(1.0)))))
        .collect();
    let reports = line_reports(input, &cleaned.removals);
    for (i, line) in reports.iter().enumerate() {
        if line.fate == LineFate::Tidied {
            let end = reports.get(i + 1).map_or(input.len(), |next| next.start);
            ranges.push((line.start, end, None));
        }
    }
    ranges.sort_unstable_by_key(|r| r.0);
    for i in 1..ranges.len() {
        if ranges[i].2.is_none() && ranges[i - 1].1 == ranges[i].0 {
            ranges[i].2 = ranges[i - 1].2;
        }
    }
    for i in (0..ranges.len().saturating_sub(1)).rev() {
        if ranges[i].2.is_none() && ranges[i].1 == ranges[i + 1].0 {
            ranges[i].2 = ranges[i + 1].2;
        }
    }
    // Tidying only drops blank lines next to removed ones, so every range has a label by now;
    // the nearest removal is a fallback that keeps the spans complete whatever happens.
    let first = ranges.iter().find_map(|r| r.2);
    let mut last = first;
    for r in &mut ranges {
        match r.2 {
            Some(l) => last = Some(l),
            None => r.2 = last,
        }
    }

    let mut chars = CharOffsets::new(input);
    let mut out: Vec<(Category, Vec<Span>)> = Vec::new();
    let mut prev: Option<(Category, usize)> = None;
    for (start, end, label) in ranges {
        let (category, score) = label.expect("at least one removal");
        let span = Span { start: chars.at(start), end: chars.at(end), score };
        let k = match out.iter().position(|(c, _)| *c == category) {
            Some(k) => k,
            None => {
                out.push((category, Vec::new()));
                out.len() - 1
            }
        };
        let list = &mut out[k].1;
        match list.last_mut() {
            Some(last)
                if prev == Some((category, start)) && last.end == span.start && last.score == score =>
            {
                last.end = span.end
            }
            _ => list.push(span),
        }
        prev = Some((category, end));
    }
    out.sort_by_key(|(c, _)| Category::ALL.iter().position(|a| a == c));
    out
}

/// One line of a dolma attributes file (newline included): `id` is the document's id as JSON
/// (copied from the record, so that the mixer's id check matches), `spans` as [`spans`] gives
/// them. A document nothing was removed from gets an empty `attributes` object.
pub fn attributes_line(id_json: &str, spans: &[(Category, Vec<Span>)]) -> String {
    let mut line = String::with_capacity(64 + 24 * spans.iter().map(|(_, s)| s.len()).sum::<usize>());
    line.push_str("{\"id\":");
    line.push_str(id_json);
    line.push_str(",\"attributes\":{");
    for (i, (category, list)) in spans.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let _ = write!(line, "\"{}\":[", attribute_name(*category));
        for (j, s) in list.iter().enumerate() {
            if j > 0 {
                line.push(',');
            }
            // f32 prints in its shortest form (`0.98`, not `0.9800000190734863`); 1 as `1.0`.
            let _ = write!(line, "[{},{},{:?}]", s.start, s.end, s.score);
        }
        line.push(']');
    }
    line.push_str("}}\n");
    line
}

/// Byte offsets to character offsets, for offsets asked in increasing order.
struct CharOffsets<'a> {
    input: &'a str,
    byte: usize,
    char: usize,
}

impl<'a> CharOffsets<'a> {
    fn new(input: &'a str) -> Self {
        CharOffsets { input, byte: 0, char: 0 }
    }

    fn at(&mut self, byte: usize) -> usize {
        debug_assert!(byte >= self.byte, "offsets asked in order");
        self.char += self.input[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text left when every span is deleted (character offsets).
    fn apply(input: &str, spans: &[(Category, Vec<Span>)]) -> String {
        let mut all: Vec<Span> = spans.iter().flat_map(|(_, s)| s.iter().copied()).collect();
        all.sort_by_key(|s| s.start);
        let chars: Vec<char> = input.chars().collect();
        let mut out = String::new();
        let mut pos = 0;
        for s in all {
            assert!(s.start >= pos && s.end > s.start && s.end <= chars.len(), "{s:?}");
            out.extend(&chars[pos..s.start]);
            pos = s.end;
        }
        out.extend(&chars[pos..]);
        out
    }

    fn check(input: &str) -> Vec<(Category, Vec<Span>)> {
        let rules = crate::RuleSet::defaults();
        let cleaned = crate::clean(&rules, input);
        let spans = spans(input, &cleaned);
        assert_eq!(apply(input, &spans), cleaned.text, "input {input:?}\nspans {spans:?}");
        for (_, list) in &spans {
            assert!(list.windows(2).all(|w| w[0].end < w[1].start || w[0].score != w[1].score), "{list:?}");
        }
        spans
    }

    #[test]
    fn untouched_document_has_no_spans() {
        let spans = check("Body text.\n\nMore body.\n");
        assert!(spans.is_empty());
        assert_eq!(attributes_line("\"a\"", &spans), "{\"id\":\"a\",\"attributes\":{}}\n");
    }

    #[test]
    fn removal_at_start_takes_the_blank_lines_after_it() {
        let input = "Advertisement\n\n\nThe council met on Monday to discuss the budget.\n";
        let spans = check(input);
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].0, Category::Ad);
        // The removed line and the two blank lines that would otherwise open the document.
        assert_eq!(spans[0].1, vec![Span { start: 0, end: 16, score: 1.0 }]);
    }

    #[test]
    fn removal_at_end_takes_the_blank_lines_before_it() {
        let input = "The council met on Monday to discuss the budget.\n\n\nAdvertisement";
        let spans = check(input);
        let start = "The council met on Monday to discuss the budget.\n".chars().count();
        assert_eq!(spans, vec![(Category::Ad, vec![Span { start, end: input.chars().count(), score: 1.0 }])]);
    }

    #[test]
    fn consecutive_removals_and_tidied_blank_lines_between_them() {
        let input = "Première phrase du texte, écrite à Zürich.\n\nAdvertisement\n\nAdvertisement\n\n\
                     Sign up for our daily newsletter\n\nLa suite de l'article, avec des détails.\n";
        let spans = check(input);
        let cats: Vec<Category> = spans.iter().map(|(c, _)| *c).collect();
        assert!(cats.contains(&Category::Ad) && cats.contains(&Category::Newsletter), "{spans:?}");
        // Character offsets, not bytes: the first span starts after the accented first line.
        let first = spans.iter().flat_map(|(_, s)| s).map(|s| s.start).min().unwrap();
        assert!(first <= "Première phrase du texte, écrite à Zürich.\n\n".chars().count());
        assert!(first >= "Première phrase du texte, écrite à Zürich.\n".chars().count());
    }

    #[test]
    fn longer_blank_run_after_is_kept_and_the_one_before_goes() {
        // One blank line before the removal, two after: the two stay, the one before goes.
        check("First paragraph of the story.\n\nAdvertisement\n\n\nSecond paragraph of the story.\n");
        // Two before, one after: the two stay, the one after goes.
        check("First paragraph of the story.\n\n\nAdvertisement\n\nSecond paragraph of the story.\n");
    }

    #[test]
    fn crlf_and_missing_final_newline() {
        check("Erste Zeile über München.\r\n\r\nAdvertisement\r\n\r\nZweite Zeile.\r\n\r\nAdvertisement");
        check("Advertisement\r\n\r\nBody line with ünïcödé.\r\nREUTERS/Jane Doe");
    }

    #[test]
    fn adjacent_spans_of_one_category_merge() {
        let spans = check("Body text.\n\nAdvertisement\nAdvertisement\n\nMore body.\n");
        assert_eq!(spans.len(), 1, "{spans:?}");
        assert_eq!(spans[0].1.len(), 1, "{spans:?}");
    }

    #[test]
    fn names_and_line_format() {
        assert_eq!(attribute_name(Category::MoreFrom), "deboil__deboil__more_from");
        let spans = vec![
            (Category::Credit, vec![Span { start: 3, end: 9, score: 1.0 }]),
            (Category::Model, vec![Span { start: 12, end: 20, score: 0.98 }]),
        ];
        assert_eq!(
            attributes_line("17", &spans),
            "{\"id\":17,\"attributes\":{\"deboil__deboil__credit\":[[3,9,1.0]],\"deboil__deboil__model\":[[12,20,0.98]]}}\n"
        );
    }
}
