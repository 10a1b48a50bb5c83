//! `deboil clean`: inputs → runner → stdout, an output file, or a mirrored output directory.

use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use deboil::io::jsonl::Fields;
use deboil::io::{AtomicFile, Format, InputFile, discover, open_input};
use deboil::runner::{Options, Runner, Stats, utf8_error};

use super::ExitCode;
use super::args::CleanArgs;
use super::rules_cmd::load;

/// Text documents read and cleaned together, in parallel.
const TEXT_BATCH: usize = 256;

pub fn run(args: CleanArgs) -> Result<ExitCode> {
    let rules = load(&args.rules)?;
    let inputs = discover(&args.paths, args.format)?;
    if inputs.is_empty() {
        bail!(
            "no input files found (directories are searched for .txt, .text, .jsonl, .ndjson, .json, optionally .gz/.zst)"
        );
    }
    let opts = Options {
        fields: Fields {
            text: args.text_field.clone(),
            id: args.id_field.clone(),
            url: args.url_field.clone(),
        },
        annotate: args.annotate.clone(),
        on_error: args.on_error,
        ..Options::default()
    };
    let runner = Runner::new(&rules, opts, args.jobs);
    let mut stats = Stats::default();
    let single_file = args.paths.len() == 1 && inputs.len() == 1 && !args.paths[0].is_dir();

    match &args.output {
        None => {
            let texts = inputs.iter().filter(|i| i.format == Format::Text).count();
            if inputs.len() > 1 && texts > 0 {
                bail!(
                    "{} inputs with text documents among them: give -o DIR to write one file per document",
                    inputs.len()
                );
            }
            let stdout = std::io::stdout();
            let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
            for input in &inputs {
                clean_into(&runner, input, &mut out, &mut stats)?;
            }
            out.flush().context("writing to stdout")?;
        }
        Some(target) if single_file => {
            refuse_overwrite(&inputs[0].path, target)?;
            let mut file = AtomicFile::create(target)
                .with_context(|| format!("{}: cannot create output", target.display()))?;
            clean_into(&runner, &inputs[0], &mut file, &mut stats)?;
            file.commit().with_context(|| format!("{}: cannot write output", target.display()))?;
        }
        Some(dir) => {
            for path in &args.paths {
                if path.is_dir() && is_within(dir, path) {
                    bail!(
                        "output directory {} is inside input directory {}: choose another",
                        dir.display(),
                        path.display()
                    );
                }
            }
            let (texts, others): (Vec<_>, Vec<_>) = inputs.iter().partition(|i| i.format == Format::Text);
            for input in others {
                let target = dir.join(&input.relative);
                refuse_overwrite(&input.path, &target)?;
                let mut file = AtomicFile::create(&target)
                    .with_context(|| format!("{}: cannot create output", target.display()))?;
                clean_into(&runner, input, &mut file, &mut stats)?;
                file.commit().with_context(|| format!("{}: cannot write output", target.display()))?;
            }
            for batch in texts.chunks(TEXT_BATCH) {
                clean_text_batch(&runner, batch, dir, &mut stats)?;
            }
        }
    }

    if let Some(path) = &args.stats {
        let mut file = AtomicFile::create(path)
            .with_context(|| format!("{}: cannot create stats file", path.display()))?;
        serde_json::to_writer_pretty(&mut file, &stats)?;
        file.write_all(b"\n")?;
        file.commit().with_context(|| format!("{}: cannot write stats file", path.display()))?;
    }
    if !args.quiet {
        eprintln!("{}", summary(&stats));
    }
    Ok(ExitCode::Success)
}

/// Cleans one input (JSONL streamed, text read whole) into `out`.
fn clean_into(runner: &Runner<'_>, input: &InputFile, out: &mut dyn Write, stats: &mut Stats) -> Result<()> {
    let reader = open_input(&input.path).with_context(|| format!("{}: cannot open", input.path.display()))?;
    match input.format {
        Format::Jsonl => runner.jsonl(reader, &input.path, out, stats)?,
        Format::Text => {
            let bytes = read_all(reader, &input.path)?;
            runner.text(&bytes, &input.path, out, stats)?;
        }
    }
    Ok(())
}

fn read_all(mut reader: impl Read, path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).with_context(|| format!("{}: cannot read", path.display()))?;
    Ok(bytes)
}

/// Cleans a batch of text documents in parallel, then writes each to its mirrored path.
fn clean_text_batch(runner: &Runner<'_>, batch: &[&InputFile], dir: &Path, stats: &mut Stats) -> Result<()> {
    let mut docs = Vec::with_capacity(batch.len());
    for input in batch {
        let reader =
            open_input(&input.path).with_context(|| format!("{}: cannot open", input.path.display()))?;
        docs.push(read_all(reader, &input.path)?);
    }
    let results = runner.texts(&docs);
    for ((input, bytes), result) in batch.iter().zip(&docs).zip(results) {
        let target = dir.join(&input.relative);
        refuse_overwrite(&input.path, &target)?;
        let mut file = AtomicFile::create(&target)
            .with_context(|| format!("{}: cannot create output", target.display()))?;
        match result {
            Ok(cleaned) => {
                stats.record(bytes.len(), &cleaned);
                file.write_all(cleaned.text.as_bytes())?;
            }
            Err(e) => {
                // The runner decides between failing and passing the bytes through.
                let err = utf8_error(&input.path, bytes, 1, e);
                runner.skip_or_fail(err, stats, || file.write_all(bytes), &target)?;
            }
        }
        file.commit().with_context(|| format!("{}: cannot write output", target.display()))?;
    }
    Ok(())
}

/// Refuses to write an output over one of the inputs.
fn refuse_overwrite(input: &Path, target: &Path) -> Result<()> {
    if input.as_os_str() == "-" {
        return Ok(());
    }
    if let (Ok(a), Some(b)) = (input.canonicalize(), canonical_target(target))
        && a == b
    {
        bail!(
            "output {} is the same file as input {}: refusing to overwrite it",
            target.display(),
            input.display()
        );
    }
    Ok(())
}

fn canonical_target(target: &Path) -> Option<PathBuf> {
    if let Ok(p) = target.canonicalize() {
        return Some(p);
    }
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(parent.canonicalize().ok()?.join(target.file_name()?))
}

fn is_within(inner: &Path, outer: &Path) -> bool {
    match (canonical_target(inner), outer.canonicalize()) {
        (Some(i), Ok(o)) => i.starts_with(o),
        _ => false,
    }
}

/// The one-paragraph summary printed on stderr.
pub fn summary(stats: &Stats) -> String {
    let pct =
        if stats.bytes_in == 0 { 0.0 } else { 100.0 * stats.bytes_removed as f64 / stats.bytes_in as f64 };
    let mut s = format!(
        "deboil: {} documents, {} changed, {} skipped; {} of {} bytes removed ({pct:.1}%)",
        stats.documents, stats.changed, stats.skipped, stats.bytes_removed, stats.bytes_in
    );
    let mut top: Vec<_> = stats.rules.iter().collect();
    top.sort_by(|a, b| b.1.hits.cmp(&a.1.hits).then(a.0.cmp(b.0)));
    if !top.is_empty() {
        let names: Vec<String> = top.iter().take(5).map(|(id, c)| format!("{id} ({})", c.hits)).collect();
        s.push_str(&format!("; top rules: {}", names.join(", ")));
    }
    s
}
