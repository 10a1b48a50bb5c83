//! Validation: raw serde rules → compiled [`Rule`]s, with every error located in the file.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use regex::Regex;
use toml::Spanned;

use super::examples::{Example, Expect};
use super::raw::{RawFile, RawRule};
use super::{
    Category, Conditions, DEFAULT_MAX_CAPTION_WORDS, Excerpt, Kind, Location, Rule, RuleError, SiteGlob,
};
use crate::lang::Lang;
use crate::matcher::{LazyRegex, compile_regex, joined};

/// Parses and validates one rule file. With `lazy` (the built-in packs, whose patterns are
/// tested), each rule's pattern is compiled when it first runs rather than now.
pub(crate) fn compile_file(name: &str, text: &str, lazy: bool) -> Result<Vec<Rule>, RuleError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        RuleError::Syntax {
            loc: Location::at(name, text, offset),
            message: e.message().trim().to_string(),
            excerpt: Excerpt::at(text, offset),
        }
    })?;
    let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    let file = SourceFile { name, text, line_starts, compiled: RefCell::default(), lazy };
    let pack_langs = file.langs("", &raw.langs)?;
    raw.rule.into_iter().map(|r| file.compile_rule(r, &pack_langs)).collect()
}

struct SourceFile<'a> {
    name: &'a str,
    text: &'a str,
    /// Byte offset of each line's start, so that locating a span does not rescan the file
    /// (a file with many examples would otherwise load in quadratic time).
    line_starts: Vec<usize>,
    /// Regexes compiled so far, by pattern and case flag: rules of a file often share one (a
    /// section's `pattern` is another's `next`), and a clone shares the compiled program.
    compiled: RefCell<HashMap<(String, bool), Regex>>,
    /// Defer compiling the rules' own patterns to their first use.
    lazy: bool,
}

