//! Corpus runs: documents from readers go through the engine in parallel (rayon, in batches)
//! and come out in input order through one writer. Memory is bounded by the batch size times
//! the batches in flight (two read ahead, one being cleaned), whatever the corpus size.

pub mod dolma;
mod stages;
mod stats;

use std::borrow::Cow;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::{Cleaned, Document, clean_documents};
use crate::io::InputError;
use crate::io::jsonl::{Fields, Record};
use crate::rules::RuleSet;

pub use stages::in_stages;
pub use stats::{LISTED, RuleCount, Stats};

/// Default for `--max-removed`: a document losing more than this share of its characters is
/// left unchanged and flagged. See README.md for how it was chosen.
pub const DEFAULT_MAX_REMOVED: f64 = 0.7;

/// The field added to a JSONL record sent to the rejects file.
pub const REJECT_FIELD: &str = "deboil_reject";

/// What to do with a record or document that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OnError {
    /// Stop the run with the error (non-zero exit, no final output file).
    #[default]
    Fail,
    /// Pass the record through unchanged, count it and report it on stderr.
    Skip,
}

/// Options of a corpus run.
#[derive(Debug, Clone)]
pub struct Options {
    /// JSONL field names.
    pub fields: Fields,
    /// Add the removals to each JSONL record under this field.
    pub annotate: Option<String>,
    /// Error policy.
    pub on_error: OnError,
    /// Bytes of input per batch handed to the thread pool.
    pub batch_bytes: usize,
    /// Documents shorter than this (characters, after cleaning) are rejected.
    pub min_chars: Option<usize>,
    /// Documents the rules would strip of more than this share of characters are left as they
    /// are and flagged.
    pub max_removed: Option<f64>,
    /// The page URL of text documents (JSONL records carry their own), for site rules.
    pub text_url: Option<String>,
    /// The language of documents that do not name their own; `None` detects it.
    pub lang: Option<crate::lang::Lang>,
    /// Make a dolma attributes line for each JSONL record (see [`dolma`]),
    /// written to [`SideOutputs::attributes`].
    pub dolma_attributes: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            fields: Fields::default(),
            annotate: None,
            on_error: OnError::Fail,
            batch_bytes: 1 << 20,
            min_chars: None,
            max_removed: Some(DEFAULT_MAX_REMOVED),
            text_url: None,
            lang: None,
            dolma_attributes: false,
        }
    }
}

/// Where a JSONL run writes besides its output: the records rejected by `--min-chars`, and
/// the dolma attributes lines (one per record read, in order, when
/// [`Options::dolma_attributes`] is set).
#[derive(Default)]
pub struct SideOutputs<'w> {
    /// Rejected records.
    pub rejects: Option<&'w mut dyn Write>,
    /// dolma attributes lines.
    pub attributes: Option<&'w mut dyn Write>,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// An input could not be read or understood (with `--on-error fail`).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Output could not be written: the reason is the error's source.
    #[error("{path}: cannot write output")]
    Output {
        /// The output (`-` for stdout).
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

/// What became of one text document. Owns what it holds, so that a batch's outcomes can be
/// written on another thread while the next batch is cleaned.
#[derive(Debug)]
pub enum Outcome {
    /// Write this cleaned text.
    Cleaned(String),
    /// Write the original bytes: nothing was removed, or the document was flagged.
    Unchanged,
    /// Write the original bytes: the document could not be read (with `--on-error skip`).
    PassThrough,
    /// Send to the rejects file with this reason instead of writing.
    Reject(String),
}

/// What the run's policy makes of a cleaned document.
enum Verdict {
    Keep,
    Flag(f64),
    Reject(String),
}

/// Runs rules over documents with a thread pool of its own.
pub struct Runner<'r> {
    rules: &'r RuleSet,
    opts: Options,
    pool: rayon::ThreadPool,
}

/// A batch of whole JSONL lines and the 1-based number of its first line.
struct Batch {
    buf: Vec<u8>,
    first_line: usize,
}

/// What one chunk of a batch produced, in order.
#[derive(Default)]
struct ChunkOut {
    out: Vec<u8>,
    rejects: Vec<u8>,
    attributes: Vec<u8>,
    stats: Stats,
    error: Option<InputError>,
}

/// Documents cleaned together (see [`clean_documents`]): small chunks keep both threads busy
/// to the end of a batch (documents vary in size, and a thread done with its part of one
/// batch starts on the next); big enough ones let each rule's regexes run over many
/// documents in turn.
const CHUNK: usize = 64;

