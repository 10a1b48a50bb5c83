//! A document split into lines, with the structural facts rules' conditions ask about.

use std::cell::{Cell, OnceCell};

use crate::rules::{BODY_WORDS, Conditions};

/// One line of the input. Offsets are bytes into the document.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// First byte of the line.
    pub start: usize,
    /// One past the last byte, terminator (`\n` or `\r\n`) included.
    pub end: usize,
    /// The line with surrounding whitespace trimmed; what patterns see.
    pub text: &'a str,
    /// Byte offset of `text` in the document.
    pub text_start: usize,
}

impl Line<'_> {
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// A document's lines and the per-document facts conditions use, computed on demand.
pub(crate) struct Lines<'a> {
    pub input: &'a str,
    pub lines: Vec<Line<'a>>,
    /// Ordinal among non-blank lines, for each line (blank lines get the next one's).
    rank: Vec<u32>,
    nonblank: usize,
    last_body: OnceCell<Option<usize>>,
    first_body: OnceCell<Option<usize>>,
    /// Per line: how far its words are counted (counting stops past the largest number a
    /// condition asked about, and goes on from there when asked for more).
    words: Vec<Cell<WordScan>>,
}

impl<'a> Lines<'a> {
    pub fn new(input: &'a str) -> Lines<'a> {
        let bytes = input.as_bytes();
        // Sized once: counting the newlines is cheaper than growing the vectors line by line.
        let count = memchr::memchr_iter(b'\n', bytes).count() + 1;
        let mut lines = Vec::with_capacity(count);
        let mut rank = Vec::with_capacity(count);
        let mut nonblank = 0u32;
        let mut start = 0;
        // One search over the document for every line end (the last line may have none).
        let unterminated = !bytes.is_empty() && !bytes.ends_with(b"\n");
        let ends = memchr::memchr_iter(b'\n', bytes).map(|i| i + 1);
        for end in ends.chain(unterminated.then_some(bytes.len())) {
            let raw = &input[start..end];
            // A byte order mark opening the text is not part of its first line's words.
            let unmarked = if start == 0 { raw.strip_prefix('\u{feff}').unwrap_or(raw) } else { raw };
            let trimmed_start = unmarked.trim_start();
            let text = trimmed_start.trim_end();
            let text_start = start + (raw.len() - trimmed_start.len());
            rank.push(nonblank);
            if !text.is_empty() {
                nonblank += 1;
            }
            lines.push(Line { start, end, text, text_start });
            start = end;
        }
        let words = vec![Cell::new(WordScan::START); lines.len()];
        Lines {
            input,
            lines,
            rank,
            nonblank: nonblank as usize,
            last_body: OnceCell::new(),
            first_body: OnceCell::new(),
            words,
        }
    }

    /// The nearest non-blank line before line `i`.
    pub fn prev_nonblank(&self, i: usize) -> Option<usize> {
        (0..i).rev().find(|&j| !self.lines[j].is_blank())
    }

    /// The nearest non-blank line after line `i`.
    pub fn next_nonblank(&self, i: usize) -> Option<usize> {
        (i + 1..self.lines.len()).find(|&j| !self.lines[j].is_blank())
    }

    /// The last body paragraph: a line of at least [`BODY_WORDS`] words ending like a sentence.
    fn last_body(&self) -> Option<usize> {
        *self.last_body.get_or_init(|| (0..self.lines.len()).rev().find(|&i| self.is_body(i)))
    }

    /// The first body paragraph (see [`Lines::last_body`]).
    pub fn first_body(&self) -> Option<usize> {
        *self.first_body.get_or_init(|| (0..self.lines.len()).find(|&i| self.is_body(i)))
    }

    /// Whether line `i` is a body paragraph: at least [`BODY_WORDS`] words, ending like a
    /// sentence.
    fn is_body(&self, i: usize) -> bool {
        ends_sentence(self.lines[i].text) && self.words_up_to(i, BODY_WORDS) >= BODY_WORDS
    }

    /// The number of words on line `i`, or `cap` if it has more; each line is scanned at most
    /// once, and only as far as the largest cap asked for.
    pub fn words_up_to(&self, i: usize, cap: usize) -> usize {
        let cell = &self.words[i];
        let mut scan = cell.get();
        let n = scan.up_to(self.lines[i].text, cap);
        cell.set(scan);
        n
    }

    /// Whether line `i` meets every condition in `c`.
    pub fn meets(&self, i: usize, c: &Conditions) -> bool {
        self.meets_here(i, c) && self.meets_neighbours(i, c)
    }

    /// Whether line `i` has as many words as `min_words` and `max_words` allow (counting only
    /// as far as they ask).
    pub fn meets_word_limits(&self, i: usize, c: &Conditions) -> bool {
        if c.min_words.is_none() && c.max_words.is_none() {
            return true;
        }
        let cap = c.min_words.unwrap_or(0).max(c.max_words.map_or(0, |m| m + 1));
        let n = self.words_up_to(i, cap);
        !(c.min_words.is_some_and(|m| n < m) || c.max_words.is_some_and(|m| n > m))
    }

    /// Whether line `i` meets the conditions on itself and its position (cheap: no regex). The
    /// checks that take constant time come before those that read the line.
    pub fn meets_here(&self, i: usize, c: &Conditions) -> bool {
        let text = self.lines[i].text;
        let rank = self.rank[i] as usize;
        if c.in_head.is_some_and(|n| rank >= n) {
            return false;
        }
        if c.in_tail.is_some_and(|n| self.nonblank - rank > n) {
            return false;
        }
        if c.sentence.is_some_and(|want| ends_sentence(text) != want) {
            return false;
        }
        // A character is one to four bytes: the byte length bounds the count both ways.
        if c.max_chars.is_some_and(|m| text.len() > m && (text.len() > 4 * m || text.chars().count() > m)) {
            return false;
        }
        if !self.meets_word_limits(i, c) {
            return false;
        }
        !(c.after_body && self.last_body().is_some_and(|b| b >= i))
    }

    /// Each condition in `c` that line `i` fails, as written in a rule file with the reason.
    pub fn failures(&self, i: usize, c: &Conditions) -> Vec<String> {
        let mut out = Vec::new();
        let text = self.lines[i].text;
        let n = self.words_up_to(i, usize::MAX);
        if let Some(m) = c.min_words.filter(|&m| n < m) {
            out.push(format!("min_words = {m} (the line has {n} words)"));
        }
        if let Some(m) = c.max_words.filter(|&m| n > m) {
            out.push(format!("max_words = {m} (the line has {n} words)"));
        }
        let chars = text.chars().count();
        if let Some(m) = c.max_chars.filter(|&m| chars > m) {
            out.push(format!("max_chars = {m} (the line has {chars} characters)"));
        }
        if let Some(want) = c.sentence.filter(|&want| ends_sentence(text) != want) {
            let how = if want { "does not end" } else { "ends" };
            out.push(format!("sentence = {want} (the line {how} like a sentence)"));
        }
        let rank = self.rank[i] as usize;
        if let Some(h) = c.in_head.filter(|&h| rank >= h) {
            out.push(format!("in_head = {h} (it is non-blank line {} from the top)", rank + 1));
        }
        if let Some(t) = c.in_tail.filter(|&t| self.nonblank - rank > t) {
            out.push(format!("in_tail = {t} (it is non-blank line {} from the end)", self.nonblank - rank));
        }
        if c.after_body
            && let Some(b) = self.last_body().filter(|&b| b >= i)
        {
            out.push(format!("after_body = true (line {} is a body paragraph)", b + 1));
        }
        for (name, re, j) in
            [("prev", &c.prev, self.prev_nonblank(i)), ("next", &c.next, self.next_nonblank(i))]
        {
            if let Some(re) = re
                && !j.is_some_and(|j| re.is_match(self.lines[j].text))
            {
                out.push(format!("{name} = '{}' (the {name} non-blank line does not match)", re.as_str()));
            }
        }
        out
    }

    /// Whether line `i` meets the conditions on its neighbours (`prev`, `next`).
    pub fn meets_neighbours(&self, i: usize, c: &Conditions) -> bool {
        let neighbour =
            |j: Option<usize>, re: &regex::Regex| j.is_some_and(|j| re.is_match(self.lines[j].text));
        if c.prev.as_ref().is_some_and(|re| !neighbour(self.prev_nonblank(i), re)) {
            return false;
        }
        if c.next.as_ref().is_some_and(|re| !neighbour(self.next_nonblank(i), re)) {
            return false;
        }
        true
    }
}

/// How far counting a line's words got: `count` words start before byte `pos`.
#[derive(Debug, Clone, Copy)]
struct WordScan {
    count: u32,
    pos: u32,
    /// Whether the byte before `pos` is whitespace (the start of the text counts as such).
    after_space: bool,
    /// Whether `pos` is the end of the text.
    done: bool,
}

impl WordScan {
    const START: WordScan = WordScan { count: 0, pos: 0, after_space: true, done: false };

