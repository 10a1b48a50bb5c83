//! The default rule packs, compiled into the binary from `rules/`.

/// A rule file embedded in the binary.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinPack {
    /// Path under `rules/`, such as `credit.toml` or `sites/gzeromedia.toml`.
    pub name: &'static str,
    /// The file's text.
    pub text: &'static str,
}

macro_rules! packs {
    ($($name:literal),* $(,)?) => {
        /// Every built-in pack, in attribution order. A test checks this equals `rules/` on disk.
        pub const BUILTIN_PACKS: &[BuiltinPack] = &[
            $(BuiltinPack { name: $name, text: include_str!(concat!("../../rules/", $name)) },)*
        ];
    };
}

// Order matters: when removals overlap, the first pack's rule is credited with the merged range.
// Sections come first, since a section removes everything inside it whatever else matches
// there; then specific junk (credits, captions) before broader line rules.
packs![
    "more-from.toml",
    "credit.toml",
    "caption.toml",
    "embed.toml",
    "ad.toml",
    "newsletter.toml",
    "social.toml",
    "promo.toml",
    "comment.toml",
    "legal.toml",
    "byline.toml",
    "dateline.toml",
    "navigation.toml",
    "residue.toml",
    // Language packs: each applies to documents in its language (see `langs`), and all of them
    // to documents whose language is not known: after the English and language-free packs, so
    // that a short English document's credit is credited to an English rule.
    "lang/de.toml",
    "lang/fr.toml",
    "lang/es.toml",
    "lang/it.toml",
    "lang/pt.toml",
    "lang/nl.toml",
    "sites/gzeromedia.toml",
    "sites/reuters.toml",
    // The line classifier comes last: it sees what every rule above removed, and a line they
    // remove too is credited to them.
    "model.toml",
];
