//! Corpus runs: documents from readers go through the engine in parallel (rayon, in batches)
//! and come out in input order through one writer. Memory is bounded by the batch size times
//! the batches in flight, whatever the corpus size.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::{Cleaned, Document, clean_document};
use crate::io::InputError;
use crate::io::jsonl::{Fields, Record};
use crate::rules::RuleSet;

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
}

impl Default for Options {
    fn default() -> Options {
        Options { fields: Fields::default(), annotate: None, on_error: OnError::Fail, batch_bytes: 4 << 20 }
    }
}

/// Counts for one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RuleCount {
    /// Removals credited to the rule.
    pub hits: u64,
    /// Bytes those removals cover.
    pub bytes: u64,
    /// Documents with at least one such removal.
    pub documents: u64,
}

/// Counts of a run; sums across shards by adding fields (see [`Stats::add`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Stats {
    /// Documents read.
    pub documents: u64,
    /// Documents with at least one removal.
    pub changed: u64,
    /// Documents passed through unchanged because they could not be read (`--on-error skip`).
    pub skipped: u64,
    /// Bytes of document text read.
    pub bytes_in: u64,
    /// Bytes removed by rules.
    pub bytes_removed: u64,
    /// Per rule id.
    pub rules: BTreeMap<String, RuleCount>,
    /// Per category.
    pub categories: BTreeMap<String, RuleCount>,
    /// The errors skipped, as messages (file:line: reason).
    pub errors: Vec<String>,
}

impl Stats {
    /// Adds another run's counts into this one.
    pub fn add(&mut self, other: &Stats) {
        self.documents += other.documents;
        self.changed += other.changed;
        self.skipped += other.skipped;
        self.bytes_in += other.bytes_in;
        self.bytes_removed += other.bytes_removed;
        for (map, theirs) in [(&mut self.rules, &other.rules), (&mut self.categories, &other.categories)] {
            for (k, v) in theirs {
                let c = map.entry(k.clone()).or_default();
                c.hits += v.hits;
                c.bytes += v.bytes;
                c.documents += v.documents;
            }
        }
        self.errors.extend(other.errors.iter().cloned());
    }

