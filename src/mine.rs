//! Rule mining: lines that repeat across many documents of the same site are boilerplate more
//! often than not (CCNet's observation). Counts are kept per site in bounded memory: a
//! count-min sketch estimates how many documents hold each (site, line) pair, and only pairs
//! whose estimate passes the threshold are kept as candidates, pruned to a fixed capacity.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::lang::Lang;

/// Mining options.
#[derive(Debug, Clone)]
pub struct MineOptions {
    /// A line must appear in at least this many documents of a site.
    pub min_docs: u64,
    /// ... and in at least this share of the site's documents.
    pub min_share: f64,
    /// Lines with more words than this are ignored (article paragraphs).
    pub max_words: usize,
    /// How many candidates the draft keeps.
    pub top: usize,
}

impl Default for MineOptions {
    fn default() -> MineOptions {
        MineOptions { min_docs: 5, min_share: 0.05, max_words: 40, top: 100 }
    }
}

/// Width of each count-min row (counters), and number of rows: 4 x 2^20 x 4 bytes = 16 MiB.
const SKETCH_WIDTH: usize = 1 << 20;
const SKETCH_DEPTH: usize = 4;
/// Candidates kept before pruning to the best half.
const CAPACITY: usize = 50_000;

/// A repeated line and its counts.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The site (URL host), or `(no url)`.
    pub site: String,
    /// The first example of the line, trimmed.
    pub example: String,
    /// Documents of the site holding the line (estimated; never under the true count).
    pub docs: u64,
    /// Documents of the site.
    pub site_docs: u64,
    /// The language of most of the documents the line was counted in, when at least half of
    /// them had one known; the draft rule is limited to it.
    pub lang: Option<Lang>,
}

impl Candidate {
    /// Share of the site's documents holding the line.
    pub fn share(&self) -> f64 {
        self.docs as f64 / self.site_docs.max(1) as f64
    }
}

/// Streaming miner: feed documents, then take the ranked candidates.
pub struct Miner {
    opts: MineOptions,
    sketch: Vec<u32>,
    sites: HashMap<String, u64>,
    candidates: HashMap<u64, Counted>,
    documents: u64,
}

/// A candidate line while counting: its site, first example, estimated documents, and the
/// languages of the documents it was counted in since it became a candidate.
#[derive(Debug)]
struct Counted {
    site: String,
    example: String,
    docs: u64,
    counted: u64,
    langs: Vec<(Lang, u64)>,
}

impl Counted {
    /// The language of at least half of the documents counted.
    fn lang(&self) -> Option<Lang> {
        let (lang, n) = self.langs.iter().max_by_key(|(l, n)| (*n, std::cmp::Reverse(*l)))?;
        (2 * n >= self.counted).then_some(*lang)
    }
}

/// The normalised key of a line: lower case, digits as `0`, runs of whitespace as one space.
pub fn normalise(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if c.is_ascii_digit() {
                out.push('0');
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
    out
}

fn hash(site: &str, key: &str, row: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ row.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for b in site.bytes().chain([0xff]).chain(key.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ (h >> 29)
}

impl Miner {
    /// A miner with these options.
    pub fn new(opts: MineOptions) -> Miner {
        Miner {
            opts,
            sketch: vec![0; SKETCH_WIDTH * SKETCH_DEPTH],
            sites: HashMap::new(),
            candidates: HashMap::new(),
            documents: 0,
        }
    }

    /// The distinct normalised lines of a document worth counting, with an example each.
    pub fn lines_of(&self, text: &str) -> Vec<(String, String)> {
        let mut seen: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            let t = line.trim();
            let words = t.split_whitespace().count();
            if t.chars().count() < 3 || words > self.opts.max_words {
                continue;
            }
            let key = normalise(t);
            if !seen.iter().any(|(k, _)| *k == key) {
                seen.push((key, t.to_string()));
            }
        }
        seen
    }

    /// Counts one document of `site`, in language `lang` if known, whose lines are `lines`
    /// (from [`Miner::lines_of`]).
    pub fn add(&mut self, site: &str, lang: Option<Lang>, lines: Vec<(String, String)>) {
        self.documents += 1;
        *self.sites.entry(site.to_string()).or_default() += 1;
        for (key, example) in lines {
            let mut estimate = u32::MAX;
            for row in 0..SKETCH_DEPTH {
                let slot = row * SKETCH_WIDTH + (hash(site, &key, row as u64) as usize % SKETCH_WIDTH);
                self.sketch[slot] = self.sketch[slot].saturating_add(1);
                estimate = estimate.min(self.sketch[slot]);
            }
            if u64::from(estimate) >= self.opts.min_docs {
                let id = hash(site, &key, 99);
                let entry = self.candidates.entry(id).or_insert_with(|| Counted {
                    site: site.to_string(),
                    example,
                    docs: 0,
                    counted: 0,
                    langs: Vec::new(),
                });
                entry.docs = u64::from(estimate);
                entry.counted += 1;
                if let Some(lang) = lang {
                    match entry.langs.iter_mut().find(|(l, _)| *l == lang) {
                        Some((_, n)) => *n += 1,
                        None => entry.langs.push((lang, 1)),
                    }
                }
            }
        }
        if self.candidates.len() > CAPACITY {
            let mut counts: Vec<u64> = self.candidates.values().map(|c| c.docs).collect();
            counts.sort_unstable();
            let cut = counts[counts.len() / 2];
            self.candidates.retain(|_, c| c.docs > cut);
        }
    }

    /// Documents seen.
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// The best candidates: at least `min_docs` documents and `min_share` of their site, most
    /// documents first (ties by site and line, so the order is deterministic).
    pub fn ranked(&self) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self
            .candidates
            .values()
            .map(|c| Candidate {
                site: c.site.clone(),
                example: c.example.clone(),
                docs: c.docs,
                site_docs: self.sites.get(&c.site).copied().unwrap_or(0),
                lang: c.lang(),
            })
            .filter(|c| c.docs >= self.opts.min_docs && c.share() >= self.opts.min_share)
            .collect();
        out.sort_by(|a, b| {
            b.docs.cmp(&a.docs).then_with(|| a.site.cmp(&b.site)).then_with(|| a.example.cmp(&b.example))
        });
        out.truncate(self.opts.top);
        out
    }
}

