//! Line features: the shape of each line and of its neighbourhood, as numbers the trees split
//! on. One pass over each line's bytes, then passes over the per-line summaries; no allocation
//! per line.
//!
//! Features are language-light: word and character counts, sentence endings, capitals, digits,
//! punctuation, list markers and separators, the share of function words (a list carried by
//! the model file), where the line sits against the document's long prose, the same facts of
//! its neighbours, and whether a phrase rule removed it or them.

use std::collections::HashSet;

/// Names of the features, in the order of a feature row. A model file lists the names it was
/// trained on, and loading checks they are these.
pub const NAMES: [&str; N_FEATURES] = [
    "words",
    "chars",
    "sentence_end",
    "colon_end",
    "capitalised_share",
    "lowercase_share",
    "stopword_share",
    "digit_share",
    "punct_share",
    "commas_per_word",
    "list_marker",
    "separators",
    "url",
    "mean_word_len",
    "rule_hit",
    "repeats",
    "starts_lowercase",
    "brackets",
    "prev_words",
    "prev_sentence_end",
    "prev_capitalised_share",
    "prev_stopword_share",
    "prev_rule_hit",
    "prev_list_marker",
    "next_words",
    "next_sentence_end",
    "next_capitalised_share",
    "next_stopword_share",
    "next_rule_hit",
    "next_list_marker",
    "prev2_words",
    "next2_words",
    "window_mean_words",
    "window_sentence_share",
    "window_rule_hits",
    "short_run",
    "list_run",
    "position",
    "prose_before_share",
    "lines_since_prose",
    "lines_to_prose",
    "doc_median_words",
    "doc_short_share",
    "doc_rule_hit_share",
    "starts_digit",
    "doc_prose_char_share",
    "same_start_run",
];

/// Index of `words` in a row.
pub const WORDS: usize = 0;
/// Index of `sentence_end` in a row.
pub const SENTENCE_END: usize = 2;

/// Number of features per line.
pub const N_FEATURES: usize = 47;

/// A line with at least this many words that ends like a sentence is prose.
const PROSE_WORDS: u32 = 20;
/// A line with fewer words that does not end like a sentence is short.
const SHORT_WORDS: u32 = 10;
/// Distances to prose are capped here (and are this when there is none on that side).
const FAR: u32 = 50;
/// Neighbours on each side averaged by the window features.
const WINDOW: usize = 3;
/// What a line's neighbours see of its words (capitals, function words) is measured on its
/// first this many words: enough to tell prose from a list of names, and cheap for a long
/// paragraph beside a short line.
const OPENING_WORDS: u32 = 12;

/// Function words, matched case-insensitively (ASCII letters folded) on words of at most 8
/// bytes: the share of them is what tells prose from a list of names.
#[derive(Debug, Clone)]
pub struct StopWords {
    keys: HashSet<u64, foldhash::fast::FixedState>,
    /// One bit per slot of a multiplicative hash of the keys: most words miss it, and only
    /// those that hit it are looked up.
    bloom: [u64; 64],
    words: Vec<String>,
}

impl Default for StopWords {
    fn default() -> StopWords {
        StopWords { keys: HashSet::default(), bloom: [0; 64], words: Vec::new() }
    }
}

impl StopWords {
    /// A list from words; words longer than 8 bytes are left out (they could never match).
    pub fn new<S: AsRef<str>>(words: &[S]) -> StopWords {
        let mut out = StopWords::default();
        for w in words {
            let w = w.as_ref().trim();
            if let Some(key) = word_key(w.as_bytes())
                && out.keys.insert(key)
            {
                let slot = bloom_slot(key);
                out.bloom[slot / 64] |= 1 << (slot % 64);
                out.words.push(w.to_lowercase());
            }
        }
        out
    }

    /// The words, in the order given.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    #[cfg(test)]
    fn contains(&self, word: &[u8]) -> bool {
        word_key(word).is_some_and(|k| self.contains_key(k))
    }

    /// Whether a key made by [`word_key`] is in the list.
    fn contains_key(&self, key: u64) -> bool {
        let slot = bloom_slot(key);
        self.bloom[slot / 64] & (1 << (slot % 64)) != 0 && self.keys.contains(&key)
    }
}