    /// Counts one cleaned document.
    pub fn record(&mut self, input_len: usize, cleaned: &Cleaned<'_>) {
        self.documents += 1;
        self.bytes_in += input_len as u64;
        if !cleaned.changed() {
            return;
        }
        self.changed += 1;
        self.bytes_removed += cleaned.removed_bytes() as u64;
        let mut seen: Vec<(bool, &str)> = Vec::new();
        for r in &cleaned.removals {
            for (is_rule, map, key) in
                [(true, &mut self.rules, &*r.rule), (false, &mut self.categories, r.category.as_str())]
            {
                let c = map.entry(key.to_string()).or_default();
                c.hits += 1;
                c.bytes += (r.end - r.start) as u64;
                if !seen.contains(&(is_rule, key)) {
                    c.documents += 1;
                    seen.push((is_rule, key));
                }
            }
        }
    }
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// An input could not be read or understood (with `--on-error fail`).
    #[error(transparent)]
    Input(#[from] InputError),
    /// Output could not be written.
    #[error("{path}: cannot write output: {source}")]
    Output {
        /// The output (`-` for stdout).
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
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

/// What one chunk of a batch produced.
struct ChunkOut {
    bytes: Vec<u8>,
    stats: Stats,
    error: Option<InputError>,
}

impl<'r> Runner<'r> {
    /// A runner with `jobs` threads (0: one per core).
    pub fn new(rules: &'r RuleSet, opts: Options, jobs: usize) -> Runner<'r> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("thread pool starts");
        Runner { rules, opts, pool }
    }

    /// Cleans one text document (a whole file's bytes) into `out`.
    pub fn text(
        &self,
        bytes: &[u8],
        path: &Path,
        out: &mut dyn Write,
        stats: &mut Stats,
    ) -> Result<(), RunError> {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let err = utf8_error(path, bytes, 1, e);
                return self.skip_or_fail(err, stats, || out.write_all(bytes), path);
            }
        };
        let cleaned = clean_document(self.rules, Document { text, url: None });
        stats.record(text.len(), &cleaned);
        out.write_all(cleaned.text.as_bytes()).map_err(|source| RunError::Output { path: "-".into(), source })
    }

    /// Cleans several text documents at once, in parallel; results come back in order.
    pub fn texts<'a>(&self, docs: &'a [Vec<u8>]) -> Vec<Result<Cleaned<'a>, std::str::Utf8Error>> {
        self.pool.install(|| {
            docs.par_iter()
                .map(|bytes| {
                    std::str::from_utf8(bytes)
                        .map(|t| clean_document(self.rules, Document { text: t, url: None }))
                })
                .collect()
        })
    }

    /// Fails with `err`, or (with `--on-error skip`) counts it, reports it and passes the
    /// document through with `pass_through`.
    pub fn skip_or_fail(
        &self,
        err: InputError,
        stats: &mut Stats,
        pass_through: impl FnOnce() -> std::io::Result<()>,
        out_path: &Path,
    ) -> Result<(), RunError> {
        match self.opts.on_error {
            OnError::Fail => Err(err.into()),
            OnError::Skip => {
                eprintln!("deboil: skipped: {err}");
                stats.documents += 1;
                stats.skipped += 1;
                stats.errors.push(err.to_string());
                pass_through().map_err(|source| RunError::Output { path: out_path.to_path_buf(), source })
            }
        }
    }

    /// Cleans a JSONL stream into `out`, record by record, in input order.
    pub fn jsonl(
        &self,
        input: Box<dyn BufRead + Send + '_>,
        path: &Path,
        out: &mut dyn Write,
        stats: &mut Stats,
    ) -> Result<(), RunError> {
        let batch_bytes = self.opts.batch_bytes.max(1);
        let (tx, rx) = sync_channel::<std::io::Result<Batch>>(2);
        std::thread::scope(|scope| {
            scope.spawn(move || read_batches(input, batch_bytes, tx));
            for batch in rx {
                let batch = batch.map_err(|e| RunError::Input(InputError::io(path, e)))?;
                for chunk in self.process(&batch, path) {
                    out.write_all(&chunk.bytes)
                        .map_err(|source| RunError::Output { path: "-".into(), source })?;
                    stats.add(&chunk.stats);
                    if let Some(e) = chunk.error {
                        return Err(e.into());
                    }
                }
            }
            Ok(())
        })
    }

    fn process(&self, batch: &Batch, path: &Path) -> Vec<ChunkOut> {
        let mut lines = Vec::new();
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &batch.buf) {
            lines.push((start, end + 1));
            start = end + 1;
        }
        if start < batch.buf.len() {
            lines.push((start, batch.buf.len()));
        }
        const CHUNK: usize = 64;
        self.pool.install(|| {
            lines
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(ci, chunk)| {
                    let mut out = ChunkOut { bytes: Vec::new(), stats: Stats::default(), error: None };
                    for (k, &(s, e)) in chunk.iter().enumerate() {
                        let line_no = batch.first_line + ci * CHUNK + k;
                        if let Err(err) = self.record(&batch.buf[s..e], path, line_no, &mut out) {
                            out.error = Some(err);
                            break;
                        }
                    }
                    out
                })
                .collect()
        })
    }

    /// One JSONL line: skip blank lines, clean the record, write it.
    fn record(&self, raw: &[u8], path: &Path, line_no: usize, out: &mut ChunkOut) -> Result<(), InputError> {
        let trimmed = raw.trim_ascii();
        if trimmed.is_empty() {
            return Ok(());
        }
        let fail = |err: InputError, out: &mut ChunkOut| match self.opts.on_error {
            OnError::Fail => Err(err),
            OnError::Skip => {
                eprintln!("deboil: skipped: {err}");
                out.stats.documents += 1;
                out.stats.skipped += 1;
                out.stats.errors.push(err.to_string());
                out.bytes.extend_from_slice(trimmed);
                out.bytes.push(b'\n');
                Ok(())
            }
        };
        let line = match std::str::from_utf8(trimmed) {
            Ok(l) => l,
            Err(e) => {
                return fail(
                    InputError::Utf8 { path: path.into(), line: line_no, offset: e.valid_up_to() },
                    out,
                );
            }
        };
        let record = match Record::parse(line, &self.opts.fields, self.opts.annotate.as_deref()) {
            Ok(r) => r,
            Err(message) => {
                return fail(InputError::Record { path: path.into(), line: line_no, message }, out);
            }
        };
        let url = record.url.as_deref();
        let cleaned = clean_document(self.rules, Document { text: &record.text, url });
        out.stats.record(record.text.len(), &cleaned);
        match &self.opts.annotate {
            Some(field) => {
                let annotation = annotation_json(&cleaned);
                record.write_to(&mut out.bytes, &cleaned.text, Some((field, &annotation)));
            }
            None if !cleaned.changed() => {
                out.bytes.extend_from_slice(trimmed);
                out.bytes.push(b'\n');
            }
            None => record.write_to(&mut out.bytes, &cleaned.text, None),
        }
        Ok(())
    }
}

/// The `--annotate` value: `[{"start","end","rule"}]`, byte offsets in the original text.
fn annotation_json(cleaned: &Cleaned<'_>) -> String {
    #[derive(Serialize)]
    struct Span<'a> {
        start: usize,
        end: usize,
        rule: &'a str,
    }
    let spans: Vec<Span<'_>> =
        cleaned.removals.iter().map(|r| Span { start: r.start, end: r.end, rule: &r.rule }).collect();
    serde_json::to_string(&spans).expect("serialising spans")
}

fn read_batches(
    mut input: Box<dyn BufRead + Send + '_>,
    batch_bytes: usize,
    tx: std::sync::mpsc::SyncSender<std::io::Result<Batch>>,
) {
    let mut line_no = 1;
    loop {
        let mut buf = Vec::with_capacity(batch_bytes + (batch_bytes >> 2));
        let first_line = line_no;
        while buf.len() < batch_bytes {
            match input.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(_) => line_no += 1,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
        if buf.is_empty() {
            return;
        }
        if tx.send(Ok(Batch { buf, first_line })).is_err() {
            return;
        }
    }
}

/// The error for invalid UTF-8 in a document whose first line is `first_line`.
pub fn utf8_error(path: &Path, bytes: &[u8], first_line: usize, e: std::str::Utf8Error) -> InputError {
    let offset = e.valid_up_to();
    let line = first_line + memchr::memchr_iter(b'\n', &bytes[..offset]).count();
    InputError::Utf8 { path: path.to_path_buf(), line, offset }
}