impl<'r> Runner<'r> {
    /// A runner with `jobs` threads (0: one per core).
    pub fn new(rules: &'r RuleSet, opts: Options, jobs: usize) -> Runner<'r> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("thread pool starts");
        Runner { rules, opts, pool }
    }

    /// The thread pool documents are cleaned on (for [`in_stages`]).
    pub fn pool(&self) -> &rayon::ThreadPool {
        &self.pool
    }

    /// The run's options.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// Applies `--max-removed` and `--min-chars` to a cleaned document.
    fn verdict(&self, input: &str, cleaned: &Cleaned<'_>) -> Verdict {
        if let Some(limit) = self.opts.max_removed
            && cleaned.changed()
        {
            let share = cleaned.removed_share(input);
            if share > limit {
                return Verdict::Flag(share);
            }
        }
        if let Some(min) = self.opts.min_chars {
            let n = cleaned.text.trim().chars().count();
            if n < min {
                return Verdict::Reject(format!("too short after cleaning: {n} < {min} characters"));
            }
        }
        Verdict::Keep
    }

    /// Cleans text documents (whole files' bytes) in parallel, a chunk of them at a time;
    /// outcomes come back in order.
    pub fn texts(&self, docs: &[(PathBuf, Vec<u8>)], stats: &mut Stats) -> Result<Vec<Outcome>, RunError> {
        let results: Vec<(Vec<Outcome>, Stats)> = self.pool.install(|| {
            docs.par_chunks(CHUNK)
                .map(|chunk| {
                    let mut s = Stats::default();
                    let outcomes = self.text_chunk(chunk, &mut s);
                    (outcomes, s)
                })
                .collect::<Vec<_>>()
        });
        let mut outcomes = Vec::with_capacity(docs.len());
        for (_, s) in &results {
            stats.add(s);
        }
        for ((path, bytes), outcome) in docs.iter().zip(results.into_iter().flat_map(|(o, _)| o)) {
            if let (Outcome::PassThrough, OnError::Fail) = (&outcome, self.opts.on_error) {
                let e = std::str::from_utf8(bytes).expect_err("pass-through means invalid UTF-8");
                return Err(InputError::utf8(path, bytes, e).into());
            }
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// Cleans some text documents together. Invalid UTF-8 gives [`Outcome::PassThrough`];
    /// [`Runner::texts`] turns it into an error under `--on-error fail`.
    fn text_chunk(&self, docs: &[(PathBuf, Vec<u8>)], stats: &mut Stats) -> Vec<Outcome> {
        let texts: Vec<Result<&str, _>> = docs.iter().map(|(_, bytes)| std::str::from_utf8(bytes)).collect();
        let valid: Vec<Document<'_, '_>> = texts
            .iter()
            .filter_map(|t| t.as_ref().ok())
            .map(|text| Document { text, url: self.opts.text_url.as_deref(), lang: self.opts.lang })
            .collect();
        let mut cleaned = clean_documents(self.rules, &valid).into_iter();
        docs.iter()
            .zip(&texts)
            .map(|((path, bytes), text)| match text {
                Ok(text) => {
                    let cleaned = cleaned.next().expect("one cleaned document per valid text");
                    self.text_outcome(text, path, cleaned, stats)
                }
                Err(e) => {
                    let err = InputError::utf8(path, bytes, *e);
                    stats.read(bytes.len());
                    if self.opts.on_error == OnError::Skip {
                        eprintln!("deboil: skipped: {err}");
                    }
                    stats.skip(err.to_string());
                    Outcome::PassThrough
                }
            })
            .collect()
    }

    /// What becomes of one cleaned text document.
    fn text_outcome(&self, text: &str, path: &Path, cleaned: Cleaned<'_>, stats: &mut Stats) -> Outcome {
        stats.read(text.len());
        match self.verdict(text, &cleaned) {
            Verdict::Keep => {
                stats.removals(&cleaned);
                match cleaned.text {
                    Cow::Owned(text) => Outcome::Cleaned(text),
                    Cow::Borrowed(_) => Outcome::Unchanged,
                }
            }
            Verdict::Flag(share) => {
                stats.flag(format!("{}: {:.0}%", path.display(), share * 100.0));
                Outcome::Unchanged
            }
            Verdict::Reject(reason) => {
                stats.rejected += 1;
                Outcome::Reject(reason)
            }
        }
    }

    /// Cleans a JSONL stream into `out` (rejected records and attributes into `side`), in input order,
    /// calling `written` with the stats so far after each batch is written (for a progress
    /// display). Three stages run at once: a thread reads batches ahead, another hands each to
    /// the pool, and this one writes the batch before (compressing, when the output is
    /// compressed).
    pub fn jsonl(
        &self,
        mut input: Box<dyn BufRead + Send + '_>,
        path: &Path,
        out: &mut dyn Write,
        mut side: SideOutputs<'_>,
        stats: &mut Stats,
        written: &mut dyn FnMut(&Stats),
    ) -> Result<(), RunError> {
        let batch_bytes = self.opts.batch_bytes.max(1);
        crate::io::jsonl::skip_bom(&mut input).map_err(|e| RunError::Input(InputError::io(path, e)))?;
        in_stages(
            &self.pool,
            |tx| read_batches(input, path, batch_bytes, tx),
            |batch| {
                let chunks = self.process(&batch.buf, batch.first_line, path);
                let last = chunks.iter().any(|c| c.error.is_some());
                Ok((chunks, last))
            },
            |chunks| {
                for chunk in chunks {
                    out.write_all(&chunk.out)
                        .map_err(|source| RunError::Output { path: "-".into(), source })?;
                    if let Some(r) = side.rejects.as_deref_mut() {
                        r.write_all(&chunk.rejects)
                            .map_err(|source| RunError::Output { path: "rejects".into(), source })?;
                    }
                    if let Some(a) = side.attributes.as_deref_mut() {
                        a.write_all(&chunk.attributes)
                            .map_err(|source| RunError::Output { path: "dolma attributes".into(), source })?;
                    }
                    stats.add(&chunk.stats);
                    if let Some(e) = chunk.error {
                        return Err(e.into());
                    }
                }
                written(stats);
                Ok(())
            },
        )
    }

    /// A batch of whole JSONL lines (`buf`, its first being line `first_line`), in chunks on the
    /// pool.
    fn process(&self, buf: &[u8], first_line: usize, path: &Path) -> Vec<ChunkOut> {
        let mut lines = Vec::new();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', buf) {
            lines.push((start, end + 1));
            start = end + 1;
        }
        if start < buf.len() {
            lines.push((start, buf.len()));
        }
        self.pool.install(|| {
            lines
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(ci, chunk)| self.chunk(buf, chunk, path, first_line + ci * CHUNK))
                .collect()
        })
    }

