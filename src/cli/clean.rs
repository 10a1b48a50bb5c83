//! `deboil clean`: inputs → runner → stdout, an output file, a mirrored output directory, or
//! the inputs themselves (`--in-place`). Every output file is written atomically.

use std::fs::File;
use std::io::{BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use crate::io::{AtomicFile, Format, InputFile, discover, open_reader};
use crate::runner::{Options, Outcome, Runner, SideOutputs, Stats, in_stages};
use anyhow::{Context, Result, bail};
use indicatif::ProgressBar;
use serde::Serialize;

use super::ExitCode;
use super::args::CleanArgs;
use super::overwrite::{refuse_any_input, refuse_overwrite};
use super::progress::{self, Counting};
use super::rules_cmd::load;

/// At most this many text documents are read and cleaned together (fewer once they reach the
/// batch size in bytes).
const TEXT_BATCH: usize = 256;

/// Where cleaned documents go.
enum Dest {
    /// Standard output (one input, or JSONL inputs concatenated).
    Stdout,
    /// One output file for the one input.
    File(PathBuf),
    /// A directory mirroring the inputs' tree.
    Dir(PathBuf),
    /// Each input replaced by its cleaned version.
    InPlace,
}

pub fn run(args: CleanArgs) -> Result<ExitCode> {
    let rules = load(&args.rules)?;
    let mut inputs = discover(&args.input.paths, args.format)?;
    if let Some((i, n)) = args.shard {
        inputs = inputs.into_iter().enumerate().filter(|(k, _)| k % n == i).map(|(_, f)| f).collect();
    }
    if inputs.is_empty() && args.shard.is_none() {
        bail!(
            "no input files found (directories are searched for .txt, .text, .jsonl, .ndjson, .json, optionally .gz/.zst)"
        );
    }
    if !(args.max_removed > 0.0 && args.max_removed <= 1.0) {
        bail!("--max-removed must be a fraction in (0, 1], got {}", args.max_removed);
    }
    let dest = destination(&args, &inputs)?;
    refuse_side_file_clashes(&args, &inputs)?;
    if let Some(dir) = &args.dolma_attributes {
        check_attributes_dir(dir, &args, &inputs, &dest)?;
    }
    let opts = Options {
        fields: args.input.fields(),
        annotate: args.annotate.clone(),
        on_error: args.on_error,
        min_chars: args.min_chars,
        max_removed: (args.max_removed < 1.0).then_some(args.max_removed),
        text_url: args.input.url.clone(),
        lang: args.input.lang,
        dolma_attributes: args.dolma_attributes.is_some(),
        ..Options::default()
    };
    let runner = Runner::new(&rules, opts, args.jobs);
    let total =
        || inputs.iter().map(|i| std::fs::metadata(&i.path).map(|m| m.len()).ok()).sum::<Option<u64>>();
    let mut job = Job {
        runner: &runner,
        dest,
        stats: Stats::default(),
        rejects: match &args.rejects {
            Some(p) => Some(
                AtomicFile::create(p)
                    .with_context(|| format!("{}: cannot create rejects file", p.display()))?,
            ),
            None => None,
        },
        attributes: args.dolma_attributes.clone(),
        bar: progress::bar(total, args.quiet),
        stdout: BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
    };

    // Consecutive text documents go through the pipeline together; JSONL files one by one.
    let mut texts: Vec<&InputFile> = Vec::new();
    for input in &inputs {
        if input.format == Format::Text {
            texts.push(input);
        } else {
            job.texts(&std::mem::take(&mut texts))?;
            job.jsonl(input)?;
        }
    }
    job.texts(&texts)?;
    job.stdout.flush().context("writing to stdout")?;
    job.bar.finish_and_clear();
    if let Some(file) = job.rejects.take() {
        let path = file.target().to_path_buf();
        file.commit().with_context(|| format!("{}: cannot write rejects file", path.display()))?;
    }
    if let Some(path) = &args.stats {
        let mut file = AtomicFile::create(path)
            .with_context(|| format!("{}: cannot create stats file", path.display()))?;
        serde_json::to_writer_pretty(&mut file, &job.stats)?;
        file.write_all(b"\n")?;
        file.commit().with_context(|| format!("{}: cannot write stats file", path.display()))?;
    }
    if !args.quiet {
        eprintln!("{}", job.stats.summary());
    }
    Ok(ExitCode::Success)
}

/// Decides where output goes, refusing outputs that would overwrite or feed back into inputs.
fn destination(args: &CleanArgs, inputs: &[InputFile]) -> Result<Dest> {
    if args.in_place {
        if inputs.iter().any(|i| i.path.as_os_str() == "-") {
            bail!("--in-place cannot replace stdin");
        }
        return Ok(Dest::InPlace);
    }
    // `-o -` is stdout, as `-` is stdin among the inputs (not a file named `-`).
    let Some(target) = args.output.as_ref().filter(|p| p.as_os_str() != "-") else {
        let texts = inputs.iter().filter(|i| i.format == Format::Text).count();
        if inputs.len() > 1 && texts > 0 {
            bail!(
                "{} inputs with text documents among them: give -o DIR to write one file per document",
                inputs.len()
            );
        }
        return Ok(Dest::Stdout);
    };
    // `-o` names a file for one input file, unless it is a directory already or ends in `/`
    // (then the file goes into it, as `cp` does).
    let names_dir =
        target.is_dir() || target.as_os_str().to_string_lossy().ends_with(std::path::MAIN_SEPARATOR);
    let single_file = args.input.paths.len() == 1 && !args.input.paths[0].is_dir();
    if single_file && !names_dir {
        if let Some(input) = inputs.first() {
            refuse_overwrite(&input.path, target)?;
        }
        return Ok(Dest::File(target.clone()));
    }
    if inputs.iter().any(|i| i.path.as_os_str() == "-") {
        bail!(
            "stdin (-) has no file name to write under output directory {}: clean it on its own, with -o FILE or to stdout",
            target.display()
        );
    }
    refuse_inside_inputs("output directory", target, args)?;
    // Nothing under an output directory that does not exist yet can be an input.
    if target.exists() {
        for input in inputs {
            refuse_overwrite(&input.path, &target.join(&input.relative))?;
        }
    }
    Ok(Dest::Dir(target.clone()))
}

/// Refuses a `--rejects` or `--stats` file that is an input, the output, a directory, or the
/// other one of the two (the last file renamed into place would win, and an input would be
/// lost). A device or a pipe, such as `/dev/null`, may take both.
fn refuse_side_file_clashes(args: &CleanArgs, inputs: &[InputFile]) -> Result<()> {
    let sides: Vec<(&str, &Path)> = [("--rejects", &args.rejects), ("--stats", &args.stats)]
        .into_iter()
        .filter_map(|(flag, path)| Some((flag, path.as_deref()?)))
        .collect();
    let output = args.output.as_deref().filter(|p| p.as_os_str() != "-");
    for (k, &(flag, side)) in sides.iter().enumerate() {
        let meta = std::fs::metadata(side).ok();
        if meta.as_ref().is_some_and(|m| m.is_dir()) {
            bail!("{flag} {} is a directory: give a file", side.display());
        }
        if meta.as_ref().is_some_and(|m| !m.is_file()) {
            continue;
        }
        refuse_any_input(flag, side, inputs)?;
        let same = |other: &Path| same_file(side, other);
        if output.is_some_and(same) {
            bail!("{flag} {} is also the output (-o): give it a file of its own", side.display());
        }
        if let Some((other, _)) = sides[..k].iter().find(|(_, p)| same(p)) {
            bail!("{other} and {flag} name the same file {}: give each a file of its own", side.display());
        }
    }
    Ok(())
}

/// Refuses a `--dolma-attributes` directory that cannot take one attributes file per input:
/// text inputs (dolma attributes line up with JSONL records), stdin (no name to write under),
/// a path that is not a directory, a directory inside an input directory or the same as the
/// output directory, and attributes files that would replace an input or the output.
fn check_attributes_dir(dir: &Path, args: &CleanArgs, inputs: &[InputFile], dest: &Dest) -> Result<()> {
    if let Some(text) = inputs.iter().find(|i| i.format == Format::Text) {
        bail!(
            "--dolma-attributes needs JSONL input (dolma attributes line up with the records of a documents file): {} is a text document",
            text.path.display()
        );
    }
    if inputs.iter().any(|i| i.path.as_os_str() == "-") {
        bail!("--dolma-attributes: stdin (-) has no file name to write an attributes file under");
    }
    if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        bail!("--dolma-attributes {} is not a directory: give a directory", dir.display());
    }
    refuse_inside_inputs("--dolma-attributes directory", dir, args)?;
    if let Dest::Dir(out) = dest
        && same_file(out, dir)
    {
        bail!(
            "--dolma-attributes {} is also the output directory (-o): give it a directory of its own",
            dir.display()
        );
    }
    for input in inputs {
        let target = dir.join(&input.relative);
        refuse_any_input("--dolma-attributes file", &target, inputs)?;
        let same = |other: &Path| same_file(&target, other);
        let output = match dest {
            Dest::File(p) => Some(p.clone()),
            Dest::InPlace => Some(input.path.clone()),
            Dest::Dir(_) | Dest::Stdout => None,
        };
        if output.as_deref().is_some_and(same)
            || [&args.rejects, &args.stats].into_iter().flatten().any(|p| same(p))
        {
            bail!(
                "--dolma-attributes file {} is also an output of this run: choose another directory",
                target.display()
            );
        }
    }
    Ok(())
}