/// A slot in 0..4096 for a key.
fn bloom_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize
}

/// Up to 8 bytes packed into a word, ASCII letters lowered; `None` for longer words.
fn word_key(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 8 {
        return None;
    }
    let mut key = 0u64;
    for &b in word {
        key = (key << 8) | u64::from(b.to_ascii_lowercase());
    }
    Some(key | ((word.len() as u64) << 60))
}

/// What one pass over a line's bytes finds.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    words: u32,
    chars: u32,
    capitalised: u32,
    lowercase: u32,
    stop: u32,
    digits: u32,
    punct: u32,
    commas: u32,
    separators: u32,
    brackets: u32,
    letters: u32,
    sentence_end: bool,
    colon_end: bool,
    list_marker: bool,
    url: bool,
    starts_lowercase: bool,
    starts_digit: bool,
    /// The line's first byte, ASCII letters folded: runs of lines that start alike are lists.
    first_byte: u8,
    rule_hit: bool,
    repeats: bool,
    /// The counts of the first [`OPENING_WORDS`] words: what neighbours see.
    opening: Opening,
}

/// Counts over a line's first [`OPENING_WORDS`] words.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Opening {
    words: u32,
    capitalised: u32,
    stop: u32,
}

impl Shape {
    fn prose(&self) -> bool {
        self.sentence_end && self.words >= PROSE_WORDS
    }

    fn short(&self) -> bool {
        !self.sentence_end && self.words < SHORT_WORDS
    }

    fn share(&self, n: u32) -> f32 {
        if self.words == 0 { 0.0 } else { n as f32 / self.words as f32 }
    }

    /// What a line's neighbours see of it: `*_words`, `*_sentence_end`,
    /// `*_capitalised_share`, `*_stopword_share` (of its opening words), `*_rule_hit`,
    /// `*_list_marker`.
    fn neighbour_features(&self) -> [f32; 6] {
        let b = |v: bool| if v { 1.0 } else { 0.0 };
        let o = &self.opening;
        let share = |n: u32| if o.words == 0 { 0.0 } else { n as f32 / o.words as f32 };
        [
            self.words as f32,
            b(self.sentence_end),
            share(o.capitalised),
            share(o.stop),
            b(self.rule_hit),
            b(self.list_marker),
        ]
    }

    fn per_char(&self, n: u32) -> f32 {
        if self.chars == 0 { 0.0 } else { n as f32 / self.chars as f32 }
    }
}

// Byte classes, in one table. The first five are the bytes of words' letters and digits.
const DIGIT: u8 = 0;
const UPPER: u8 = 1;
const LOWER: u8 = 2;
/// Lead byte of a two-byte character (most Latin letters with accents).
const LEAD2: u8 = 3;
/// Lead byte of a longer character.
const LEAD: u8 = 4;
const LAST_ALNUM: u8 = LEAD;
const CONT: u8 = 5;
const SPACE: u8 = 6;
const COMMA: u8 = 7;
const SEPARATOR: u8 = 8;
const BRACKET: u8 = 9;
const COLON: u8 = 10;
const PUNCT: u8 = 11;
const OTHER: u8 = 12;
const N_CLASSES: usize = 13;

/// What one byte of each class adds to the counters, in 16-bit lanes: digits, letters,
/// continuation bytes, commas (first register); separators, brackets, punctuation of every
/// kind (second).
const LANES_A: [u64; N_CLASSES] = {
    let mut t = [0u64; N_CLASSES];
    t[DIGIT as usize] = 1;
    t[UPPER as usize] = 1 << 16;
    t[LOWER as usize] = 1 << 16;
    t[LEAD2 as usize] = 1 << 16;
    t[CONT as usize] = 1 << 32;
    t[COMMA as usize] = 1 << 48;
    t
};
const LANES_B: [u64; N_CLASSES] = {
    let mut t = [0u64; N_CLASSES];
    t[COMMA as usize] = 1 << 32;
    t[SEPARATOR as usize] = 1 | (1 << 32);
    t[BRACKET as usize] = (1 << 16) | (1 << 32);
    t[COLON as usize] = 1 << 32;
    t[PUNCT as usize] = 1 << 32;
    t
};