    /// For the per-stage benchmark: the bytes of output a batch of whole JSONL lines makes,
    /// through the whole per-batch path (parse, clean, verdicts and stats, write).
    #[doc(hidden)]
    pub fn bench_batch(&self, buf: &[u8]) -> usize {
        self.process(buf, 1, Path::new("bench.jsonl")).iter().map(|c| c.out.len()).sum()
    }

    /// Some consecutive JSONL lines (byte ranges of `buf`, the first being line `first_line`):
    /// parsed, cleaned together, written in order. Under `--on-error fail`, the chunk stops at
    /// its first bad record, with the records before it written.
    fn chunk(&self, buf: &[u8], lines: &[(usize, usize)], path: &Path, first_line: usize) -> ChunkOut {
        let mut out = ChunkOut::default();
        // Room for the records as they came: cleaning only shortens them (an annotation may
        // still grow the buffer).
        out.out.reserve(lines.iter().map(|(s, e)| e - s).sum());
        let mut entries = Vec::with_capacity(lines.len());
        for (k, &(s, e)) in lines.iter().enumerate() {
            let raw = buf[s..e].trim_ascii();
            if raw.is_empty() {
                continue;
            }
            let line_no = first_line + k;
            match self.parse(raw, path, line_no) {
                Ok(record) => entries.push(Entry::Record { record, raw, line_no }),
                Err(err) if self.opts.on_error == OnError::Skip => {
                    eprintln!("deboil: skipped: {err}");
                    out.stats.read(raw.len());
                    out.stats.skip(err.to_string());
                    entries.push(Entry::PassThrough(raw, line_no));
                }
                Err(err) => {
                    out.error = Some(err);
                    break;
                }
            }
        }
        let docs: Vec<Document<'_, '_>> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Record { record, .. } => Some(Document {
                    text: &record.text,
                    url: record.url.as_deref(),
                    lang: record.lang.or(self.opts.lang),
                }),
                Entry::PassThrough(..) => None,
            })
            .collect();
        let mut cleaned = clean_documents(self.rules, &docs).into_iter();
        for entry in &entries {
            match entry {
                Entry::Record { record, raw, line_no } => {
                    let cleaned = cleaned.next().expect("one cleaned document per record");
                    self.write_record(record, raw, path, *line_no, cleaned, &mut out);
                }
                Entry::PassThrough(raw, line_no) => {
                    out.out.extend_from_slice(raw);
                    out.out.push(b'\n');
                    if self.opts.dolma_attributes {
                        let id = serde_json::to_string(&format!("{}:{line_no}", path.display()))
                            .expect("a string serialises");
                        out.attributes.extend_from_slice(dolma::attributes_line(&id, &[]).as_bytes());
                    }
                }
            }
        }
        out
    }

    /// One JSONL line (trimmed, not blank) parsed as a record.
    fn parse<'a>(&self, raw: &'a [u8], path: &Path, line_no: usize) -> Result<Record<'a>, InputError> {
        let line = std::str::from_utf8(raw).map_err(|e| InputError::Utf8 {
            path: path.into(),
            line: line_no,
            offset: e.valid_up_to(),
        })?;
        Record::parse(line, &self.opts.fields, self.opts.annotate.as_deref())
            .map_err(|message| InputError::Record { path: path.into(), line: line_no, message })
    }

    /// Writes a cleaned record (`raw` is its line as read) to the output or the rejects.
    fn write_record(
        &self,
        record: &Record<'_>,
        raw: &[u8],
        path: &Path,
        line_no: usize,
        cleaned: Cleaned<'_>,
        out: &mut ChunkOut,
    ) {
        let text: &str = &record.text;
        out.stats.read(text.len());
        let name = || match &record.id {
            Some(id) => format!("{}:{line_no} ({id})", path.display()),
            None => format!("{}:{line_no}", path.display()),
        };
        let verdict = self.verdict(text, &cleaned);
        if self.opts.dolma_attributes {
            // A flagged record is written unchanged: no spans. A rejected one keeps the spans
            // of its cleaning (it is in the documents the attributes line up with).
            let spans = match verdict {
                Verdict::Flag(_) => Vec::new(),
                _ => dolma::spans(text, &cleaned),
            };
            let id = match record.id_json {
                Some(id) => Cow::Borrowed(id),
                None => Cow::Owned(
                    serde_json::to_string(&format!("{}:{line_no}", path.display()))
                        .expect("a string serialises"),
                ),
            };
            out.attributes.extend_from_slice(dolma::attributes_line(&id, &spans).as_bytes());
        }
        let cleaned = match verdict {
            Verdict::Keep => cleaned,
            Verdict::Flag(share) => {
                out.stats.flag(format!("{}: {:.0}%", name(), share * 100.0));
                Cleaned { text: Cow::Borrowed(text), removals: Vec::new() }
            }
            Verdict::Reject(reason) => {
                out.stats.rejected += 1;
                let reason = serde_json::to_string(&reason).expect("a string serialises");
                record.write_to(&mut out.rejects, text, Some((REJECT_FIELD, &reason)));
                return;
            }
        };
        out.stats.removals(&cleaned);
        match &self.opts.annotate {
            Some(field) => {
                record.write_to(&mut out.out, &cleaned.text, Some((field, &annotation_json(&cleaned))))
            }
            None if !cleaned.changed() => {
                out.out.extend_from_slice(raw);
                out.out.push(b'\n');
            }
            None => record.write_to(&mut out.out, &cleaned.text, None),
        }
    }
}