/// The state of one `clean` run.
struct Job<'a, 'r> {
    runner: &'a Runner<'r>,
    dest: Dest,
    stats: Stats,
    rejects: Option<AtomicFile>,
    /// `--dolma-attributes`: the directory the attributes files mirror the inputs into.
    attributes: Option<PathBuf>,
    bar: ProgressBar,
    stdout: BufWriter<std::io::StdoutLock<'static>>,
}

/// A batch of text documents as read: each input's path and bytes.
type TextBatch = Vec<(PathBuf, Vec<u8>)>;

/// A cleaned batch: the documents, what became of each, and the batch's counts.
type CleanedBatch = (TextBatch, Vec<Outcome>, Stats);

/// Opens an input (a file, or stdin for `-`), decompressing by name and magic bytes and
/// counting bytes read on the progress bar.
fn open(input: &InputFile, bar: &ProgressBar) -> Result<Box<dyn BufRead + Send>> {
    let path = &input.path;
    let reader = if path.as_os_str() == "-" {
        open_reader(Counting::new(std::io::stdin(), bar.clone()))
    } else {
        let file = File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
        open_reader(Counting::new(file, bar.clone()))
    };
    reader.with_context(|| format!("{}: cannot read", path.display()))
}

/// Reads the whole of an input.
fn read_text(input: &InputFile, bar: &ProgressBar) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open(input, bar)?
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: cannot read", input.path.display()))?;
    Ok(bytes)
}