/// Adds the lanes to the totals (digits, letters, continuation bytes, commas, separators,
/// brackets, punctuation) and clears them.
fn flush(totals: &mut [u32; 8], a: &mut u64, b: &mut u64) {
    for k in 0..4 {
        totals[k] += ((*a >> (16 * k)) & 0xffff) as u32;
        totals[4 + k] += ((*b >> (16 * k)) & 0xffff) as u32;
    }
    (*a, *b) = (0, 0);
}

const CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = match b as u8 {
            b'0'..=b'9' => DIGIT,
            b'A'..=b'Z' => UPPER,
            b'a'..=b'z' => LOWER,
            0xC3..=0xDF => LEAD2,
            0xC0..=0xC2 | 0xE0..=0xFF => LEAD,
            0x80..=0xBF => CONT,
            b' ' | b'\t' | b'\r' | b'\n' => SPACE,
            b',' => COMMA,
            b'|' | b'/' | b'~' => SEPARATOR,
            b'(' | b')' | b'[' | b']' => BRACKET,
            b':' => COLON,
            b'!'..=b'.' | b';'..=b'@' | b'\\' | b'^'..=b'`' | b'{' | b'}' => PUNCT,
            _ => OTHER,
        };
        b += 1;
    }
    t
};

/// List markers a scraper puts before an item: `- `, `* `, `+ `, `• ` and the like. They are
/// one feature, whatever the extractor wrote, and are not counted as the line's words.
fn strip_list_marker(text: &str) -> Option<&str> {
    let first = text.chars().next()?;
    if matches!(first, '-' | '*' | '+' | '•' | '·' | '–' | '—' | '►' | '▪' | '◦' | '>') {
        let rest = &text[first.len_utf8()..];
        if rest.is_empty() || rest.starts_with(char::is_whitespace) {
            return Some(rest.trim_start());
        }
    }
    None
}

/// Whether the text ends like a sentence: `.`, `!`, `?` or `…`, possibly followed by closing
/// quotes or brackets.
pub(crate) fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»', '*', '_']);
    t.ends_with(['.', '!', '?', '…'])
}

/// The facts of a line that document-level features need, found cheaply: its words and
/// characters, its ending and its first byte. `detail` adds the rest.
fn outline(text: &str) -> (Shape, &str) {
    let mut s = Shape::default();
    let body = match strip_list_marker(text) {
        Some(rest) => {
            s.list_marker = true;
            rest
        }
        None => text,
    };
    let bytes = body.as_bytes();
    s.sentence_end = ends_sentence(body);
    s.colon_end = body.ends_with(':');
    s.starts_lowercase = body.chars().next().is_some_and(char::is_lowercase);
    s.starts_digit = bytes.first().is_some_and(u8::is_ascii_digit);
    s.first_byte = match bytes.first() {
        Some(b) if b.is_ascii_digit() => b'0',
        Some(b) if b.is_ascii_alphabetic() => b'a',
        Some(&b) => b,
        None => 0,
    };
    // Words are the runs between spaces and tabs; characters, the bytes that do not continue
    // one. Counted without a branch per byte, so that the compiler can vectorise both.
    let gap = |b: u8| u32::from(b == b' ') | u32::from(b == b'\t');
    let first = bytes.first().map_or(0, |&b| 1 - gap(b));
    let starts: u32 =
        bytes.iter().zip(&bytes[1.min(bytes.len())..]).map(|(&a, &b)| gap(a) & (1 - gap(b))).sum();
    let cont: u32 = bytes.iter().map(|&b| u32::from(b & 0xC0 == 0x80)).sum();
    s.words = first + starts;
    s.chars = bytes.len() as u32 - cont;
    (s, body)
}

/// Every fact of a line.
fn shape(text: &str, stop: &StopWords) -> Shape {
    let (mut s, body) = outline(text);
    detail(&mut s, body, stop);
    s
}

