//! `deboil train`: labelled pages → a `model` rule file, with each source scored held out.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use crate::io::AtomicFile;
use crate::model::StopWords;
use crate::model::fit::Params;
use crate::training::{self, Counts, DEFAULT_STOPWORDS, HeldOut, LabelledPage, Rows};
use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};

use super::ExitCode;
use super::args::TrainArgs;

/// The `[[rule]]` fields of a model rule file other than its model: kept across retraining.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    id: String,
    category: String,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    langs: Option<Vec<String>>,
    description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    remove: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    keep: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    example: Vec<ExampleTable>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ExampleTable {
    input: String,
    output: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct HeaderFile {
    rule: Vec<Header>,
}

#[derive(Debug, Deserialize)]
struct AnyFile {
    rule: Vec<toml::Table>,
}

pub fn run(args: TrainArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if !(args.threshold > 0.0 && args.threshold < 1.0) {
        return Err(anyhow!("--threshold {} must be between 0 and 1", args.threshold));
    }
    if args.depth == 0 || args.depth > 8 || args.rounds == 0 {
        return Err(anyhow!("--depth must be 1-8 and --rounds at least 1"));
    }
    let header = existing_header(&args.output)?.unwrap_or_else(|| Header {
        id: args.id.clone(),
        category: "model".into(),
        kind: "model".into(),
        langs: None,
        description: "Lines whose shape and neighbourhood the learned line classifier scores as boilerplate."
            .into(),
        remove: Vec::new(),
        keep: Vec::new(),
        example: Vec::new(),
    });
    let rules = super::rules_cmd::load_any(&args.rules)?.without_models();
    let mut pages = Vec::new();
    for path in &args.data {
        pages.extend(training::load(path)?);
    }
    let stop = StopWords::new(DEFAULT_STOPWORDS);
    let mut rows = training::featurize(&rules, &pages, &stop);
    for spec in &args.weight {
        let (name, w) = spec
            .split_once('=')
            .and_then(|(n, w)| Some((n, w.parse::<f32>().ok().filter(|w| *w >= 0.0 && w.is_finite())?)))
            .ok_or_else(|| anyhow!("--weight {spec:?}: expected NAME=W with W a number >= 0"))?;
        if rows.weigh(name, w) == 0 {
            return Err(anyhow!("--weight {spec:?}: no data set named {name:?}"));
        }
    }
    let params = Params {
        rounds: args.rounds,
        depth: args.depth,
        learning_rate: args.learning_rate,
        seed: args.seed,
        ..Params::default()
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(
        out,
        "{} pages, {} labelled lines ({} boilerplate), {} groups weighed equally",
        pages.len(),
        rows.labels.len(),
        rows.labels.iter().filter(|&&l| l).count(),
        rows.groups.len()
    )?;
    if !args.no_holdout {
        let (held, probs) = training::cross_validate(&rows, &params, args.threshold);
        print_held_out(&mut out, &held, args.threshold)?;
        if let Some(path) = &args.holdout_lines {
            write_holdout_lines(path, &pages, &rows, &probs)?;
        }
        for &t in &args.sweep {
            let mut c = Counts::default();
            let mut r = Counts::default();
            for i in (0..rows.labels.len()).filter(|&i| !probs[i].is_nan()) {
                c.add(rows.hits[i] || probs[i] >= t, rows.labels[i]);
                r.add(rows.hits[i], rows.labels[i]);
            }
            writeln!(
                out,
                "threshold {t:.2}: all held-out lines, rules + model P {:.3} R {:.3} (rules alone P {:.3} R {:.3})",
                c.precision(),
                c.recall(),
                r.precision(),
                r.recall()
            )?;
        }
    }
    let data: Vec<String> = args.data.iter().map(|p| p.display().to_string()).collect();
    let groups: Vec<String> = rows.groups.iter().map(|(g, _)| g.clone()).collect();
    let mut provenance = format!(
        "Trained by `deboil train` on {} ({} pages, {} labelled lines; groups weighed equally: {}); {} trees of depth {}, learning rate {}, seed {}.",
        data.join(", "),
        pages.len(),
        rows.labels.len(),
        groups.join(", "),
        params.rounds,
        params.depth,
        params.learning_rate,
        params.seed
    );
    if let Some(p) = &args.provenance {
        provenance = format!("{}\n{provenance}", p.trim());
    }
    let model = training::train(&rows, &params, args.threshold, stop, provenance);
    let mut text =
        String::from("# A `model` rule written by `deboil train`: see rules/README.md (Model rules).\n");
    text.push_str(&toml::to_string(&HeaderFile { rule: vec![header] })?);
    model.write_table(&mut text);
    let mut file = AtomicFile::create(&args.output)
        .with_context(|| format!("{}: cannot create", args.output.display()))?;
    file.write_all(text.as_bytes())?;
    file.commit().with_context(|| format!("{}: cannot write", args.output.display()))?;
    writeln!(
        out,
        "wrote {} ({} trees) in {:.1} s",
        args.output.display(),
        model.forest.trees.len(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(ExitCode::Success)
}

/// The id, description and examples of the model rule already in `path`, if any.
fn existing_header(path: &Path) -> Result<Option<Header>> {
    let Ok(text) = std::fs::read_to_string(path) else { return Ok(None) };
    let file: AnyFile = toml::from_str(&text)
        .with_context(|| format!("{}: not a rule file (refusing to overwrite it)", path.display()))?;
    let [rule] = file.rule.as_slice() else {
        return Err(anyhow!(
            "{}: holds {} rules, not one model rule (refusing to overwrite it)",
            path.display(),
            file.rule.len()
        ));
    };
    if rule.get("kind").and_then(|k| k.as_str()) != Some("model") {
        return Err(anyhow!("{}: its rule is not a `model` rule (refusing to overwrite it)", path.display()));
    }
    let mut rule = rule.clone();
    rule.remove("model");
    Ok(Some(rule.try_into().with_context(|| format!("{}: reading its rule", path.display()))?))
}

fn print_held_out(out: &mut impl Write, held: &[HeldOut], threshold: f32) -> Result<()> {
    writeln!(out, "each source held out in turn (model trained on the others), threshold {threshold}:")?;
    writeln!(
        out,
        "{:<36} {:>7} {:>6}  {:>7} {:>7}  {:>7} {:>7}",
        "group", "lines", "boil", "rulesP", "rulesR", "modelP", "modelR"
    )?;
    let mut all = (0, 0, Counts::default(), Counts::default());
    for h in held {
        let boil = h.rules.tp + h.rules.fn_;
        writeln!(
            out,
            "{:<36} {:>7} {:>6}  {:>7.3} {:>7.3}  {:>7.3} {:>7.3}",
            h.group,
            h.lines,
            boil,
            h.rules.precision(),
            h.rules.recall(),
            h.with_model.precision(),
            h.with_model.recall()
        )?;
        all.0 += h.lines;
        all.1 += boil;
        for (sum, c) in [(&mut all.2, h.rules), (&mut all.3, h.with_model)] {
            sum.tp += c.tp;
            sum.fp += c.fp;
            sum.fn_ += c.fn_;
        }
    }
    writeln!(
        out,
        "{:<36} {:>7} {:>6}  {:>7.3} {:>7.3}  {:>7.3} {:>7.3}",
        "ALL",
        all.0,
        all.1,
        all.2.precision(),
        all.2.recall(),
        all.3.precision(),
        all.3.recall()
    )?;
    Ok(())
}

/// Every held-out line with its label, rule hit and out-of-fold probability, as TSV.
fn write_holdout_lines(path: &Path, pages: &[LabelledPage], rows: &Rows, probs: &[f32]) -> Result<()> {
    let mut text = String::from("group\tpage\tline\tlabel\trule_hit\tprobability\ttext\n");
    for (r, &(p, i)) in rows.origin.iter().enumerate() {
        if probs[r].is_nan() {
            continue;
        }
        let page = &pages[p as usize];
        let line = page.text.lines().nth(i as usize).unwrap_or_default().replace('\t', " ");
        let label = if rows.labels[r] { "BOILERPLATE" } else { "CONTENT" };
        let group = &rows.groups[rows.group[r] as usize].0;
        text.push_str(&format!(
            "{group}\t{}\t{i}\t{label}\t{}\t{:.3}\t{line}\n",
            page.id,
            u8::from(rows.hits[r]),
            probs[r]
        ));
    }
    let mut file = AtomicFile::create(path).with_context(|| format!("{}: cannot create", path.display()))?;
    file.write_all(text.as_bytes())?;
    file.commit().with_context(|| format!("{}: cannot write", path.display()))?;
    Ok(())
}
