//! Languages: the codes rules are scoped to (`langs = ["de"]`) and the detection of a
//! document's language. A unit of its own: it knows nothing of rules or the engine.

mod detect;

pub use detect::{DETECT_BYTES, detect};

/// A language, as its ISO 639-1 code (`en`, `de`, `pt`), or an ISO 639-3 code for a language
/// without one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang([u8; 3]);

/// ISO 639-3 (and 639-2/B) codes of languages with a two-letter code, as datasets write them.
const THREE_TO_TWO: &[(&str, &str)] = &[
    ("eng", "en"),
    ("deu", "de"),
    ("ger", "de"),
    ("fra", "fr"),
    ("fre", "fr"),
    ("spa", "es"),
    ("ita", "it"),
    ("por", "pt"),
    ("nld", "nl"),
    ("dut", "nl"),
    ("pol", "pl"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nor", "no"),
    ("nob", "nb"),
    ("fin", "fi"),
    ("ces", "cs"),
    ("cze", "cs"),
    ("rus", "ru"),
    ("tur", "tr"),
    ("ron", "ro"),
    ("rum", "ro"),
    ("hun", "hu"),
    ("cat", "ca"),
];

impl Lang {
    /// English.
    pub const EN: Lang = Lang(*b"en\0");

    /// A code as rule files and datasets write it: `de`, `DE`, `de-AT`, `pt_BR`, `deu`. The
    /// region is dropped and three-letter codes of languages with a two-letter one are mapped
    /// to it. `None` for anything else, and for `und`/`unknown` (no language known).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        if primary == "und" {
            return None;
        }
        let primary =
            THREE_TO_TWO.iter().find(|(three, _)| *three == primary).map_or(primary.as_str(), |p| p.1);
        let mut out = [0u8; 3];
        out[..primary.len()].copy_from_slice(primary.as_bytes());
        Some(Lang(out))
    }

    /// The code, as written in rule files.
    pub fn as_str(&self) -> &str {
        let len = self.0.iter().position(|&b| b == 0).unwrap_or(3);
        std::str::from_utf8(&self.0[..len]).expect("codes are ASCII letters")
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Lang({})", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(Lang::parse("de").unwrap().as_str(), "de");
        assert_eq!(Lang::parse(" DE-at ").unwrap().as_str(), "de");
        assert_eq!(Lang::parse("pt_BR").unwrap().as_str(), "pt");
        assert_eq!(Lang::parse("deu"), Lang::parse("de"));
        assert_eq!(Lang::parse("eng"), Some(Lang::EN));
        assert_eq!(Lang::parse("haw").unwrap().as_str(), "haw");
    }

    #[test]
    fn non_codes_are_refused() {
        for bad in ["", "e", "english", "d3", "und", "ü", "-de"] {
            assert_eq!(Lang::parse(bad), None, "{bad:?}");
        }
    }
}
