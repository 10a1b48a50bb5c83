//! Which literals gate a pattern: found in a line before its regex runs, they must be
//! selective (rare in prose) and few (a small automaton). Taken from a case-folded pattern's
//! prefixes and suffixes, the exact pieces of its top-level concatenation, and the literals its
//! structure requires.

use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Hir, HirKind};

/// Literals shorter than this are too common to gate a rule.
pub(super) const MIN_LITERAL: usize = 3;

/// Gating literals are cut to this many bytes: selective enough, and a small automaton.
pub(super) const KEEP_LITERAL: usize = 6;

/// A check's second literal set (see [`literal_gate`]) has at most this many literals.
const MAX_SECOND_SET: usize = 8;

/// A set of literals found through a pattern's structure (see [`required`]) has at most this
/// many.
const MAX_REQUIRED: usize = 32;

/// The literals every match of an anchored (case-folded) pattern starts with, if there are a
/// few of at least [`MIN_LITERAL`] bytes.
pub(super) fn start_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = extract(ExtractKind::Prefix, 64, hir);
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.len() < MIN_LITERAL) {
        return None;
    }
    let cut = |l: &[u8]| l[..l.len().min(KEEP_LITERAL)].to_ascii_lowercase();
    Some(minimal_prefixes(lits.iter().map(|l| cut(l.as_bytes())).collect()))
}

/// The distinct literals of `lits`, without those that start with another one (a line
/// starting with the longer starts with the shorter). Unlike [`minimal`], a literal that
/// holds another one elsewhere stays: `(foto:` and `foto:` are both needed at a line's start.
fn minimal_prefixes(mut lits: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    lits.sort();
    lits.dedup();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for lit in lits {
        // Sorted, so a prefix of `lit` that is kept is the last one kept, if any.
        if !out.last().is_some_and(|o| lit.starts_with(o)) {
            out.push(lit);
        }
    }
    out
}

/// The literal sequence of `hir` of the given kind, within the prefilter's limits.
fn extract(kind: ExtractKind, limit_total: usize, hir: &Hir) -> Seq {
    let mut ex = Extractor::new();
    ex.kind(kind).limit_class(8).limit_repeat(4).limit_literal_len(24).limit_total(limit_total);
    ex.extract(hir)
}

/// A finite, non-empty sequence's literals lowercased, cut to their first (for a prefix) or
/// last (for a suffix) [`KEEP_LITERAL`] bytes (a match holds the whole literal, so it holds
/// the cut) and made [`minimal`]; `None` when the sequence is infinite or has an empty literal.
fn cut_literals(seq: &Seq, is_prefix: bool) -> Option<Vec<Vec<u8>>> {
    let lits = seq.literals()?;
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    let cut = |l: &[u8]| {
        let n = l.len().min(KEEP_LITERAL);
        if is_prefix { l[..n].to_ascii_lowercase() } else { l[l.len() - n..].to_ascii_lowercase() }
    };
    Some(minimal(lits.iter().map(|l| cut(l.as_bytes())).collect()))
}

/// The distinct literals of `lits`, without those that contain another one (a line holding
/// the longer one holds the shorter).
fn minimal(mut lits: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    lits.sort_by_key(Vec::len);
    lits.dedup();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for lit in lits {
        if !out.iter().any(|o| memchr::memmem::find(&lit, o).is_some()) {
            out.push(lit);
        }
    }
    out.sort();
    out
}

/// What a check needs to find in a line before its regex is worth running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Gate {
    /// One of these literals (lowercase; matched ignoring ASCII case), at least
    /// [`MIN_LITERAL`] bytes long; or, when a second set is given, one of each set.
    Literals(Vec<Vec<u8>>, Option<Vec<Vec<u8>>>),
    /// One of these few short literals without ASCII letters, matched exactly.
    Bytes(Vec<Vec<u8>>),
    /// Nothing usable.
    None,
}

/// A literal set and the piece of the pattern's top-level concatenation it came from (`None`:
/// the whole pattern's prefix or suffix).
type PieceLiterals = (Option<usize>, Vec<Vec<u8>>);

