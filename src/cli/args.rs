//! Command-line arguments.

use std::path::PathBuf;

use crate::io::Format;
use crate::runner::OnError;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Strip boilerplate (captions, credits, "More from" teasers, promos, prompts) from scraped news.
#[derive(Debug, Parser)]
#[command(name = "deboil", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean documents: .txt files, JSONL, directories of them, or stdin.
    Clean(Box<CleanArgs>),
    /// Show what the rules remove, line by line, labelled by rule (exit 0 either way).
    Diff(Box<DiffArgs>),
    /// Show every line of one document with keep or remove and the rule and condition that
    /// decided.
    Explain(Box<ExplainArgs>),
    /// Sum `--stats` files (of the shards of one run) into one, printed as JSON.
    Stats {
        /// The stats files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Find lines that repeat across many pages of the same site and draft rules for them.
    Mine(Box<MineArgs>),
    /// Write a self-contained HTML review page of what the rules remove.
    Report(Box<ReportArgs>),
    /// List, show, test and check rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Train the line classifier (a `model` rule file) from pages with labelled lines.
    Train(Box<TrainArgs>),
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labelled pages: folders laid out as `dump/<id>.txt` + `labels/<id>.tsv` (+ optional
    /// `manifest.tsv` with `id`, `source`, `url` columns), or JSONL files of records with
    /// `text` and a `labels` list (one per line of the text; optional `source`, `id`, `url`).
    #[arg(required = true, value_name = "DATA")]
    pub data: Vec<PathBuf>,
    /// The model rule file to write; if it exists and holds a model rule, its id,
    /// description and examples are kept.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// The rule's id, for a new file.
    #[arg(long, default_value = "line-model")]
    pub id: String,
    /// Number of trees.
    #[arg(long, default_value_t = 120)]
    pub rounds: usize,
    /// Depth of each tree.
    #[arg(long, default_value_t = 4)]
    pub depth: usize,
    /// Shrinkage of each tree.
    #[arg(long, default_value_t = 0.15)]
    pub learning_rate: f32,
    /// Seed of the row sampler (the same seed and data give the same file).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The threshold written into the model: the probability at which a line is removed.
    #[arg(long, default_value_t = 0.8)]
    pub threshold: f32,
    /// Also print held-out precision and recall at these thresholds.
    #[arg(long, value_delimiter = ',', value_name = "P,...")]
    pub sweep: Vec<f32>,
    /// Weigh a data set's groups by W instead of 1 (repeatable): `--weight train-fullpage=0.5`;
    /// the name is the folder's or JSONL file's (without `.jsonl`).
    #[arg(long, value_name = "NAME=W")]
    pub weight: Vec<String>,
    /// Write every held-out line to FILE as TSV (group, page, line, label, rule hit,
    /// probability, text), to read the model's errors.
    #[arg(long, value_name = "FILE")]
    pub holdout_lines: Option<PathBuf>,
    /// Skip scoring each source held out (faster; prints nothing but the summary).
    #[arg(long)]
    pub no_holdout: bool,
    /// Text to record as the training data's provenance (sources, licences, attributions).
    #[arg(long, value_name = "TEXT")]
    pub provenance: Option<String>,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct MineArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Input format; by default from the file extension (.jsonl/.ndjson/.json: jsonl; else text).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the draft rule pack here (stdout when absent).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A line must appear in at least this many documents of a site.
    #[arg(long, default_value_t = 5)]
    pub min_docs: u64,
    /// ... and in at least this share of the site's documents.
    #[arg(long, default_value_t = 0.05)]
    pub min_share: f64,
    /// Ignore lines with more words than this.
    #[arg(long, default_value_t = 40)]
    pub max_words: usize,
    /// How many candidates to draft.
    #[arg(long, default_value_t = 100)]
    pub top: usize,
    /// No progress bar and no table on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Input format; by default from the file extension (.jsonl/.ndjson/.json: jsonl; else text).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The HTML file to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// At most this many changed documents on the page (a reproducible sample).
    #[arg(long, default_value_t = 500)]
    pub max_docs: usize,
    /// Seed of the sample.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Hunks of lines, removed lines labelled with their rule.
    Text,
    /// One JSON object per removal, then a summary object.
    Json,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Input format; by default from the file extension (.jsonl/.ndjson/.json: jsonl; else text).
    #[arg(long, value_enum)]
    pub input_format: Option<Format>,
    /// Lines of context around each change.
    #[arg(short = 'U', long, default_value_t = 2)]
    pub context: usize,
    /// Colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Only show removals by these rules (repeatable, comma-separated).
    #[arg(long = "rule", value_delimiter = ',', value_name = "ID")]
    pub only_rules: Vec<String>,
    /// Only show removals of these categories (repeatable, comma-separated).
    #[arg(long = "category", value_delimiter = ',', value_name = "CATEGORY")]
    pub only_categories: Vec<String>,
    /// Show a reproducible sample of N changed documents.
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    /// Seed of the sample.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Show up to N examples of each rule that fired, grouped by rule.
    #[arg(long, value_name = "N", conflicts_with = "sample")]
    pub per_rule: Option<usize>,
    /// Only print the per-rule summary.
    #[arg(long)]
    pub stat: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Input format; by default from the file extension (.jsonl/.ndjson/.json: jsonl; else text).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// In a JSONL input, the record with this id (default: the first record).
    #[arg(long)]
    pub id: Option<String>,
    /// Colour the output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Which rules to load.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Add a rule file, or every .toml file under a directory (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in rules.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Only run these rules (ids or categories, comma-separated, repeatable).
    #[arg(long, value_delimiter = ',', value_name = "ID|CATEGORY")]
    pub select: Vec<String>,
    /// Do not run these rules (ids or categories, comma-separated, repeatable); `--ignore
    /// model` turns the line classifier off.
    #[arg(long, value_delimiter = ',', value_name = "ID|CATEGORY")]
    pub ignore: Vec<String>,
    /// The line classifier removes lines it scores at least this probability of boilerplate
    /// (0-1; higher removes fewer, surer lines); default: the model file's threshold.
    #[arg(long, value_name = "P")]
    pub model_threshold: Option<f32>,
}

/// Where documents come from (shared by `clean`, `diff` and `explain`).
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Inputs: files, directories (recursive) or `-` for stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// JSONL field holding the document text (a dotted name such as `doc.body` reaches into
    /// nested objects, as for the other fields).
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL field holding the document id (for messages and reports).
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSONL field holding the page URL (for site rules; datatrove and dolma records keep it in
    /// `metadata.url`).
    #[arg(long, default_value = "url")]
    pub url_field: String,
    /// The page URL of text documents, for site rules (JSONL records use --url-field).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// JSONL field holding each document's language code (`de`, `pt-BR`, `deu`; `und` or
    /// null: unknown), such as datatrove's `metadata.language`; documents without one are
    /// detected.
    #[arg(long, value_name = "FIELD")]
    pub lang_field: Option<String>,
    /// The language of every document that does not name its own (an ISO 639 code such as
    /// `de`); by default each document's language is detected from its text.
    #[arg(long, value_name = "CODE", value_parser = parse_lang)]
    pub lang: Option<crate::lang::Lang>,
}

/// A `--lang` value.
fn parse_lang(code: &str) -> Result<crate::lang::Lang, String> {
    crate::lang::Lang::parse(code).ok_or_else(|| format!("{code:?} is not a language code such as \"de\""))
}

impl InputArgs {
    /// The JSONL field names.
    pub fn fields(&self) -> crate::io::jsonl::Fields {
        crate::io::jsonl::Fields {
            text: self.text_field.clone(),
            id: self.id_field.clone(),
            url: self.url_field.clone(),
            lang: self.lang_field.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Input format; by default from the file extension (.jsonl/.ndjson/.json: jsonl; else text).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Output file, or directory mirroring the inputs; stdout when absent or `-`.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Add the removals to each JSONL record under this field: [{"start","end","rule"}].
    #[arg(long, value_name = "FIELD")]
    pub annotate: Option<String>,
    /// Cleaning threads (0: one per core); reading and writing run on a thread each beside them.
    #[arg(short, long, default_value_t = 0)]
    pub jobs: usize,
    /// What to do with a record that cannot be read.
    #[arg(long, value_enum, default_value_t = OnError::Fail)]
    pub on_error: OnError,
    /// Write the run's counts (per rule and category) as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub stats: Option<PathBuf>,
    /// Replace each input file with its cleaned version (atomically).
    #[arg(long, conflicts_with = "output")]
    pub in_place: bool,
    /// Only this slice of the input files: I/N takes every file whose position in the sorted
    /// list is I modulo N (0 <= I < N), for job arrays.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<(usize, usize)>,
    /// Documents shorter than this many characters after cleaning go to --rejects, not the output.
    #[arg(long, value_name = "N")]
    pub min_chars: Option<usize>,
    /// Where rejected documents go (JSONL with a "deboil_reject" reason); dropped if absent but
    /// always counted.
    #[arg(long, value_name = "FILE", requires = "min_chars")]
    pub rejects: Option<PathBuf>,
    /// Leave a document unchanged, and flag it, when the rules would remove more than this
    /// share of its characters (0-1; 1 disables the guard).
    #[arg(long, value_name = "FRACTION", default_value_t = crate::runner::DEFAULT_MAX_REMOVED)]
    pub max_removed: f64,
    /// Write dolma attributes for JSONL inputs into DIR, one file per input under the name the
    /// output would have: one line per record, `{"id", "attributes": {"deboil__deboil__CATEGORY":
    /// [[start, end, score], ...]}}`, character offsets of what cleaning deleted.
    #[arg(long, value_name = "DIR")]
    pub dolma_attributes: Option<PathBuf>,
    /// Print no summary.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
}

fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let (i, n) = s.split_once('/').ok_or("expected I/N, such as 0/4")?;
    let i: usize = i.trim().parse().map_err(|_| format!("bad shard index {i:?}"))?;
    let n: usize = n.trim().parse().map_err(|_| format!("bad shard count {n:?}"))?;
    if n == 0 || i >= n {
        return Err(format!("shard {i}/{n}: need 0 <= I < N"));
    }
    Ok((i, n))
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the loaded rules.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Show one rule in full.
    Show {
        /// The rule id.
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Run every rule's examples (built-in and given files); exit 1 on any failure.
    Test {
        /// Rule files or directories to test along with the built-in rules.
        paths: Vec<PathBuf>,
        /// Test only the given files, not the built-in rules.
        #[arg(long)]
        no_default_rules: bool,
    },
    /// Validate rule files without running anything.
    Check {
        /// Rule files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}