    /// The number of words in `text`, or `cap` if it has more, counting on only if needed.
    fn up_to(&mut self, text: &str, cap: usize) -> usize {
        if !self.done && self.count as usize <= cap {
            self.advance(text, cap);
        }
        (self.count as usize).min(cap)
    }

    /// Counts on in `text` (as `split_whitespace` counts words) until more than `cap` words
    /// are seen or the text ends. Sixteen bytes at a time while they are ASCII (news text
    /// mostly is), a character at a time elsewhere.
    fn advance(&mut self, text: &str, cap: usize) {
        let bytes = text.as_bytes();
        let cap = cap.min(u32::MAX as usize - 16) as u32;
        let (mut count, mut after_space, mut i) = (self.count, self.after_space, self.pos as usize);
        while i < bytes.len() && count <= cap {
            if let Some(chunk) = bytes.get(i..i + 16) {
                let (space, ascii) = ascii_spaces(chunk.try_into().expect("sixteen bytes"));
                if ascii > 0 {
                    // A word starts at each non-space byte after a space.
                    let before = (space << 1) | u32::from(after_space);
                    count += (!space & before & ((1 << ascii) - 1)).count_ones();
                    after_space = (space >> (ascii - 1)) & 1 != 0;
                    i += ascii as usize;
                    continue;
                }
            }
            let n = space_len(bytes, i);
            if n > 0 {
                after_space = true;
                i += n;
                continue;
            }
            if after_space {
                count += 1;
                after_space = false;
            }
            // A whole character: `i` stays on character boundaries.
            i += utf8_len(bytes[i]);
        }
        *self = WordScan { count, pos: i as u32, after_space, done: i >= bytes.len() };
    }
}

/// Of sixteen bytes: which are ASCII whitespace (bit `k` for byte `k`: `' '` or `'\t'..='\r'`),
/// and how many come before the first non-ASCII byte (only those bits count).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn ascii_spaces(chunk: &[u8; 16]) -> (u32, u32) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of every x86_64 processor; the load reads the sixteen bytes of
    // `chunk`, unaligned.
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast());
        let ascii = (_mm_movemask_epi8(v) as u32 | 1 << 16).trailing_zeros();
        let blank = _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8));
        // '\t'..='\r' are 9..=13; an ASCII byte minus 9 is at least -9 as a signed byte.
        let d = _mm_sub_epi8(v, _mm_set1_epi8(9));
        let control =
            _mm_and_si128(_mm_cmpgt_epi8(d, _mm_set1_epi8(-1)), _mm_cmplt_epi8(d, _mm_set1_epi8(5)));
        (_mm_movemask_epi8(_mm_or_si128(blank, control)) as u32, ascii)
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn ascii_spaces(chunk: &[u8; 16]) -> (u32, u32) {
    ascii_spaces_portable(chunk)
}