/// Adds to an [`outline`] the facts of the line's bytes and words: capitals, function words,
/// digits, punctuation, separators, URLs.
fn detail(s: &mut Shape, body: &str, stop: &StopWords) {
    let bytes = body.as_bytes();
    // Two passes, each without a branch per byte that depends on the text: the byte classes
    // counted in 16-bit lanes of two registers (added from a table, flushed before a lane could
    // overflow), then word by word.
    let (mut lanes_a, mut lanes_b) = (0u64, 0u64);
    let mut totals = [0u32; 8];
    for chunk in bytes.chunks(0x7fff) {
        for &b in chunk {
            let class = CLASS[b as usize] as usize;
            lanes_a += LANES_A[class];
            lanes_b += LANES_B[class];
        }
        flush(&mut totals, &mut lanes_a, &mut lanes_b);
    }
    let words = read_words(s, body, stop, u32::MAX);
    // A URL: a word that starts with `www.` (marked by `word`), or a `://`.
    s.url |= memchr::memchr_iter(b':', bytes).any(|i| bytes[i + 1..].starts_with(b"//"));
    // The separators » · • (two- and three-byte characters), in lines with non-ASCII ones.
    if totals[2] > 0 {
        s.separators += memchr::memchr2_iter(0xC2, 0xE2, bytes)
            .filter(|&i| matches!(&bytes[i..], [0xC2, 0xBB | 0xB7, ..] | [0xE2, 0x80, 0xA2, ..]))
            .count() as u32;
    }
    debug_assert_eq!(words, s.words, "{body:?}");
    let [digits, letters, cont, commas, separators, brackets, punct, _] = totals;
    debug_assert_eq!(s.chars, bytes.len() as u32 - cont);
    s.digits = digits;
    s.letters = letters;
    s.commas = commas;
    s.separators += separators;
    s.brackets = brackets;
    s.punct = punct;
}

/// Adds to an [`outline`] what neighbours see of a line's words ([`Shape::opening`]), and
/// nothing else: for lines that are not scored but stand beside one.
fn opening(s: &mut Shape, body: &str, stop: &StopWords) {
    read_words(s, body, stop, OPENING_WORDS);
}

/// Reads the first `limit` words of `body` (the runs between spaces and tabs): each one's first
/// letter's case (after leading quotes and brackets), whether it is a function word (its
/// letters and digits, ASCII-lowered) and whether it starts like a web address; records the
/// opening counts and returns how many words it read.
fn read_words(s: &mut Shape, body: &str, stop: &StopWords, limit: u32) -> u32 {
    let bytes = body.as_bytes();
    let gap = |b: u8| b == b' ' || b == b'\t';
    let (mut i, mut n) = (0, 0);
    // Words are a few bytes long: a plain loop finds their ends faster than a vector search.
    while i < bytes.len() {
        if gap(bytes[i]) {
            i += 1;
            continue;
        }
        if n == OPENING_WORDS {
            s.opening = Opening { words: n, capitalised: s.capitalised, stop: s.stop };
        }
        if n == limit {
            return n;
        }
        // One pass over the word: its end, its first letter or digit, and the key of its
        // letters and digits (kept only for words of at most 12 bytes and 8 such characters).
        let start = i;
        let (mut first, mut key, mut len) = (usize::MAX, 0u64, 0u64);
        while i < bytes.len() && !gap(bytes[i]) {
            let b = bytes[i];
            if CLASS[b as usize] <= LAST_ALNUM {
                if first == usize::MAX {
                    first = i;
                }
                key = (key << 8) | u64::from(b.to_ascii_lowercase());
                len += 1;
            }
            i += 1;
        }
        let w = &bytes[start..i];
        s.url |= w.starts_with(b"www.");
        if first != usize::MAX {
            match CLASS[bytes[first] as usize] {
                UPPER => s.capitalised += 1,
                LOWER => s.lowercase += 1,
                // Words are cut at ASCII spaces, so `first` is a char boundary.
                _ => match body[first..].chars().next() {
                    Some(c) if c.is_uppercase() => s.capitalised += 1,
                    Some(c) if c.is_lowercase() => s.lowercase += 1,
                    _ => {}
                },
            }
            if w.len() <= 12 && len <= 8 && stop.contains_key(key | (len << 60)) {
                s.stop += 1;
            }
        }
        n += 1;
    }
    if n <= OPENING_WORDS {
        s.opening = Opening { words: n, capitalised: s.capitalised, stop: s.stop };
    }
    n
}

/// Whether a line reads like a headline: at least three words, not ending like a sentence.
pub fn reads_like_headline(text: &str) -> bool {
    !ends_sentence(text) && text.split_whitespace().nth(2).is_some()
}

