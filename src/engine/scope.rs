//! Which rules apply to a document: site rules to documents from their hosts, language-scoped
//! rules to documents in their languages. Unless the caller gave it, the language is detected
//! once, on first use: before planning, when the rule set has language-scoped rules (each
//! language has its own prefilter), and never otherwise.

use std::cell::OnceCell;

use crate::lang::{self, Lang};
use crate::rules::{Rule, RuleSet, host_of};

use super::Document;

/// A document's host and language, as the rules see them.
#[derive(Debug)]
pub(crate) struct Scope<'a> {
    /// The host of the document's URL, when site rules need it.
    pub host: Option<String>,
    text: &'a str,
    lang: OnceCell<Option<Lang>>,
}

impl<'a> Scope<'a> {
    /// The scope of `doc` under `rules`.
    pub fn of(rules: &RuleSet, doc: &Document<'a, '_>) -> Scope<'a> {
        let host = if rules.has_site_rules { doc.url.and_then(host_of) } else { None };
        let lang = OnceCell::new();
        if let Some(given) = doc.lang {
            let _ = lang.set(Some(given));
        }
        Scope { host, text: doc.text, lang }
    }

    /// The document's language: given, or detected on first use; `None` when unknown.
    pub fn lang(&self) -> Option<Lang> {
        *self.lang.get_or_init(|| lang::detect(self.text))
    }

    /// Whether `rule` applies: its sites hold the host and its languages the language.
    pub fn admits(&self, rule: &Rule) -> bool {
        self.admits_site(rule) && self.admits_lang(rule)
    }

    /// Whether the rule's sites (if any) hold the document's host.
    pub fn admits_site(&self, rule: &Rule) -> bool {
        rule.sites.is_empty() || self.host.as_deref().is_some_and(|h| rule.sites.iter().any(|g| g.matches(h)))
    }

    /// Whether the rule's languages (if any) hold the document's language; a document whose
    /// language is unknown meets every rule.
    pub fn admits_lang(&self, rule: &Rule) -> bool {
        rule.langs.is_empty() || self.lang().is_none_or(|l| rule.langs.contains(&l))
    }
}