/// The best gate for a (case-folded) pattern: literals every match must start or end with,
/// or that an exact piece of its top-level concatenation matches. When two such sets come
/// from different pieces, a line must hold one literal of each: a common word (" here") then
/// gates little on its own, but rarely comes with the other piece ("click").
pub(super) fn literal_gate(hir: &Hir) -> Gate {
    let extract = |kind: ExtractKind, hir: &Hir| extract(kind, 128, hir);
    let mut seqs = vec![
        (None, true, extract(ExtractKind::Prefix, hir)),
        (None, false, extract(ExtractKind::Suffix, hir)),
    ];
    let mut inner = hir;
    while let HirKind::Capture(cap) = inner.kind() {
        inner = &cap.sub;
    }
    if let HirKind::Concat(parts) = inner.kind() {
        // Every match of the whole contains a match of each part, and so one of the part's
        // prefix literals (exact or not); a part that can match empty yields "" and is skipped.
        seqs.extend(parts.iter().enumerate().map(|(k, p)| (Some(k), true, extract(ExtractKind::Prefix, p))));
    }
    let mut long: Vec<PieceLiterals> = Vec::new();
    let mut short: Option<Vec<Vec<u8>>> = None;
    for (piece, is_prefix, seq) in seqs {
        let Some(found) = cut_literals(&seq, is_prefix) else { continue };
        if shortest(&found) >= MIN_LITERAL {
            long.push((piece, found));
        } else if found.len() <= 4
            && found.iter().all(|l| !l.iter().any(u8::is_ascii_alphabetic))
            && short.as_ref().is_none_or(|b| found.len() < b.len())
        {
            short = Some(found);
        }
    }
    if let HirKind::Concat(parts) = inner.kind() {
        long.extend(parts.iter().enumerate().filter_map(|(k, p)| Some((Some(k), required(p)?))));
    }
    // The index of the best set among those `keep` allows.
    let best = |keep: &dyn Fn(&PieceLiterals) -> bool| {
        (0..long.len()).filter(|&i| keep(&long[i])).fold(None, |b: Option<usize>, i| match b {
            Some(b) if !better(&long[i].1, &long[b].1) => Some(b),
            _ => Some(i),
        })
    };
    let Some(first) = best(&|_| true) else {
        return short.map_or(Gate::None, Gate::Bytes);
    };
    // A second set, from another piece (so not the same words cut another way), with a few
    // literals: one more automaton state or so each.
    let second = long[first]
        .0
        .and_then(|piece| best(&|(p, set)| p.is_some_and(|p| p != piece) && set.len() <= MAX_SECOND_SET));
    Gate::Literals(long[first].1.clone(), second.map(|i| long[i].1.clone()))
}

