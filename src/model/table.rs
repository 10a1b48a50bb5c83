//! The `[rule.model]` table of a rule file: how a model is written down and read back.

use std::fmt::Write;

use serde::Deserialize;

use super::Model;
use super::features::{N_FEATURES, NAMES, StopWords};
use super::forest::{Forest, Tree};

/// The version of the model table this deboil reads and writes.
pub const MODEL_FORMAT: u32 = 1;

/// A `[rule.model]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    format: u32,
    threshold: f64,
    features: Vec<String>,
    stopwords: Vec<String>,
    provenance: String,
    base: f64,
    #[serde(default)]
    tree: Vec<RawTree>,
}

/// A `[[rule.model.tree]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTree {
    feature: Vec<i64>,
    threshold: Vec<f64>,
    left: Vec<u32>,
    value: Vec<f64>,
}

impl RawModel {
    /// Validates the table into a model: the format and feature list must be this deboil's,
    /// and every tree well formed.
    pub fn compile(self) -> Result<Model, String> {
        if self.format != MODEL_FORMAT {
            return Err(format!(
                "model format {} is not supported (this deboil reads format {MODEL_FORMAT}: retrain it with `deboil train`)",
                self.format
            ));
        }
        if self.features != NAMES {
            let missing: Vec<&str> =
                NAMES.iter().filter(|n| !self.features.iter().any(|f| f == *n)).copied().collect();
            return Err(format!(
                "the model's features differ from this deboil's {N_FEATURES} (missing: [{}]); retrain it with `deboil train`",
                missing.join(", ")
            ));
        }
        if !(self.threshold > 0.0 && self.threshold < 1.0) {
            return Err(format!("threshold = {} must be between 0 and 1", self.threshold));
        }
        let mut trees = Vec::with_capacity(self.tree.len());
        for (k, t) in self.tree.into_iter().enumerate() {
            let tree = Tree {
                feature: t.feature.iter().map(|&f| u16::try_from(f).ok()).collect(),
                threshold: t.threshold.iter().map(|&v| v as f32).collect(),
                left: t.left,
                value: t.value.iter().map(|&v| v as f32).collect(),
            };
            tree.validate(N_FEATURES).map_err(|e| format!("tree {}: {e}", k + 1))?;
            trees.push(tree);
        }
        Ok(Model::new(
            Forest::new(self.base as f32, trees),
            self.threshold as f32,
            StopWords::new(&self.stopwords),
            self.provenance,
        ))
    }
}

impl Model {
    /// Writes the model as a `[rule.model]` table and its `[[rule.model.tree]]` tables, to
    /// follow the `[[rule]]` table it belongs to.
    pub fn write_table(&self, out: &mut String) {
        let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(", ");
        let quoted = |s: &str| toml_string(s);
        out.push_str("\n[rule.model]\n");
        let _ = writeln!(out, "format = {MODEL_FORMAT}");
        let _ = writeln!(out, "threshold = {}", self.threshold());
        let _ = writeln!(out, "base = {}", self.forest.base);
        let _ = writeln!(out, "provenance = {}", quoted(&self.provenance));
        let _ = writeln!(out, "features = [{}]", list(&mut NAMES.iter().map(|n| quoted(n))));
        let _ =
            writeln!(out, "stopwords = [{}]", list(&mut self.stopwords.words().iter().map(|w| quoted(w))));
        for t in &self.forest.trees {
            out.push_str("\n[[rule.model.tree]]\n");
            let feature = t.feature.iter().map(|f| f.map_or("-1".to_string(), |f| f.to_string()));
            let _ = writeln!(out, "feature = [{}]", list(&mut feature.into_iter()));
            let _ =
                writeln!(out, "threshold = [{}]", list(&mut t.threshold.iter().map(|v| format!("{v:?}"))));
            let _ = writeln!(out, "left = [{}]", list(&mut t.left.iter().map(u32::to_string)));
            let _ = writeln!(out, "value = [{}]", list(&mut t.value.iter().map(|v| format!("{v:?}"))));
        }
    }
}

/// A TOML basic string (or a multi-line literal when the text spans lines and allows it).
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Wrap {
        model: RawModel,
    }

    fn model() -> Model {
        let tree = Tree {
            feature: vec![Some(0), None, None],
            threshold: vec![4.5, 0.0, 0.0],
            left: vec![1, 0, 0],
            value: vec![0.1, 1.25, -0.75],
        };
        Model::new(
            Forest::new(-0.5, vec![tree]),
            0.8,
            StopWords::new(&["the", "und"]),
            "test \"pages\"\nline two".into(),
        )
    }

    /// The model's table as a file of its own (`[model]` rather than `[rule.model]`).
    fn written(m: &Model) -> String {
        let mut text = String::new();
        m.write_table(&mut text);
        text.replace("[rule.model]", "[model]").replace("[[rule.model.tree]]", "[[model.tree]]")
    }

    #[test]
    fn a_written_model_reads_back_the_same() {
        let m = model();
        let text = written(&m);
        let back = toml::from_str::<Wrap>(&text).unwrap().model.compile().unwrap();
        assert_eq!(back.forest.trees, m.forest.trees);
        assert_eq!(back.forest.base, m.forest.base);
        assert_eq!(back.threshold(), m.threshold());
        assert_eq!(back.provenance, m.provenance);
        assert_eq!(back.stopwords.words(), m.stopwords.words());
    }

    #[test]
    fn foreign_feature_lists_and_formats_are_refused() {
        let text = written(&model());
        let renamed = text.replace("\"words\"", "\"tokens\"");
        let err = toml::from_str::<Wrap>(&renamed).unwrap().model.compile().unwrap_err();
        assert!(err.contains("missing: [words]"), "{err}");
        let old = text.replace("format = 1", "format = 0");
        let err = toml::from_str::<Wrap>(&old).unwrap().model.compile().unwrap_err();
        assert!(err.contains("format 0"), "{err}");
    }
}