/// Feature rows for the lines of one document: `texts` are the non-blank lines, trimmed, in
/// order; `hits[i]` says whether a phrase rule removed (part of) line `i`. Writes
/// `texts.len() * N_FEATURES` numbers to `out` (cleared first), row by row.
pub fn document_features(texts: &[&str], hits: &[bool], stop: &StopWords, out: &mut Vec<f32>) {
    out.clear();
    let doc = Measured::all(texts, hits, stop);
    out.reserve(texts.len() * N_FEATURES);
    for i in 0..texts.len() {
        doc.row(i, out);
    }
    debug_assert_eq!(out.len(), texts.len() * N_FEATURES);
}

/// A document's lines measured: each line's shape and the facts of the whole document that
/// feature rows are built from. Built in one pass over each line's bytes and a few passes over
/// the per-line summaries.
pub struct Measured {
    shapes: Vec<Shape>,
    /// Whether the first line reads like a headline (a model leaves it alone).
    headline_first: bool,
    short_run: Vec<u32>,
    list_run: Vec<u32>,
    same_start: Vec<u32>,
    since_prose: Vec<u32>,
    to_prose: Vec<u32>,
    /// Characters of the prose lines above each line.
    prose_before: Vec<u32>,
    median_words: f32,
    short_share: f32,
    hit_share: f32,
    prose_chars: u32,
    doc_chars: u32,
}

impl Measured {
    /// Every line measured in full: any line's row can be built.
    pub fn all(texts: &[&str], hits: &[bool], stop: &StopWords) -> Measured {
        Measured::new(texts, hits, texts.iter().map(|t| shape(t, stop)).collect())
    }

    /// Measured for scoring: in full only the lines a model scores ([`Measured::in_remit`]),
    /// whose rows are the only ones built; their neighbours in outline and opening words, the
    /// others in outline (words, characters, ending), which is all that those rows read of them.
    /// `None` for a document without a line of prose (at least 20 words, ending like a
    /// sentence): the article body a model tells its surroundings from, so it abstains there.
    pub fn for_scoring(texts: &[&str], hits: &[bool], stop: &StopWords) -> Option<Measured> {
        let outlines: Vec<(Shape, &str)> = texts.iter().map(|t| outline(t)).collect();
        if !outlines.iter().any(|(s, _)| s.prose()) {
            return None;
        }
        let mut doc = Measured::new(texts, hits, outlines.iter().map(|o| o.0).collect());
        let n = texts.len();
        for (i, (_, body)) in outlines.iter().enumerate() {
            let near = |j: usize| j < n && doc.in_remit(j);
            if near(i) {
                detail(&mut doc.shapes[i], body, stop);
            } else if near(i + 1) || (i > 0 && near(i - 1)) {
                opening(&mut doc.shapes[i], body, stop);
            }
        }
        Some(doc)
    }

