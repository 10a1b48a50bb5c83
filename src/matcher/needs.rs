//! Bytes a line must contain before a pattern can match it. Most patterns need a byte that
//! most lines lack (a `/`, a `|`, a digit, a dash): testing a 64-bit summary of the line's
//! bytes, built once per line, spares a regex call on the lines that cannot match.

use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind};

/// Clauses kept per pattern: each costs four word operations per test.
const MAX_CLAUSES: usize = 3;

/// A clause at least this likely to be met by a line of news text is not worth testing.
const USELESS_ODDS: f64 = 0.5;

/// A set of bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ByteSet([u64; 4]);

impl ByteSet {
    /// Adds one byte.
    pub fn insert(&mut self, b: u8) {
        self.0[b as usize / 64] |= 1 << (b % 64);
    }

    /// Whether `b` is in the set.
    pub fn contains(&self, b: u8) -> bool {
        self.0[b as usize / 64] & (1 << (b % 64)) != 0
    }

    fn union(mut self, other: &ByteSet) -> ByteSet {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
        self
    }

    /// A rough chance that a line of news text holds one of these bytes.
    fn odds(&self) -> f64 {
        1.0 - self.bytes().map(|b| 1.0 - byte_odds(b)).product::<f64>()
    }

    /// The bytes in the set, in order.
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros();
                    bits &= bits - 1;
                    (w * 64) as u8 + b as u8
                })
            })
        })
    }

    /// Adds the bytes a character of `class` can start with (its UTF-8 lead bytes).
    pub fn add_leads(&mut self, class: &ClassUnicode) {
        for r in class.ranges() {
            let (s, e) = (r.start() as u32, r.end() as u32);
            for b in s.min(0x80)..=e.min(0x7f) {
                self.insert(b as u8);
            }
            if e >= 0x80 {
                let lead =
                    |c: u32| char::from_u32(c).map_or(0xf4, |ch| ch.encode_utf8(&mut [0; 4]).as_bytes()[0]);
                for b in lead(s.max(0x80))..=lead(e) {
                    self.insert(b);
                }
            }
        }
    }
}

/// A rough chance that a line of news text (some 80 bytes) holds byte `b`: only the order
/// matters, to keep the rarest clauses.
fn byte_odds(b: u8) -> f64 {
    match b {
        b' ' | b'a'..=b'i' | b'k'..=b'p' | b'r'..=b'w' | b'y' => 1.0,
        b'.' | b',' => 0.8,
        b'A'..=b'Z' => 0.5,
        b'j' | b'q' | b'x' | b'z' => 0.3,
        0xe2 | 0x80..=0xbf => 0.3,
        b'0'..=b'9' => 0.05,
        b'-' => 0.2,
        b'\'' | b'"' => 0.15,
        b':' => 0.1,
        b'(' | b')' | 0xc2..=0xdf => 0.08,
        b'?' | b'!' | b';' => 0.05,
        _ => 0.02,
    }
}

/// What a line must contain for a pattern to match: a byte of each clause.
#[derive(Debug, Clone, Default)]
pub(crate) struct Needs(Vec<ByteSet>);

impl Needs {
    /// The most selective clauses every match of `hir` satisfies (none when nothing useful).
    pub fn of(hir: &Hir) -> Needs {
        let mut clauses = Vec::new();
        collect(hir, &mut clauses);
        let mut scored: Vec<(f64, ByteSet)> =
            clauses.into_iter().map(|c| (c.odds(), c)).filter(|(odds, _)| *odds < USELESS_ODDS).collect();
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        scored.dedup_by(|a, b| a.1 == b.1);
        Needs(scored.into_iter().take(MAX_CLAUSES).map(|(_, c)| c).collect())
    }
}

/// Bytes mapped to the bits of a 64-bit summary, so that a line's bytes fold into one word
/// and each clause into one mask. Bytes that no clause names map to nothing; when clauses
/// name more than 64 bytes, some share a bit (a line then passes a clause it may not meet,
/// never the reverse).
#[derive(Debug, Clone)]
pub(crate) struct ByteBits {
    bit: [u64; 256],
}

impl ByteBits {
    /// The map for every byte the clauses of `needs` name.
    pub fn new<'a>(needs: impl IntoIterator<Item = &'a Needs>) -> ByteBits {
        let mut named = ByteSet::default();
        for clause in needs.into_iter().flat_map(|n| &n.0) {
            named = named.union(clause);
        }
        let mut bit = [0; 256];
        for (k, b) in named.bytes().enumerate() {
            bit[b as usize] = 1 << (k % 64);
        }
        ByteBits { bit }
    }

    /// The summary of a line's bytes.
    pub fn summary(&self, line: &[u8]) -> u64 {
        line.iter().fold(0, |m, &b| m | self.bit[b as usize])
    }

    /// One mask per clause of `needs`: a line can match when its summary meets each.
    pub fn masks(&self, needs: &Needs) -> Vec<u64> {
        needs.0.iter().map(|c| c.bytes().fold(0, |m, b| m | self.bit[b as usize])).collect()
    }
}