/// A draft rule pack for the candidates: each a `line` rule limited to its site (when known),
/// matching the line with any digits and any case, marked for review.
pub fn draft(candidates: &[Candidate], documents: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Draft rules mined by `deboil mine` from {documents} documents: lines that repeat across"
    );
    let _ = writeln!(
        out,
        "# many pages of the same site. Every rule is a candidate, not a verdict: review each with"
    );
    let _ = writeln!(out, "#   deboil diff CORPUS --no-default-rules --rules THIS_FILE --per-rule 5");
    let _ =
        writeln!(out, "# delete the rules that remove article text, give the rest a real id, category and");
    let _ = writeln!(out, "# description, and write `keep` examples (near misses) before relying on them.");
    for (i, c) in candidates.iter().enumerate() {
        let site_slug: String =
            c.site.chars().map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' }).collect();
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "# REVIEW: in {} of {} {} documents ({:.0}%), language {}",
            c.docs,
            c.site_docs,
            c.site,
            100.0 * c.share(),
            c.lang.map_or_else(|| "unknown".to_string(), |l| l.to_string())
        );
        let _ = writeln!(out, "[[rule]]");
        let _ = writeln!(out, "id = \"mined-{}-{}\"", site_slug.trim_matches('-'), i + 1);
        let _ = writeln!(out, "category = \"navigation\"");
        let _ = writeln!(out, "kind = \"line\"");
        let _ = writeln!(
            out,
            "description = {}",
            toml_string(&format!("Line repeated on {} of {} pages of {}.", c.docs, c.site_docs, c.site))
        );
        if c.site != NO_SITE {
            let _ = writeln!(out, "sites = [{}]", toml_string(&c.site));
        }
        if let Some(lang) = c.lang {
            let _ = writeln!(out, "langs = [{}]", toml_string(lang.as_str()));
        }
        let _ = writeln!(out, "pattern = {}", toml_string(&line_pattern(&c.example)));
        let _ = writeln!(out, "case_insensitive = true");
        let _ = writeln!(out, "remove = [{}]", toml_string(&c.example));
        let _ = writeln!(out, "keep = []");
    }
    out
}

/// The site name used for documents without a URL.
pub const NO_SITE: &str = "(no url)";

/// A regex matching the line as normalised: any whitespace between words, any digits.
fn line_pattern(line: &str) -> String {
    let words: Vec<String> = line
        .split_whitespace()
        .map(|w| {
            let mut p = String::new();
            let mut chars = w.chars().peekable();
            while let Some(c) = chars.next() {
                if c.is_ascii_digit() {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    p.push_str(r"\d+");
                } else {
                    p.push_str(&regex::escape(&c.to_string()));
                }
            }
            p
        })
        .collect();
    format!("^{}$", words.join(r"\s+"))
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_repeated_across_a_site_are_ranked_and_drafted() {
        let mut m = Miner::new(MineOptions { min_docs: 3, min_share: 0.5, ..MineOptions::default() });
        let topics = ["ferries", "tides", "cranes", "gulls", "piers", "storms"];
        for (i, topic) in topics.iter().enumerate() {
            let text = format!(
                "A story about {topic} in the harbour.\nSign up for the Harbour Daily\nShare this {i} times\n"
            );
            let lines = m.lines_of(&text);
            // Five of six documents in English: the candidates are English.
            m.add("harbour.example", (i > 0).then_some(Lang::EN), lines);
        }
        let lines = m.lines_of("Sign up for the Harbour Daily\n");
        m.add("other.example", None, lines);
        let ranked = m.ranked();
        let got: Vec<(&str, u64)> = ranked.iter().map(|c| (c.example.as_str(), c.docs)).collect();
        assert_eq!(
            got,
            [("Share this 2 times", 6), ("Sign up for the Harbour Daily", 6)],
            "digits normalised"
        );
        assert!(ranked.iter().all(|c| c.lang == Some(Lang::EN)));
        let draft = draft(&ranked, m.documents());
        assert!(draft.contains("langs = [\"en\"]") && draft.contains("language en"), "{draft}");
        let mut builder = crate::RuleSetBuilder::new();
        builder.add_source("draft.toml", &draft).unwrap();
        let rules = builder.build().unwrap();
        assert_eq!(rules.len(), 2);
        let cleaned = crate::clean_document(
            &rules,
            crate::Document {
                text: "Body.\nShare this 17 times\n",
                url: Some("https://harbour.example/x"),
                lang: None,
            },
        );
        assert_eq!(cleaned.text, "Body.\n");
    }
}
