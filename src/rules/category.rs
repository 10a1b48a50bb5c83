//! Rule categories and kinds: the closed vocabularies a rule file may use.

use std::fmt;

/// What kind of junk a rule removes; used for `--select`/`--ignore`, stats and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Photo captions and alt text.
    Caption,
    /// Photo and wire credits (`REUTERS/Jane Doe`, `(AP Photo/...)`).
    Credit,
    /// `More from <Site>`, "Related", "Read more" teaser sections.
    MoreFrom,
    /// Sponsored and promotional copy.
    Promo,
    /// Newsletter and subscription prompts.
    Newsletter,
    /// Share, follow and social prompts.
    Social,
    /// Embed residue (`- YouTube`, "View this post on Instagram").
    Embed,
    /// Advertisement markers.
    Ad,
    /// Bylines and author blurbs.
    Byline,
    /// Datelines, publication and update stamps.
    Dateline,
    /// Site navigation, breadcrumbs, tag lists.
    Navigation,
    /// Comment prompts and counters.
    Comment,
    /// Copyright lines, affiliate and legal disclosures.
    Legal,
    /// Scraper residue: URLs, image file names, markup, repeated lines.
    Residue,
    /// Lines the learned line classifier scores as boilerplate from their shape.
    Model,
}

impl Category {
    /// Every category, in the order reports list them.
    pub const ALL: [Category; 15] = [
        Category::Caption,
        Category::Credit,
        Category::MoreFrom,
        Category::Promo,
        Category::Newsletter,
        Category::Social,
        Category::Embed,
        Category::Ad,
        Category::Byline,
        Category::Dateline,
        Category::Navigation,
        Category::Comment,
        Category::Legal,
        Category::Residue,
        Category::Model,
    ];

    /// The name used in rule files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Caption => "caption",
            Category::Credit => "credit",
            Category::MoreFrom => "more-from",
            Category::Promo => "promo",
            Category::Newsletter => "newsletter",
            Category::Social => "social",
            Category::Embed => "embed",
            Category::Ad => "ad",
            Category::Byline => "byline",
            Category::Dateline => "dateline",
            Category::Navigation => "navigation",
            Category::Comment => "comment",
            Category::Legal => "legal",
            Category::Residue => "residue",
            Category::Model => "model",
        }
    }

    /// Parses a category name as written in rule files.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a rule turns a matching line into a removal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Drop the whole matching line.
    Line,
    /// Remove only the matched text inside the line.
    Span,
    /// Drop from the matching line to an end pattern, a line limit or the end of the document.
    Section,
    /// Drop a credit line together with the caption line(s) right above it.
    Caption,
    /// Drop a line that repeats the non-blank line before it (or, with `scope = "document"`,
    /// any earlier line, except the subheadings a contents list repeats).
    Duplicate,
    /// Drop a line that is one phrase written twice (alt text glued to its caption).
    Doubled,
    /// Drop lines a learned classifier scores as boilerplate (its `[rule.model]` table).
    Model,
}

impl Kind {
    /// Every kind, in documentation order.
    pub const ALL: [Kind; 7] =
        [Kind::Line, Kind::Span, Kind::Section, Kind::Caption, Kind::Duplicate, Kind::Doubled, Kind::Model];

    /// Whether rules of this kind compare lines rather than match a pattern (their pattern,
    /// if any, is only an extra condition).
    pub fn is_structural(self) -> bool {
        matches!(self, Kind::Duplicate | Kind::Doubled | Kind::Model)
    }

    /// The name used in rule files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Line => "line",
            Kind::Span => "span",
            Kind::Section => "section",
            Kind::Caption => "caption",
            Kind::Duplicate => "duplicate",
            Kind::Doubled => "doubled",
            Kind::Model => "model",
        }
    }

    /// Parses a kind name as written in rule files.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