impl SourceFile<'_> {
    fn loc(&self, span: Range<usize>) -> Location {
        let line = self.line_starts.partition_point(|&s| s <= span.start).max(1);
        let start = self.line_starts[line - 1];
        let mut end = span.start.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let col = self.text[start..end].chars().count() + 1;
        Location { file: self.name.to_string(), line, col }
    }

    fn invalid(&self, rule: &str, span: Range<usize>, message: impl Into<String>) -> RuleError {
        RuleError::Invalid {
            loc: self.loc(span.clone()),
            rule: rule.to_string(),
            message: message.into(),
            excerpt: Excerpt::at(self.text, span.start),
        }
    }

    /// A setting that takes one of two words: `false` for the first (the default when it is
    /// absent), `true` for the second; any other word is an error at its place.
    fn either(
        &self,
        rule: &str,
        value: Option<&Spanned<String>>,
        key: &str,
        [off, on]: [&str; 2],
    ) -> Result<bool, RuleError> {
        match value.map(|v| (v.get_ref().as_str(), v.span())) {
            None => Ok(false),
            Some((word, _)) if word == off => Ok(false),
            Some((word, _)) if word == on => Ok(true),
            Some((other, span)) => {
                Err(self.invalid(rule, span, format!("unknown {key} {other:?} (expected {off:?} or {on:?})")))
            }
        }
    }

    fn regex(&self, rule: &str, pattern: &Spanned<String>, ci: bool) -> Result<Regex, RuleError> {
        self.compile(pattern.get_ref(), ci).map_err(|m| self.invalid(rule, pattern.span(), m))
    }

    fn compile(&self, pattern: &str, ci: bool) -> Result<Regex, String> {
        let key = (pattern.to_string(), ci);
        if let Some(re) = self.compiled.borrow().get(&key) {
            return Ok(re.clone());
        }
        let re = compile_regex(pattern, ci)?;
        self.compiled.borrow_mut().insert(key, re.clone());
        Ok(re)
    }

    /// Language codes as written in a `langs` list, validated.
    fn langs(&self, rule: &str, codes: &[Spanned<String>]) -> Result<Vec<Lang>, RuleError> {
        let mut out: Vec<Lang> = codes
            .iter()
            .map(|c| {
                Lang::parse(c.get_ref()).ok_or_else(|| {
                    self.invalid(
                        rule,
                        c.span(),
                        format!("bad language {:?}: expected an ISO 639 code such as \"de\"", c.get_ref()),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    fn compile_rule(&self, spanned: Spanned<RawRule>, pack_langs: &[Lang]) -> Result<Rule, RuleError> {
        let span = spanned.span();
        let raw = spanned.into_inner();
        let id = raw.id.get_ref().trim().to_string();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            return Err(self.invalid(
                &id,
                raw.id.span(),
                "id must be non-empty ASCII letters, digits, '-' or '_'",
            ));
        }
        let category = Category::parse(raw.category.get_ref()).ok_or_else(|| {
            let names: Vec<_> = Category::ALL.iter().map(|c| c.as_str()).collect();
            self.invalid(
                &id,
                raw.category.span(),
                format!(
                    "unknown category {:?} (expected one of: {})",
                    raw.category.get_ref(),
                    names.join(", ")
                ),
            )
        })?;
        let kind = Kind::parse(raw.kind.get_ref()).ok_or_else(|| {
            let names: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            self.invalid(
                &id,
                raw.kind.span(),
                format!("unknown kind {:?} (expected one of: {})", raw.kind.get_ref(), names.join(", ")),
            )
        })?;
        if raw.description.get_ref().trim().is_empty() {
            return Err(self.invalid(&id, raw.description.span(), "description is empty"));
        }

        let ci = raw.case_insensitive;
        let mut sources: Vec<&Spanned<String>> = raw.pattern.iter().collect();
        sources.extend(raw.patterns.iter().flatten());
        if raw.pattern.is_some() && raw.patterns.is_some() {
            return Err(self.invalid(&id, span, "give either `pattern` or `patterns`, not both"));
        }
        let patterns: Vec<String> = sources.iter().map(|p| p.get_ref().clone()).collect();
        if kind == Kind::Model && !patterns.is_empty() {
            return Err(self.invalid(
                &id,
                span,
                "a `model` rule takes no `pattern`: its `[rule.model]` table decides",
            ));
        }
        let regex = match patterns.len() {
            0 if kind.is_structural() => None,
            0 => {
                return Err(self.invalid(
                    &id,
                    span,
                    format!("a `{kind}` rule needs `pattern` or `patterns`"),
                ));
            }
            _ if self.lazy => Some(LazyRegex::deferred(&joined(&patterns), ci)),
            1 => Some(LazyRegex::compiled(self.regex(&id, sources[0], ci)?, &patterns[0], ci)),
            _ => {
                let pattern = joined(&patterns);
                match self.compile(&pattern, ci) {
                    Ok(re) => Some(LazyRegex::compiled(re, &pattern, ci)),
                    Err(m) => {
                        // Point at the pattern at fault when there is one.
                        for p in &sources {
                            self.regex(&id, p, ci)?;
                        }
                        return Err(self.invalid(&id, span, m));
                    }
                }
            }
        };

        let only = |present: bool, what: &str, wanted: Kind| -> Result<(), RuleError> {
            if present && kind != wanted {
                return Err(self.invalid(
                    &id,
                    span.clone(),
                    format!("`{what}` applies only to `{wanted}` rules"),
                ));
            }
            Ok(())
        };
        only(raw.end.is_some(), "end", Kind::Section)?;
        only(raw.max_lines.is_some(), "max_lines", Kind::Section)?;
        only(raw.max_caption_words.is_some(), "max_caption_words", Kind::Caption)?;
        only(raw.scope.is_some(), "scope", Kind::Duplicate)?;
        only(raw.copies.is_some(), "copies", Kind::Duplicate)?;
        only(raw.model.is_some(), "model", Kind::Model)?;
        let model = match raw.model {
            Some(m) => {
                let at = m.span();
                Some(Arc::new(m.into_inner().compile().map_err(|e| self.invalid(&id, at, e))?))
            }
            None if kind == Kind::Model => {
                return Err(self.invalid(
                    &id,
                    span,
                    "a `model` rule needs a `[rule.model]` table (write one with `deboil train`)",
                ));
            }
            None => None,
        };
        let whole_document = self.either(&id, raw.scope.as_ref(), "scope", ["adjacent", "document"])?;
        let first_copy_too = self.either(&id, raw.copies.as_ref(), "copies", ["later", "all"])?;

        let end = raw.end.as_ref().map(|p| self.regex(&id, p, ci)).transpose()?;
        let conditions = Conditions {
            min_words: raw.min_words,
            max_words: raw.max_words,
            max_chars: raw.max_chars,
            sentence: raw.sentence,
            in_head: raw.in_head,
            in_tail: raw.in_tail,
            after_body: raw.after_body,
            prev: raw.prev.as_ref().map(|p| self.regex(&id, p, ci)).transpose()?,
            next: raw.next.as_ref().map(|p| self.regex(&id, p, ci)).transpose()?,
        };
        if kind == Kind::Model && conditions.to_string() != "none" {
            return Err(self.invalid(&id, span, "conditions do not apply to `model` rules"));
        }
        if let (Some(lo), Some(hi)) = (conditions.min_words, conditions.max_words)
            && lo > hi
        {
            return Err(self.invalid(&id, span, "min_words is larger than max_words"));
        }
        let max_removed = match &raw.max_removed {
            Some(f) if !(*f.get_ref() > 0.0 && *f.get_ref() <= 1.0) => {
                return Err(self.invalid(&id, f.span(), "max_removed must be a fraction in (0, 1]"));
            }
            other => other.as_ref().map(|f| *f.get_ref()),
        };
        let sites = raw
            .sites
            .iter()
            .map(|s| {
                SiteGlob::parse(s.get_ref()).ok_or_else(|| {
                    self.invalid(
                        &id,
                        s.span(),
                        format!("bad site {:?}: expected a host or `*.` and a host", s.get_ref()),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let langs = match &raw.langs {
            Some(codes) => self.langs(&id, codes)?,
            None => pack_langs.to_vec(),
        };

        let mut examples = Vec::new();
        for s in &raw.remove {
            examples.push(Example {
                input: s.get_ref().clone(),
                expect: Expect::Removed,
                source: self.loc(s.span()),
            });
        }
        for s in &raw.keep {
            examples.push(Example {
                input: s.get_ref().clone(),
                expect: Expect::Kept,
                source: self.loc(s.span()),
            });
        }
        for e in raw.example {
            let source = self.loc(e.span());
            let e = e.into_inner();
            examples.push(Example { input: e.input, expect: Expect::Output(e.output), source });
        }

        Ok(Rule {
            id: Arc::from(id),
            category,
            kind,
            description: raw.description.into_inner().trim().to_string(),
            source: self.loc(span),
            patterns,
            case_insensitive: ci,
            regex,
            conditions,
            sites,
            langs,
            max_removed,
            end,
            max_lines: raw.max_lines,
            max_caption_words: raw.max_caption_words.unwrap_or(DEFAULT_MAX_CAPTION_WORDS),
            whole_document,
            first_copy_too,
            model,
            examples,
        })
    }
}