/// [`ascii_spaces`] without SIMD instructions (tested against it).
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn ascii_spaces_portable(chunk: &[u8; 16]) -> (u32, u32) {
    let mut space = 0;
    let mut ascii = 16;
    for (k, &b) in chunk.iter().enumerate() {
        if b >= 0x80 {
            ascii = ascii.min(k as u32);
        }
        if b == b' ' || (0x09..=0x0d).contains(&b) {
            space |= 1 << k;
        }
    }
    (space, ascii)
}

/// The length of the UTF-8 character whose first byte is `lead`.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// The length of the whitespace character (Unicode `White_Space`, as `split_whitespace` uses)
/// starting at byte `i` of `bytes`, or 0.
fn space_len(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b' ' | 0x09..=0x0d => 1,
        b if b < 0x80 => 0,
        _ => unicode_space_len(&bytes[i..]),
    }
}

/// The length of the Unicode `White_Space` character starting `bytes` (non-ASCII), or 0.
fn unicode_space_len(bytes: &[u8]) -> usize {
    match bytes {
        [0xc2, 0x85 | 0xa0, ..] => 2,
        [0xe1, 0x9a, 0x80, ..] => 3,
        [0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf, ..] => 3,
        [0xe2, 0x81, 0x9f, ..] => 3,
        [0xe3, 0x80, 0x80, ..] => 3,
        _ => 0,
    }
}

/// Whether `text` ends like a sentence: `.`, `!`, `?` or `…`, possibly followed by closing
/// quotes or brackets.
pub(crate) fn ends_sentence(text: &str) -> bool {
    let core = text.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»', '*']);
    core.ends_with(['.', '!', '?', '…'])
}

/// Whether two lines hold the same words, whatever whitespace separates them.
pub(crate) fn same_words(a: &Line<'_>, b: &Line<'_>) -> bool {
    let (x, y) = (a.text.as_bytes(), b.text.as_bytes());
    // Line texts are trimmed: their first and last bytes are their first and last words'.
    x == y || (x.first() == y.first() && x.last() == y.last() && words(a.text).eq(words(b.text)))
}