impl Job<'_, '_> {
    fn target(&self, input: &InputFile) -> Option<PathBuf> {
        match &self.dest {
            Dest::Stdout => None,
            Dest::File(p) => Some(p.clone()),
            Dest::Dir(d) => Some(d.join(&input.relative)),
            Dest::InPlace => Some(input.path.clone()),
        }
    }

    /// Streams one JSONL input to its destination.
    fn jsonl(&mut self, input: &InputFile) -> Result<()> {
        let reader = open(input, &self.bar)?;
        let target = self.target(input);
        let mut attributes = match &self.attributes {
            Some(dir) => {
                let path = dir.join(&input.relative);
                let file = AtomicFile::create(&path)
                    .with_context(|| format!("{}: cannot create dolma attributes file", path.display()))?;
                Some(file)
            }
            None => None,
        };
        let side = SideOutputs {
            rejects: self.rejects.as_mut().map(|r| r as &mut dyn Write),
            attributes: attributes.as_mut().map(|a| a as &mut dyn Write),
        };
        let bar = &self.bar;
        let progress = &mut |stats: &Stats| bar.set_message(format!("{} documents", stats.documents));
        match target {
            None => {
                self.runner.jsonl(reader, &input.path, &mut self.stdout, side, &mut self.stats, progress)?
            }
            Some(target) => {
                let mut file = create(&target)?;
                self.runner.jsonl(reader, &input.path, &mut file, side, &mut self.stats, progress)?;
                file.commit().with_context(|| format!("{}: cannot write output", target.display()))?;
            }
        }
        if let Some(file) = attributes {
            let path = file.target().to_path_buf();
            file.commit()
                .with_context(|| format!("{}: cannot write dolma attributes file", path.display()))?;
        }
        Ok(())
    }

