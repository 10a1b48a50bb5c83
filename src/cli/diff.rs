//! `deboil diff` and `deboil explain`: what the rules remove, and why a line stayed.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use crate::engine::{Document, clean_document, explain as explain_doc};
use crate::io::{OwnedDoc, discover, read_docs};
use crate::report::{BottomK, Filter, RemovalRecord, Style, Summary, render_diff, render_explain};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;

use super::ExitCode;
use super::args::{ColorChoice, DiffArgs, DiffFormat, ExplainArgs};
use super::rules_cmd::load;

fn style(choice: ColorChoice) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    if color { Style::Color } else { Style::Plain }
}

/// `(rule, category, bytes)` of each shown removal of a document.
type Counts = Vec<(String, String, u64)>;

/// One document's shown removals, rendered or as records, produced in parallel.
struct DocOut {
    order: usize,
    name: String,
    diff: Option<String>,
    json: Vec<String>,
    /// Per rule that fired: one rendered example (that rule's removals only).
    per_rule: Vec<(String, String)>,
}

pub fn run(args: DiffArgs) -> Result<ExitCode> {
    let rules = load(&args.rules)?;
    let inputs = discover(&args.input.paths, args.input_format)?;
    let filter = Filter { rules: args.only_rules.clone(), categories: args.only_categories.clone() };
    if let Some(name) = filter.rules.iter().find(|r| rules.get(r).is_none()) {
        bail!("--rule {name:?}: no such rule (see `deboil rules list`)");
    }
    let style = style(args.color);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut summary = Summary::default();
    let mut sample = args.sample.map(|n| BottomK::new(n, args.seed));
    let mut per_rule: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let text_url = args.input.url.clone();

    read_docs(&inputs, &args.input.fields(), |batch: Vec<OwnedDoc>| -> Result<()> {
        let results: Vec<(DocOut, Counts)> = batch
            .par_iter()
            .map(|doc| {
                let url = doc.url.as_deref().or(text_url.as_deref());
                let cleaned = clean_document(
                    &rules,
                    Document { text: &doc.text, url, lang: doc.lang.or(args.input.lang) },
                );
                let shown: Vec<_> =
                    cleaned.removals.iter().filter(|r| filter.shows(&r.rule, r.category.as_str())).collect();
                let mut counts = Vec::new();
                for r in &shown {
                    counts.push((
                        r.rule.to_string(),
                        r.category.as_str().to_string(),
                        (r.end - r.start) as u64,
                    ));
                }
                let mut d = DocOut {
                    order: doc.order,
                    name: doc.name.clone(),
                    diff: None,
                    json: Vec::new(),
                    per_rule: Vec::new(),
                };
                // A sample's threshold only falls: a document it does not want now it never will.
                let unwanted = sample.as_ref().is_some_and(|s| !s.wants(&doc.name));
                if args.stat || shown.is_empty() || unwanted {
                    return (d, counts);
                }
                match args.format {
                    DiffFormat::Json => {
                        d.json = shown
                            .iter()
                            .map(|r| {
                                serde_json::to_string(&RemovalRecord::new(&doc.name, r))
                                    .expect("serialisable")
                            })
                            .collect();
                    }
                    DiffFormat::Text if args.per_rule.is_some() => {
                        let mut fired: Vec<&str> = shown.iter().map(|r| &*r.rule).collect();
                        fired.dedup();
                        for rule in fired {
                            let only = Filter { rules: vec![rule.to_string()], categories: Vec::new() };
                            if let Some(text) =
                                render_diff(&doc.name, &doc.text, &cleaned, args.context, &only, style)
                            {
                                d.per_rule.push((rule.to_string(), text));
                            }
                        }
                    }
                    DiffFormat::Text => {
                        d.diff = render_diff(&doc.name, &doc.text, &cleaned, args.context, &filter, style)
                    }
                }
                (d, counts)
            })
            .collect();
        for (d, counts) in results {
            summary.add_counts(&counts);
            if counts.is_empty() {
                continue;
            }
            for (rule, text) in d.per_rule {
                let examples = per_rule.entry(rule).or_default();
                if examples.len() < args.per_rule.unwrap_or(0) {
                    examples.push(text);
                }
            }
            match &mut sample {
                Some(s) if d.diff.is_some() || !d.json.is_empty() => {
                    s.offer(&d.name, d.order, (d.diff, d.json))
                }
                Some(_) => {}
                None => emit(&mut out, d.diff, d.json)?,
            }
        }
        Ok(())
    })?;

    if let Some(s) = sample {
        for (diff, json) in s.into_sorted() {
            emit(&mut out, diff, json)?;
        }
    }
    for (rule, examples) in &per_rule {
        let hits = summary.rules.get(rule).map_or(0, |r| r.hits);
        writeln!(
            out,
            "{}",
            style_header(style, &format!("=== {rule}: {} of {hits} removals shown", examples.len()))
        )?;
        for e in examples {
            write!(out, "{e}")?;
        }
    }
    match args.format {
        DiffFormat::Json => {
            serde_json::to_writer(&mut out, &serde_json::json!({ "summary": summary }))?;
            writeln!(out)?;
        }
        DiffFormat::Text => write!(out, "{}", summary.table())?,
    }
    out.flush().context("writing to stdout")?;
    Ok(ExitCode::Success)
}

fn style_header(style: Style, text: &str) -> String {
    match style {
        Style::Plain => text.to_string(),
        Style::Color => format!("\x1b[1;35m{text}\x1b[0m"),
    }
}

fn emit(out: &mut impl Write, diff: Option<String>, json: Vec<String>) -> Result<()> {
    if let Some(d) = diff {
        write!(out, "{d}")?;
    }
    for line in json {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

pub fn explain(args: ExplainArgs) -> Result<ExitCode> {
    let rules = load(&args.rules)?;
    let inputs = discover(&args.input.paths, args.format)?;
    let mut found: Option<OwnedDoc> = None;
    read_docs(&inputs, &args.input.fields(), |batch: Vec<OwnedDoc>| -> Result<()> {
        if found.is_none() {
            found = batch.into_iter().find(|d| args.id.as_ref().is_none_or(|id| *id == d.name));
        }
        Ok(())
    })?;
    let Some(doc) = found else {
        match &args.id {
            Some(id) => bail!("no document with id {id:?} in the input"),
            None => bail!("no document in the input"),
        }
    };
    let url = doc.url.as_deref().or(args.input.url.as_deref());
    let lines = explain_doc(&rules, Document { text: &doc.text, url, lang: doc.lang.or(args.input.lang) });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{}", doc.name)?;
    write!(out, "{}", render_explain(&lines, style(args.color)))?;
    Ok(ExitCode::Success)
}