/// Whether a line with this byte summary meets every clause mask.
pub(crate) fn meets(summary: u64, masks: &[u64]) -> bool {
    masks.iter().all(|&m| summary & m != 0)
}

/// Adds to `out` clauses that every match of `hir` satisfies.
fn collect(hir: &Hir, out: &mut Vec<ByteSet>) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                let mut c = ByteSet::default();
                c.insert(b);
                out.push(c);
            }
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut c = ByteSet::default();
            c.add_leads(class);
            out.push(c);
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut c = ByteSet::default();
            for r in class.ranges() {
                for b in r.start()..=r.end() {
                    c.insert(b);
                }
            }
            out.push(c);
        }
        HirKind::Repetition(rep) if rep.min > 0 => collect(&rep.sub, out),
        HirKind::Repetition(_) => {}
        HirKind::Capture(cap) => collect(&cap.sub, out),
        HirKind::Concat(subs) => subs.iter().for_each(|s| collect(s, out)),
        HirKind::Alternation(subs) => {
            // A match matches one branch, so holds a byte of that branch's rarest clause: the
            // union of those is one clause of the whole.
            let mut union = ByteSet::default();
            for sub in subs {
                let mut inner = Vec::new();
                collect(sub, &mut inner);
                let best = inner.iter().map(|c| (c.odds(), c)).min_by(|a, b| a.0.total_cmp(&b.0));
                let Some((_, best)) = best else { return };
                union = union.union(best);
            }
            out.push(union);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `line` can match `pattern` by its needs.
    fn passes(pattern: &str, line: &str) -> bool {
        let needs = Needs::of(&regex_syntax::parse(pattern).unwrap());
        let bits = ByteBits::new([&needs]);
        meets(bits.summary(line.as_bytes()), &bits.masks(&needs))
    }

    fn needs(pattern: &str) -> Needs {
        Needs::of(&regex_syntax::parse(pattern).unwrap())
    }

    #[test]
    fn rare_bytes_gate_a_pattern() {
        let url = r"^(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,12}/[^\s.]\S*$";
        assert!(passes(url, "twitter.com/lenafarrow"));
        assert!(!passes(url, "The council met on Tuesday."));
        let row = r"^\w+(?:\s*[|•]\s*\w+)+$";
        assert!(passes(row, "News • Sport") && passes(row, "News | Sport"));
        assert!(!passes(row, "News and Sport"));
    }

    #[test]
    fn common_bytes_and_optional_parts_gate_nothing() {
        assert!(needs(r"^\w+ said$").0.is_empty());
        assert!(needs(r"^(?:/x)?\w+$").0.is_empty());
        assert!(needs(r"^(?:a|/)b").0.is_empty(), "one branch needs nothing rare");
    }

    #[test]
    fn alternatives_gate_by_the_union_of_their_rarest_bytes() {
        let p = r"^(?:[0-9]+ comments|@\w+)$";
        assert!(passes(p, "12 comments") && passes(p, "@lena"));
        assert!(!passes(p, "comments"));
    }

    #[test]
    fn case_insensitive_letters_and_non_ascii_classes() {
        assert!(passes("(?i)©|®", "© 2024") && passes("(?i)©|®", "®"));
        assert!(!passes("(?i)©|®", "(c) 2024"));
    }

    #[test]
    fn bytes_beyond_sixty_four_share_bits_and_still_pass() {
        let many: Vec<Needs> =
            (0x21..0x7f).map(|b: u8| needs(&regex_syntax::escape(&(b as char).to_string()))).collect();
        let bits = ByteBits::new(&many);
        for (n, b) in many.iter().zip(0x21..0x7fu8) {
            assert!(meets(bits.summary(&[b]), &bits.masks(n)), "{}", b as char);
        }
    }

    #[test]
    fn byte_sets_list_their_bytes() {
        let mut s = ByteSet::default();
        for b in "a/©".bytes() {
            s.insert(b);
        }
        assert!(s.contains(b'a') && s.contains(b'/') && !s.contains(b'b'));
        assert_eq!(s.bytes().collect::<Vec<_>>(), vec![b'/', b'a', 0xa9, 0xc2]);
    }
}