    /// Cleans text documents, in batches, each written in order to its own destination. Three
    /// stages run at once: a thread reads the next batch, another hands the current one to
    /// the pool, and this one writes the batch before.
    fn texts(&mut self, inputs: &[&InputFile]) -> Result<()> {
        if inputs.is_empty() {
            return Ok(());
        }
        let (runner, bar) = (self.runner, self.bar.clone());
        let batch_bytes = runner.options().batch_bytes;
        let mut written = 0;
        in_stages(
            runner.pool(),
            |tx: &SyncSender<Result<TextBatch>>| {
                let (mut docs, mut size) = (TextBatch::new(), 0);
                for input in inputs {
                    let bytes = match read_text(input, &bar) {
                        Ok(bytes) => bytes,
                        Err(e) => {
                            // What was read before goes on; then the error stops the run.
                            let _ = tx.send(Ok(docs)).and_then(|()| tx.send(Err(e)));
                            return;
                        }
                    };
                    size += bytes.len();
                    docs.push((input.path.clone(), bytes));
                    if docs.len() == TEXT_BATCH || size >= batch_bytes {
                        // A closed channel means a later stage stopped on an error.
                        if tx.send(Ok(std::mem::take(&mut docs))).is_err() {
                            return;
                        }
                        size = 0;
                    }
                }
                if !docs.is_empty() {
                    let _ = tx.send(Ok(docs));
                }
            },
            |docs| {
                let mut stats = Stats::default();
                let outcomes = runner.texts(&docs, &mut stats)?;
                Ok(((docs, outcomes, stats), false))
            },
            |(docs, outcomes, stats): CleanedBatch| {
                self.stats.add(&stats);
                let batch = &inputs[written..written + docs.len()];
                written += docs.len();
                for ((input, (_, bytes)), outcome) in batch.iter().zip(&docs).zip(outcomes) {
                    self.write_text(input, bytes, outcome)?;
                }
                self.bar.set_message(format!("{} documents", self.stats.documents));
                Ok(())
            },
        )
    }

    /// Writes one text document's outcome to its destination.
    fn write_text(&mut self, input: &InputFile, bytes: &[u8], outcome: Outcome) -> Result<()> {
        let text: &[u8] = match &outcome {
            Outcome::Cleaned(text) => text.as_bytes(),
            Outcome::Unchanged | Outcome::PassThrough => bytes,
            Outcome::Reject(reason) => return self.reject(input, bytes, reason),
        };
        match self.target(input) {
            None => self.stdout.write_all(text).context("writing to stdout")?,
            Some(target) => {
                let mut file = create(&target)?;
                file.write_all(text).with_context(|| format!("{}: cannot write output", target.display()))?;
                file.commit().with_context(|| format!("{}: cannot write output", target.display()))?;
            }
        }
        Ok(())
    }

    /// Writes a rejected text document to the rejects file as a JSON line.
    fn reject(&mut self, input: &InputFile, bytes: &[u8], reason: &str) -> Result<()> {
        #[derive(Serialize)]
        struct Rejected<'a> {
            path: String,
            deboil_reject: &'a str,
            text: std::borrow::Cow<'a, str>,
        }
        let Some(file) = self.rejects.as_mut() else { return Ok(()) };
        let rec = Rejected {
            path: input.path.display().to_string(),
            deboil_reject: reason,
            text: String::from_utf8_lossy(bytes),
        };
        serde_json::to_writer(&mut *file, &rec)?;
        file.write_all(b"\n")?;
        Ok(())
    }
}

fn create(target: &Path) -> Result<AtomicFile> {
    AtomicFile::create(target).with_context(|| format!("{}: cannot create output", target.display()))
}

fn canonical_target(target: &Path) -> Option<PathBuf> {
    if let Ok(p) = target.canonicalize() {
        return Some(p);
    }
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(parent.canonicalize().ok()?.join(target.file_name()?))
}

/// Whether two paths (existing or not) name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    canonical_target(a).is_some_and(|a| canonical_target(b) == Some(a))
}

/// Refuses an output directory (`what`) inside one of the input directories.
fn refuse_inside_inputs(what: &str, dir: &Path, args: &CleanArgs) -> Result<()> {
    for path in &args.input.paths {
        if path.is_dir() && is_within(dir, path) {
            bail!("{what} {} is inside input directory {}: choose another", dir.display(), path.display());
        }
    }
    Ok(())
}

fn is_within(inner: &Path, outer: &Path) -> bool {
    match (canonical_target(inner), outer.canonicalize()) {
        (Some(i), Ok(o)) => i.starts_with(o),
        _ => false,
    }
}

/// `deboil stats FILES...`: the field-by-field sum of `--stats` files, as JSON on stdout.
pub fn sum_stats(files: &[PathBuf]) -> Result<ExitCode> {
    let mut total = Stats::default();
    for path in files {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
        let stats: Stats = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a deboil --stats file", path.display()))?;
        total.add(&stats);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, &total)?;
    writeln!(out)?;
    Ok(ExitCode::Success)
}
