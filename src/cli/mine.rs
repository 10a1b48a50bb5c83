//! `deboil mine`: repeated lines per site → a draft rule pack for review.

use std::io::Write;
use std::time::Instant;

use crate::io::{AtomicFile, OwnedDoc, discover, read_docs};
use crate::lang::{Lang, detect};
use crate::mine::{MineOptions, Miner, NO_SITE, draft};
use crate::rules::host_of;
use anyhow::{Context, Result};
use rayon::prelude::*;

use super::ExitCode;
use super::args::MineArgs;
use super::progress;

/// A document ready to count: its site, its language and its distinct lines.
type Prepared = (String, Option<Lang>, Vec<(String, String)>);

pub fn run(args: MineArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let inputs = discover(&args.input.paths, args.format)?;
    if let Some(path) = &args.output {
        super::overwrite::refuse_any_input("draft", path, &inputs)?;
    }
    let total =
        || inputs.iter().map(|i| std::fs::metadata(&i.path).map(|m| m.len()).ok()).sum::<Option<u64>>();
    let bar = progress::bar(total, args.quiet);
    let opts = MineOptions {
        min_docs: args.min_docs,
        min_share: args.min_share,
        max_words: args.max_words,
        top: args.top,
    };
    let mut miner = Miner::new(opts);
    let text_url = args.input.url.clone();
    let given_lang = args.input.lang;
    read_docs(&inputs, &args.input.fields(), |batch: Vec<OwnedDoc>| -> Result<()> {
        let prepared: Vec<Prepared> = batch
            .par_iter()
            .map(|doc| {
                let site = doc
                    .url
                    .as_deref()
                    .or(text_url.as_deref())
                    .and_then(host_of)
                    .unwrap_or_else(|| NO_SITE.into());
                let lang = doc.lang.or(given_lang).or_else(|| detect(&doc.text));
                (site, lang, miner.lines_of(&doc.text))
            })
            .collect();
        let bytes: usize = batch.iter().map(|d| d.text.len()).sum();
        for (site, lang, lines) in prepared {
            miner.add(&site, lang, lines);
        }
        bar.inc(bytes as u64);
        bar.set_message(format!("{} documents", miner.documents()));
        Ok(())
    })?;
    bar.finish_and_clear();
    let ranked = miner.ranked();
    let text = draft(&ranked, miner.documents());
    match &args.output {
        Some(path) => {
            let mut file =
                AtomicFile::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
            file.write_all(text.as_bytes())?;
            file.commit().with_context(|| format!("{}: cannot write", path.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes()).context("writing to stdout")?,
    }
    if !args.quiet {
        eprintln!("{:>6} {:>6} {:>5}  {:<28} {:<4} line", "docs", "of", "share", "site", "lang");
        for c in ranked.iter().take(20) {
            let line: String = c.example.chars().take(70).collect();
            let lang = c.lang.map_or_else(|| "-".to_string(), |l| l.to_string());
            eprintln!(
                "{:>6} {:>6} {:>4.0}%  {:<28} {lang:<4} {line}",
                c.docs,
                c.site_docs,
                100.0 * c.share(),
                c.site
            );
        }
        eprintln!(
            "deboil mine: {} documents, {} candidates drafted, in {:.1} s",
            miner.documents(),
            ranked.len(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(ExitCode::Success)
}