/// A JSONL line of a chunk, once parsed.
enum Entry<'a> {
    /// A record, its line as read (trimmed), and its line number.
    Record { record: Record<'a>, raw: &'a [u8], line_no: usize },
    /// A bad line passed through as it was (`--on-error skip`), and its line number.
    PassThrough(&'a [u8], usize),
}

/// The `--annotate` value: `[{"start","end","rule"}]`, byte offsets in the original text, and
/// `"score"` on removals the line classifier made or joined.
fn annotation_json(cleaned: &Cleaned<'_>) -> String {
    #[derive(Serialize)]
    struct Span<'a> {
        start: usize,
        end: usize,
        rule: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        score: Option<f32>,
    }
    let spans: Vec<Span<'_>> = cleaned
        .removals
        .iter()
        .map(|r| Span { start: r.start, end: r.end, rule: &r.rule, score: r.score.map(round3) })
        .collect();
    serde_json::to_string(&spans).expect("serialising spans")
}

/// A probability to three decimals, as reports show it.
fn round3(p: f32) -> f32 {
    (p * 1000.0).round() / 1000.0
}

/// Reads whole lines in batches of about `batch_bytes` and sends them on. Reads go straight
/// into the batch (a large read bypasses the reader's own buffer); the partial line at the end
/// of a read moves on to the next batch.
fn read_batches(
    mut input: Box<dyn BufRead + Send + '_>,
    path: &Path,
    batch_bytes: usize,
    tx: &SyncSender<Result<Batch, RunError>>,
) {
    /// The smallest read: larger than the reader's buffer, so that it is bypassed.
    const READ: usize = 1 << 17;
    let mut line_no = 1;
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let mut buf = Vec::with_capacity(batch_bytes.max(carry.len()) + READ);
        buf.append(&mut carry);
        let mut has_newline = memchr::memchr(b'\n', &buf).is_some();
        let mut eof = false;
        // Full enough and holding a whole line, or at the end of the input.
        while buf.len() < batch_bytes || !has_newline {
            let len = buf.len();
            buf.reserve(READ);
            // Into the vector's spare room, without zeroing it first.
            match input.by_ref().take(READ as u64).read_to_end(&mut buf) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(_) => has_newline = has_newline || memchr::memchr(b'\n', &buf[len..]).is_some(),
                Err(e) => {
                    let _ = tx.send(Err(RunError::Input(InputError::io(path, e))));
                    return;
                }
            }
        }
        let cut = if eof { buf.len() } else { memchr::memrchr(b'\n', &buf).map_or(buf.len(), |k| k + 1) };
        carry.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        let first_line = line_no;
        line_no += memchr::memchr_iter(b'\n', &buf).count();
        if buf.is_empty() || tx.send(Ok(Batch { buf, first_line })).is_err() {
            return;
        }
        if eof {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc::sync_channel;

    use super::*;

    /// A JSONL stream of many batches reports its stats after each one is written, growing to
    /// the totals (the progress bar's document count follows them within a file).
    #[test]
    fn jsonl_reports_stats_batch_by_batch() {
        let rules = crate::RuleSet::defaults();
        // Reads take at least 128 KiB: about 900 KB of records make several batches.
        let opts = Options { batch_bytes: 1, ..Options::default() };
        let runner = Runner::new(&rules, opts, 2);
        let input: String =
            (0..20_000).map(|i| format!("{{\"id\":{i},\"text\":\"Line {i}.\\nAdvertisement\"}}\n")).collect();
        let (mut out, mut stats, mut seen) = (Vec::new(), Stats::default(), Vec::new());
        let reader = Box::new(std::io::Cursor::new(input.into_bytes()));
        runner
            .jsonl(reader, Path::new("t"), &mut out, SideOutputs::default(), &mut stats, &mut |s| {
                seen.push(s.documents)
            })
            .unwrap();
        assert!(seen.len() >= 5, "{} reports", seen.len());
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
        assert_eq!((seen.last().copied(), stats.documents, stats.changed), (Some(20_000), 20_000, 20_000));
    }

    /// Batches hold whole lines, in order, numbered from their first line, whatever the batch
    /// size against the line lengths (longer lines than a batch, a last line without newline).
    #[test]
    fn batches_hold_whole_lines_in_order() {
        let mut input = String::new();
        for i in 0..3000 {
            input.push_str(&"x".repeat(i % 700));
            input.push('\n');
        }
        input.push_str("last line without newline");
        for batch_bytes in [1, 100, 4096, 1 << 20] {
            let (tx, rx) = sync_channel(4);
            let reader = Box::new(std::io::Cursor::new(input.clone().into_bytes()));
            std::thread::scope(|s| {
                s.spawn(move || read_batches(reader, Path::new("test"), batch_bytes, &tx));
                let mut joined = Vec::new();
                let mut line = 1;
                for batch in rx {
                    let batch = batch.unwrap();
                    assert_eq!(batch.first_line, line, "batch size {batch_bytes}");
                    line += memchr::memchr_iter(b'\n', &batch.buf).count();
                    assert!(joined.is_empty() || joined.ends_with(b"\n"));
                    joined.extend_from_slice(&batch.buf);
                }
                assert_eq!(joined, input.as_bytes(), "batch size {batch_bytes}");
            });
        }
    }
}