/// The words of `text`, as `split_whitespace` splits them, found byte by byte.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &[u8]> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            match space_len(bytes, i) {
                0 => break,
                n => i += n,
            }
        }
        let start = i;
        while i < bytes.len() && space_len(bytes, i) == 0 {
            i += 1;
        }
        (i > start).then(|| &bytes[start..i])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_terminators_and_trim_text() {
        let l = Lines::new("  a b \r\n\nc");
        let got: Vec<_> = l.lines.iter().map(|x| (x.start, x.end, x.text)).collect();
        assert_eq!(got, vec![(0, 8, "a b"), (8, 9, ""), (9, 10, "c")]);
        assert_eq!(l.lines[0].text_start, 2);
        let spans = |t: &str| Lines::new(t).lines.iter().map(|x| (x.start, x.end)).collect::<Vec<_>>();
        assert_eq!(spans(""), vec![]);
        assert_eq!(spans("a\n"), vec![(0, 2)]);
        assert_eq!(spans("\n\n"), vec![(0, 1), (1, 2)]);
        assert_eq!(spans("a\nb"), vec![(0, 2), (2, 3)]);
    }

    /// The words of `t` up to `cap`, counted by a new scan.
    fn fresh_count(t: &str, cap: usize) -> usize {
        let mut scan = WordScan::START;
        scan.up_to(t, cap)
    }

    #[test]
    fn word_count_matches_split_whitespace() {
        for t in ["", "a", " a  b\tc ", "x\u{a0}y\u{2003}z\u{3000}w", "é è\u{85}ü", "a\u{0b}b\u{0c}c"] {
            let n = t.split_whitespace().count();
            assert_eq!(fresh_count(t, usize::MAX), n, "{t:?}");
            for cap in 0..=n + 1 {
                assert_eq!(fresh_count(t, cap), n.min(cap), "{t:?} up to {cap}");
            }
            // One scan asked for more and more goes on where it stopped.
            let mut scan = WordScan::START;
            for cap in 0..=n + 1 {
                assert_eq!(scan.up_to(t, cap), n.min(cap), "{t:?} on to {cap}");
            }
        }
    }

    #[test]
    fn word_count_matches_split_whitespace_on_mixed_text() {
        let pieces = [
            "a", "word", " ", "  ", "\t", "\n", "\u{0b}", "\r", "\u{a0}", "\u{2003}", "\u{3000}", "\u{1680}",
            "“", "é", "\u{202f}", "\u{205f}", "x\u{85}y", "–",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..20_000 {
            let mut t = String::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for k in 0..(seed >> 59) as usize * 2 {
                t.push_str(pieces[((seed >> (k % 50)) as usize + k * 7) % pieces.len()]);
            }
            let n = t.split_whitespace().count();
            assert_eq!(fresh_count(&t, usize::MAX), n, "{t:?}");
            assert!(words(&t).eq(t.split_whitespace().map(str::as_bytes)), "{t:?}");
            let mut scan = WordScan::START;
            assert_eq!(scan.up_to(&t, n / 3), n / 3, "{t:?}");
            assert_eq!(scan.up_to(&t, n / 2), n / 2, "{t:?}");
            assert_eq!(scan.up_to(&t, usize::MAX), n, "{t:?}");
        }
    }

    #[test]
    fn simd_and_portable_whitespace_masks_agree() {
        let bytes: Vec<u8> = (0..=255u8).chain(b" \t\n\x0b\x0c\r\x08\x0e\x1f!~".iter().copied()).collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..50_000 {
            let mut chunk = [0u8; 16];
            for b in &mut chunk {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                // Mostly ASCII, as text is.
                let k = (seed % bytes.len() as u64) as usize;
                *b = if seed >> 60 == 0 { bytes[k] } else { bytes[k] & 0x7f };
            }
            let (space, ascii) = ascii_spaces(&chunk);
            let (want_space, want_ascii) = ascii_spaces_portable(&chunk);
            assert_eq!(ascii, want_ascii, "{chunk:?}");
            let kept = if ascii == 16 { 0xffff } else { (1 << ascii) - 1 };
            assert_eq!(space & kept, want_space & kept, "{chunk:?}");
        }
    }

    #[test]
    fn sentence_endings() {
        assert!(ends_sentence("He said so."));
        assert!(ends_sentence("“Why?”"));
        assert!(ends_sentence("He said NATO will…"));
        assert!(!ends_sentence("More from GZERO Media"));
        assert!(!ends_sentence("Read more:"));
    }
}