    /// The document-level facts of lines whose outlines (at least) are measured.
    fn new(texts: &[&str], hits: &[bool], mut shapes: Vec<Shape>) -> Measured {
        for (s, &hit) in shapes.iter_mut().zip(hits) {
            s.rule_hit = hit;
        }
        mark_repeats(texts, &mut shapes);
        let n = shapes.len();
        let headline_first = texts.first().is_some_and(|t| reads_like_headline(t));

        // Document-level facts.
        let mut word_counts: Vec<u32> = shapes.iter().map(|s| s.words).collect();
        word_counts.sort_unstable();
        let median_words = word_counts.get(n / 2).map_or(0.0, |&w| w as f32);
        let share = |count: usize| if n == 0 { 0.0 } else { count as f32 / n as f32 };
        let short_share = share(shapes.iter().filter(|s| s.short()).count());
        let hit_share = share(shapes.iter().filter(|s| s.rule_hit).count());
        let prose_chars: u32 = shapes.iter().filter(|s| s.prose()).map(|s| s.chars).sum();

        // Runs of short lines and of list items, and distances to prose, in two sweeps.
        let short_run = runs(&shapes, Shape::short);
        let list_run = runs(&shapes, |s| s.list_marker);
        let doc_chars: u32 = shapes.iter().map(|s| s.chars).sum::<u32>().max(1);
        let mut same_start = vec![1u32; n];
        let mut i = 0;
        while i < n {
            let mut j = i + 1;
            while j < n && shapes[j].first_byte == shapes[i].first_byte && shapes[i].first_byte != b'a' {
                j += 1;
            }
            same_start[i..j].fill((j - i) as u32);
            i = j;
        }
        let mut since_prose = vec![FAR; n];
        let mut prose_before = vec![0u32; n];
        let mut last: Option<usize> = None;
        let mut before = 0;
        for i in 0..n {
            since_prose[i] = last.map_or(FAR, |l| ((i - l) as u32).min(FAR));
            prose_before[i] = before;
            if shapes[i].prose() {
                last = Some(i);
                before += shapes[i].chars;
            }
        }
        let mut to_prose = vec![FAR; n];
        let mut next: Option<usize> = None;
        for i in (0..n).rev() {
            to_prose[i] = next.map_or(FAR, |l| ((l - i) as u32).min(FAR));
            if shapes[i].prose() {
                next = Some(i);
            }
        }
        Measured {
            shapes,
            headline_first,
            short_run,
            list_run,
            same_start,
            since_prose,
            to_prose,
            prose_before,
            median_words,
            short_share,
            hit_share,
            prose_chars,
            doc_chars,
        }
    }

    /// Whether a model scores line `i`. It does not score prose (a line of at least 20 words that
    /// ends like a sentence: a model never removes one), nor a first line that reads like a
    /// headline (deboil keeps headlines); training leaves both out too.
    pub fn in_remit(&self, i: usize) -> bool {
        let headline = i == 0 && self.headline_first;
        !(self.shapes[i].prose() || headline)
    }

    /// Appends the feature row of line `i` (measured in full) to `out`.
    pub fn row(&self, i: usize, out: &mut Vec<f32>) {
        let shapes = &self.shapes;
        let n = shapes.len();
        let none = Shape::default();
        let s = &shapes[i];
        let p = if i > 0 { &shapes[i - 1] } else { &none };
        let q = shapes.get(i + 1).unwrap_or(&none);
        let p2 = if i > 1 { shapes[i - 2].words } else { 0 };
        let q2 = shapes.get(i + 2).map_or(0, |s| s.words);
        let (lo, hi) = (i.saturating_sub(WINDOW), (i + WINDOW + 1).min(n));
        let window = &shapes[lo..hi];
        let wn = window.len() as f32;
        let b = |v: bool| if v { 1.0 } else { 0.0 };
        out.extend_from_slice(&[
            s.words as f32,
            s.chars as f32,
            b(s.sentence_end),
            b(s.colon_end),
            s.share(s.capitalised),
            s.share(s.lowercase),
            s.share(s.stop),
            s.per_char(s.digits),
            s.per_char(s.punct),
            s.share(s.commas),
            b(s.list_marker),
            s.separators as f32,
            b(s.url),
            if s.words == 0 { 0.0 } else { s.letters as f32 / s.words as f32 },
            b(s.rule_hit),
            b(s.repeats),
            b(s.starts_lowercase),
            s.brackets as f32,
        ]);
        out.extend_from_slice(&p.neighbour_features());
        out.extend_from_slice(&q.neighbour_features());
        let prose_chars = self.prose_chars;
        out.extend_from_slice(&[
            p2 as f32,
            q2 as f32,
            window.iter().map(|w| w.words as f32).sum::<f32>() / wn,
            window.iter().filter(|w| w.sentence_end).count() as f32 / wn,
            window.iter().filter(|w| w.rule_hit).count() as f32,
            self.short_run[i] as f32,
            self.list_run[i] as f32,
            if n > 1 { i as f32 / (n - 1) as f32 } else { 0.0 },
            if prose_chars == 0 { 0.0 } else { self.prose_before[i] as f32 / prose_chars as f32 },
            self.since_prose[i] as f32,
            self.to_prose[i] as f32,
            self.median_words,
            self.short_share,
            self.hit_share,
            b(s.starts_digit),
            prose_chars as f32 / self.doc_chars as f32,
            self.same_start[i] as f32,
        ]);
    }
}

