//! The self-contained HTML review page: a summary with bar charts, a rule table, and a
//! reproducible sample of changed documents with the removed text highlighted in place and
//! labelled by rule, filterable by rule and category. No external assets, no network; every
//! piece of document and rule text is escaped.

use std::fmt::Write as _;

use crate::engine::Cleaned;
use crate::rules::RuleSet;
use crate::runner::{RuleCount, Stats};

const TEMPLATE: &str = include_str!("template.html");

/// Collects a run's counts and the sampled documents, then renders the page.
#[derive(Debug, Default)]
pub struct HtmlReport {
    stats: Stats,
    lines_removed: u64,
}

/// One sampled document, already rendered as HTML.
#[derive(Debug, Clone)]
pub struct HtmlDoc(String);

impl HtmlReport {
    /// An empty report.
    pub fn new() -> HtmlReport {
        HtmlReport::default()
    }

    /// Counts one document and its cleaning.
    pub fn count(&mut self, input: &str, cleaned: &Cleaned<'_>) {
        self.stats.read(input.len());
        self.stats.removals(cleaned);
        self.lines_removed +=
            cleaned.removals.iter().map(|r| r.text.matches('\n').count() as u64).sum::<u64>();
    }

    /// Adds another report's counts (from a batch cleaned in parallel).
    pub fn merge(&mut self, other: HtmlReport) {
        self.stats.add(&other.stats);
        self.lines_removed += other.lines_removed;
    }

    /// Renders one changed document for the page.
    pub fn document(name: &str, input: &str, cleaned: &Cleaned<'_>) -> HtmlDoc {
        let mut rules: Vec<&str> = cleaned.removals.iter().map(|r| &*r.rule).collect();
        rules.sort_unstable();
        rules.dedup();
        let mut out = String::new();
        let _ = write!(
            out,
            "<section class=\"doc\"><h3>{} <span class=\"muted\">({} removals: {})</span></h3><pre>",
            escape(name),
            cleaned.removals.len(),
            escape(&rules.join(", "))
        );
        let mut pos = 0;
        for r in &cleaned.removals {
            out.push_str(&escape(&input[pos..r.start]));
            let also: Vec<&str> = r.also.iter().map(|a| &**a).collect();
            let _ = write!(
                out,
                "<del data-rule=\"{}\" data-category=\"{}\" title=\"{}\">{}</del>",
                escape(&r.rule),
                r.category,
                escape(&format!(
                    "{} ({}){}{}",
                    r.rule,
                    r.category,
                    if also.is_empty() { String::new() } else { format!(", also {}", also.join(", ")) },
                    r.score.map_or(String::new(), |p| format!(", score {p:.2}"))
                )),
                escape(r.text)
            );
            pos = r.end;
        }
        out.push_str(&escape(&input[pos..]));
        out.push_str("</pre></section>\n");
        HtmlDoc(out)
    }

    /// The whole page. `docs` are the sampled documents (at most `max_docs` were kept).
    pub fn render(&self, rules: &RuleSet, docs: &[HtmlDoc], max_docs: usize, subtitle: &str) -> String {
        let mut summary = String::new();
        let pct = |a: u64, b: u64| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
        for (label, value) in [
            ("documents read", self.stats.documents.to_string()),
            (
                "documents changed",
                format!("{} ({:.1}%)", self.stats.changed, pct(self.stats.changed, self.stats.documents)),
            ),
            (
                "bytes removed",
                format!(
                    "{} of {} ({:.1}%)",
                    self.stats.bytes_removed,
                    self.stats.bytes_in,
                    pct(self.stats.bytes_removed, self.stats.bytes_in)
                ),
            ),
            ("lines removed", self.lines_removed.to_string()),
        ] {
            let _ = write!(summary, "<tr><td>{label}</td><td class=\"n\">{}</td></tr>", escape(&value));
        }
        let max_bytes = self.stats.rules.values().map(|c| c.bytes).max().unwrap_or(1).max(1);
        let mut categories = String::from(
            "<tr><th>category</th><th class=\"n\">removals</th><th class=\"n\">documents</th><th class=\"n\">bytes</th><th></th></tr>",
        );
        for (cat, c) in &self.stats.categories {
            let _ = write!(
                categories,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><span class=\"bar\" style=\"width:{}px\"></span></td></tr>",
                escape(cat),
                c.hits,
                c.documents,
                c.bytes,
                bar(c.bytes, self.stats.bytes_removed.max(1))
            );
        }
        let mut table = String::from(
            "<tr><th>rule</th><th>category</th><th>kind</th><th class=\"n\">removals</th><th class=\"n\">documents</th><th class=\"n\">bytes</th><th></th><th>description</th></tr>",
        );
        let mut by_hits: Vec<(&String, &RuleCount)> = self.stats.rules.iter().collect();
        by_hits.sort_by(|a, b| b.1.hits.cmp(&a.1.hits).then(a.0.cmp(b.0)));
        for (id, c) in &by_hits {
            let rule = rules.get(id);
            let cat = rule.map_or("", |r| r.category.as_str());
            let (kind, desc) = rule.map_or(("", ""), |r| (r.kind.as_str(), r.description.as_str()));
            let _ = write!(
                table,
                "<tr id=\"rule-{id}\"><td><a href=\"#docs\" data-filter-rule=\"{id}\">{id}</a></td><td>{}</td><td>{kind}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><span class=\"bar\" style=\"width:{}px\"></span></td><td>{}</td></tr>",
                escape(cat),
                c.hits,
                c.documents,
                c.bytes,
                bar(c.bytes, max_bytes),
                escape(desc),
                id = escape(id)
            );
        }
        let rule_options: String =
            by_hits.iter().map(|(id, _)| format!("<option value=\"{0}\">{0}</option>", escape(id))).collect();
        let category_options: String = self
            .stats
            .categories
            .keys()
            .map(|c| format!("<option value=\"{0}\">{0}</option>", escape(c)))
            .collect();
        let note = format!(
            "{} of {} changed documents shown (at most {max_docs}, a reproducible sample).",
            docs.len(),
            self.stats.changed
        );
        let body: String = docs.iter().map(|d| d.0.as_str()).collect();
        TEMPLATE
            .replace("{{SUBTITLE}}", &escape(subtitle))
            .replace("{{SUMMARY}}", &summary)
            .replace("{{CATEGORIES}}", &categories)
            .replace("{{RULES}}", &table)
            .replace("{{RULE_OPTIONS}}", &rule_options)
            .replace("{{CATEGORY_OPTIONS}}", &category_options)
            .replace("{{DOCS_NOTE}}", &escape(&note))
            .replace("{{DOCS}}", &body)
    }
}

/// Width in pixels of a bar for `value` out of `max` (at most 200).
fn bar(value: u64, max: u64) -> u64 {
    (value * 200).div_ceil(max.max(1)).min(200)
}

/// Escapes text for HTML element content and attribute values (and `{`, for the template).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // So that no text can look like one of the template's placeholders.
            '{' => out.push_str("&#123;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
