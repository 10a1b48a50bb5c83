//! `deboil report`: the HTML review page, written atomically.

use std::io::Write;

use crate::engine::{Document, clean_document};
use crate::io::{AtomicFile, OwnedDoc, discover, read_docs};
use crate::report::{BottomK, HtmlDoc, HtmlReport};
use anyhow::{Context, Result};
use rayon::prelude::*;

use super::ExitCode;
use super::args::ReportArgs;
use super::rules_cmd::load;

pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let rules = load(&args.rules)?;
    let inputs = discover(&args.input.paths, args.format)?;
    super::overwrite::refuse_any_input("report", &args.output, &inputs)?;
    let mut report = HtmlReport::new();
    let mut sample: BottomK<HtmlDoc> = BottomK::new(args.max_docs, args.seed);
    let text_url = args.input.url.clone();
    read_docs(&inputs, &args.input.fields(), |batch: Vec<OwnedDoc>| -> Result<()> {
        // Clean in parallel; render only documents that could enter the sample.
        let results: Vec<_> = batch
            .par_iter()
            .map(|doc| {
                let url = doc.url.as_deref().or(text_url.as_deref());
                let cleaned = clean_document(
                    &rules,
                    Document { text: &doc.text, url, lang: doc.lang.or(args.input.lang) },
                );
                let mut counted = HtmlReport::new();
                counted.count(&doc.text, &cleaned);
                // The sample's threshold only falls, so a document it does not want now it never will.
                let html = (cleaned.changed() && sample.wants(&doc.name))
                    .then(|| HtmlReport::document(&doc.name, &doc.text, &cleaned));
                (counted, html)
            })
            .collect();
        for (doc, (counted, html)) in batch.iter().zip(results) {
            report.merge(counted);
            if let Some(html) = html {
                sample.offer(&doc.name, doc.order, html);
            }
        }
        Ok(())
    })?;
    let paths: Vec<String> = args.input.paths.iter().map(|p| p.display().to_string()).collect();
    let subtitle =
        format!("{} — deboil {} — seed {}", paths.join(", "), env!("CARGO_PKG_VERSION"), args.seed);
    let page = report.render(&rules, &sample.into_sorted(), args.max_docs, &subtitle);
    let target = &args.output;
    let mut file =
        AtomicFile::create(target).with_context(|| format!("{}: cannot create report", target.display()))?;
    file.write_all(page.as_bytes()).with_context(|| format!("{}: cannot write report", target.display()))?;
    file.commit().with_context(|| format!("{}: cannot write report", target.display()))?;
    Ok(ExitCode::Success)
}