/// For each line, the length of the run of consecutive lines with `pred` it sits in (0 if
/// it does not have it).
fn runs(shapes: &[Shape], pred: impl Fn(&Shape) -> bool) -> Vec<u32> {
    let mut out = vec![0u32; shapes.len()];
    let mut i = 0;
    while i < shapes.len() {
        if !pred(&shapes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < shapes.len() && pred(&shapes[i]) {
            i += 1;
        }
        out[start..i].fill((i - start) as u32);
    }
    out
}

/// Marks lines whose text appears more than once in the document.
fn mark_repeats(texts: &[&str], shapes: &mut [Shape]) {
    use std::collections::hash_map::Entry;
    use std::hash::BuildHasher;
    let state = foldhash::fast::FixedState::default();
    let mut first: std::collections::HashMap<u64, usize, _> =
        std::collections::HashMap::with_capacity_and_hasher(texts.len(), state.clone());
    for (i, t) in texts.iter().enumerate() {
        match first.entry(state.hash_one(t)) {
            Entry::Occupied(e) => {
                let j = *e.get();
                if texts[j] == *t {
                    shapes[j].repeats = true;
                    shapes[i].repeats = true;
                }
            }
            Entry::Vacant(e) => {
                e.insert(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(texts: &[&str], i: usize) -> Vec<f32> {
        let stop = StopWords::new(&["the", "of", "and", "der"]);
        let mut out = Vec::new();
        document_features(texts, &vec![false; texts.len()], &stop, &mut out);
        out[i * N_FEATURES..(i + 1) * N_FEATURES].to_vec()
    }

    fn get(r: &[f32], name: &str) -> f32 {
        r[NAMES.iter().position(|n| *n == name).unwrap()]
    }

    #[test]
    fn a_line_shape_is_measured() {
        let r = row(&["The mayor of Lund said, at noon, that the bridge opens in 2027."], 0);
        assert_eq!(get(&r, "words"), 13.0);
        assert_eq!(get(&r, "sentence_end"), 1.0);
        assert_eq!(get(&r, "commas_per_word"), 2.0 / 13.0);
        assert_eq!(get(&r, "stopword_share"), 3.0 / 13.0);
        assert_eq!(get(&r, "capitalised_share"), 2.0 / 13.0);
        assert_eq!(get(&r, "list_marker"), 0.0);
    }

    #[test]
    fn fixed_indices_name_their_features() {
        assert_eq!(NAMES[WORDS], "words");
        assert_eq!(NAMES[SENTENCE_END], "sentence_end");
    }

    #[test]
    fn list_markers_of_every_extractor_are_one_feature() {
        for marker in ["- ", "* ", "+ ", "• "] {
            let line = format!("{marker}Weather");
            let r = row(&[&line], 0);
            assert_eq!(get(&r, "list_marker"), 1.0, "{marker}");
            assert_eq!(get(&r, "words"), 1.0, "{marker}");
            assert_eq!(get(&r, "punct_share"), 0.0, "{marker}");
        }
    }

    #[test]
    fn neighbours_runs_and_distances_to_prose() {
        let prose = "The council met on Tuesday evening and agreed, after a long debate about the cost of the work, to rebuild the old bridge next year.";
        let texts = [prose, "Home", "News", "Sport", "Weather"];
        let r = row(&texts, 2);
        assert_eq!(get(&r, "short_run"), 4.0);
        assert_eq!(get(&r, "lines_since_prose"), 2.0);
        assert_eq!(get(&r, "lines_to_prose"), FAR as f32);
        assert_eq!(get(&r, "prev_words"), 1.0);
        assert_eq!(get(&r, "prose_before_share"), 1.0);
        assert_eq!(get(&row(&texts, 0), "prose_before_share"), 0.0);
    }

    #[test]
    fn neighbours_see_the_capitals_and_function_words_of_a_line_s_opening_words() {
        // Twelve words, three of them function words and none capitalised, then capitals.
        let long =
            "and the rain fell on a grey town of low roofs all day Over Ten More Capitalised Words Here.";
        let r = row(&[long, "Weather"], 1);
        assert_eq!(get(&r, "prev_capitalised_share"), 0.0);
        assert_eq!(get(&r, "prev_stopword_share"), 3.0 / 12.0);
        let r = row(&["Weather", "The Old Town"], 0);
        assert_eq!(get(&r, "next_capitalised_share"), 1.0);
        assert_eq!(get(&r, "next_stopword_share"), 1.0 / 3.0);
    }

    #[test]
    fn prose_and_a_first_line_headline_are_outside_the_remit() {
        let prose = "The council met on Tuesday evening and agreed, after a long debate about the cost of the work, to rebuild the old bridge next year.";
        let stop = StopWords::new(&["the"]);
        let remit = |texts: &[&str]| {
            let doc = Measured::for_scoring(texts, &vec![false; texts.len()], &stop).unwrap();
            (0..texts.len()).map(|i| doc.in_remit(i)).collect::<Vec<_>>()
        };
        assert_eq!(remit(&[prose, prose, prose, "Home"]), [false, false, false, true]);
        assert_eq!(remit(&["Council backs the bridge", prose, "Home"]), [false, false, true]);
        // A sentence too short to be prose is scored, and so is a long line with no ending.
        let unended = prose.trim_end_matches('.');
        assert_eq!(remit(&["Bridge.", prose, unended]), [true, false, true]);
    }

    // Scoring measures in full only the lines it scores (their neighbours in outline and
    // opening words): their rows are the rows of a document measured in full.
    #[test]
    fn rows_of_scored_lines_are_those_of_the_fully_measured_document() {
        let prose = "The council met on Tuesday evening and agreed, after a long debate about the cost of the work, to rebuild the old bridge next year.";
        let texts = [
            "Bridge plan approved",
            prose,
            prose,
            prose,
            "- Home · News",
            "Photo: J. Doe (2024)",
            prose,
            prose,
            "The mayor said: see www.example.org",
            prose,
            prose,
            prose,
        ];
        let hits: Vec<bool> = (0..texts.len()).map(|i| i % 5 == 4).collect();
        let stop = StopWords::new(&["the", "of", "to", "and"]);
        let full = Measured::all(&texts, &hits, &stop);
        let lazy = Measured::for_scoring(&texts, &hits, &stop).unwrap();
        for i in 0..texts.len() {
            assert_eq!(full.in_remit(i), lazy.in_remit(i), "line {i}");
            if lazy.in_remit(i) {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                full.row(i, &mut a);
                lazy.row(i, &mut b);
                assert_eq!(a, b, "line {i}");
            }
        }
        assert!((0..texts.len()).any(|i| !lazy.in_remit(i)));
    }

    #[test]
    fn byte_counts_in_lanes_match_a_plain_histogram() {
        let stop = StopWords::new(&["the"]);
        let long = "ab,|(1:é ".repeat(9000);
        for text in ["Tom's (2024) list: a|b, c/d ~ e.", "Ünïcödé » words · here • 42", long.as_str()]
        {
            let s = shape(text, &stop);
            let mut h = [0u32; N_CLASSES];
            for &b in text.as_bytes() {
                h[CLASS[b as usize] as usize] += 1;
            }
            assert_eq!(s.digits, h[DIGIT as usize]);
            assert_eq!(s.letters, h[UPPER as usize] + h[LOWER as usize] + h[LEAD2 as usize]);
            assert_eq!(s.chars as usize, text.chars().count());
            assert_eq!(s.commas, h[COMMA as usize]);
            assert_eq!(s.brackets, h[BRACKET as usize]);
            let punct = [COMMA, SEPARATOR, BRACKET, COLON, PUNCT].iter().map(|&c| h[c as usize]).sum::<u32>();
            assert_eq!(s.punct, punct);
            assert!(s.separators >= h[SEPARATOR as usize]);
        }
    }

    #[test]
    fn repeated_lines_are_marked() {
        let texts = ["Share this", "Body text here.", "Share this"];
        assert_eq!(get(&row(&texts, 0), "repeats"), 1.0);
        assert_eq!(get(&row(&texts, 1), "repeats"), 0.0);
    }

    #[test]
    fn stop_words_fold_ascii_case_and_skip_long_words() {
        let stop = StopWords::new(&["The", "nevertheless"]);
        assert!(stop.contains(b"THE"));
        assert!(!stop.contains(b"nevertheless"));
        assert_eq!(stop.words(), ["the"]);
    }
}