/// The length of the shortest literal of a set.
fn shortest(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// How rarely a literal occurs in prose, roughly: its length, with punctuation counting three
/// times (`[see` is rarer than `more`).
fn strength(lit: &[u8]) -> usize {
    lit.len() + 2 * lit.iter().filter(|b| b.is_ascii_punctuation()).count()
}

/// Whether literal set `a` makes a better gate than `b`: the set whose weakest literal is the
/// strongest wins (a line holding it is rarer), then the one with fewer literals (fewer, shorter
/// literals make a smaller automaton, and a smaller automaton a faster pass over every line).
fn better(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    let weakest = |set: &[Vec<u8>]| set.iter().map(|l| strength(l)).min().unwrap_or(0);
    (weakest(a), b.len()) > (weakest(b), a.len())
}

/// Literals (cut and lowercase, as gates hold them) one of which every match of a
/// (case-folded) pattern contains, found through its structure: a concatenation needs what
/// its best part needs (or one of the literals that part starts with), an alternation one of
/// what each branch needs, a repetition what its body needs if it runs at least once. `None`
/// when some way of matching needs no literal of at least [`MIN_LITERAL`] bytes, or when
/// there are more than [`MAX_REQUIRED`].
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Literal(lit) if lit.0.len() >= MIN_LITERAL => {
            Some(vec![lit.0[..lit.0.len().min(KEEP_LITERAL)].to_ascii_lowercase()])
        }
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for sub in subs {
                all.extend(required(sub)?);
            }
            let all = minimal(all);
            (all.len() <= MAX_REQUIRED).then_some(all)
        }
        HirKind::Concat(parts) => parts
            .iter()
            .flat_map(|p| [required(p), cut_literals(&extract(ExtractKind::Prefix, 128, p), true)])
            .flatten()
            .filter(|set| shortest(set) >= MIN_LITERAL)
            .reduce(|a, b| if better(&b, &a) { b } else { a }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::analyse::fold_ascii_case;
    use super::*;

    fn parse(p: &str) -> Hir {
        regex_syntax::parse(p).unwrap()
    }

    #[test]
    fn start_literals_only_for_a_few_long_enough_heads() {
        let lits = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(start_literals(&parse(r"^(?:Read more|See also):")), Some(lits(&["read m", "see al"])));
        assert_eq!(start_literals(&parse(r"^By \w+")), Some(lits(&["by "])));
        assert_eq!(start_literals(&parse(r"^B\w+")), None);
        assert_eq!(start_literals(&parse(r"^\w+ said")), None);
        // An optional opening bracket: the literal with it does not start with the one
        // without, so both stay (one holding the other elsewhere is not enough).
        assert_eq!(start_literals(&parse(r"^\(?Foto:\s?dpa")), Some(lits(&["(foto:", "foto:"])));
        assert_eq!(start_literals(&parse(r"^(?:Foto|Fotos):")), Some(lits(&["foto:", "fotos:"])));
    }

    #[test]
    fn required_literals_follow_the_pattern_structure() {
        let lits = |v: &[&str]| Some(v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>());
        // Optional words need nothing; the alternation needs one of its branches' words.
        assert_eq!(
            required(&parse(r"(?:(?:senior|chief)\s+)*(?:writer|reporter)s?")),
            lits(&["report", "writer"])
        );
        assert_eq!(
            required(&parse(r"(?:comments?|\d+ comments?|leave a reply)")),
            lits(&[" comme", "commen", "leave "])
        );
        assert_eq!(required(&parse(r"(?:comments?|\d+|leave a reply)")), None);
        assert_eq!(required(&parse(r"(?:news)?\w+")), None);
        // A gate found this way for an anchored pattern without a usable prefix.
        let gate = literal_gate(&parse(r"^\w+,\s*(?:(?:senior|chief)\s+)*(?:writer|reporter)s?$"));
        assert_eq!(gate, Gate::Literals(lits(&["report", "writer"]).unwrap(), None));
    }

    #[test]
    fn literal_gates_need_selective_literals() {
        let lits = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(literal_gate(&parse(r"\(AP Photo/[^)]+\)$")), Gate::Literals(lits(&["(ap ph"]), None));
        assert_eq!(literal_gate(&parse(r"\w+ - YouTube$")), Gate::Literals(lits(&[" - you"]), None));
        assert_eq!(literal_gate(&parse(r"\w+\)$")), Gate::Bytes(lits(&[")"])));
        assert_eq!(literal_gate(&parse(r"\w+x$")), Gate::None);
        assert_eq!(
            literal_gate(&parse(r"\d+ (?:issues|months) for \d")),
            Gate::Literals(lits(&["issues", "months"]), Some(lits(&[" for "])))
        );
        // A common word gates with another piece of the pattern; the same words cut from the
        // other end are not a second piece.
        assert_eq!(
            literal_gate(&parse(r"(?:^|\s)(?:click|tap) (?:here|this link)(?: to [^.]{1,60})?[.!]?$")),
            Gate::Literals(lits(&["here", "this l"]), Some(lits(&["click", "tap"])))
        );
        let ci = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse("(?:reporting|editing) by")
            .unwrap();
        assert_eq!(literal_gate(&fold_ascii_case(&ci)), Gate::Literals(lits(&["ing by"]), None));
    }
}
