//! `deboil rules list|show|test|check`.

use std::io::Write;

use crate::rules::{Rule, RuleSet, RuleSetBuilder, examples};
use anyhow::{Result, anyhow};
use serde::Serialize;

use super::ExitCode;
use super::args::{ListFormat, RuleArgs, RulesCommand};

/// Loads the rules the arguments name; any error refuses the whole set, and so does asking for
/// none.
pub fn load(args: &RuleArgs) -> Result<RuleSet> {
    if args.no_default_rules && args.rules.is_empty() {
        return Err(anyhow!("no rules loaded (--no-default-rules without --rules)"));
    }
    load_any(args)
}

/// Loads the rules the arguments name, which may be none (a model trained without rule features).
pub fn load_any(args: &RuleArgs) -> Result<RuleSet> {
    let mut b = RuleSetBuilder::new();
    if !args.no_default_rules {
        b.add_defaults()?;
    }
    for path in &args.rules {
        b.add_path(path)?;
    }
    let mut set = b.build()?;
    if let Some(t) = args.model_threshold {
        set.set_model_threshold(t).map_err(|e| anyhow!("--model-threshold: {e}"))?;
    }
    set.filter(&args.select, &args.ignore).map_err(|e| anyhow!(e))
}

pub fn run(cmd: RulesCommand) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cmd {
        RulesCommand::List { format, rules } => {
            let set = load(&rules)?;
            match format {
                ListFormat::Table => {
                    for r in set.rules() {
                        writeln!(
                            out,
                            "{:<32} {:<11} {:<9} {:<5} {}  [{}]",
                            r.id,
                            r.category,
                            r.kind,
                            langs_of(r),
                            r.description,
                            r.source.file
                        )?;
                    }
                }
                ListFormat::Json => {
                    let list: Vec<RuleInfo<'_>> = set.rules().iter().map(RuleInfo::from).collect();
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                }
            }
        }
        RulesCommand::Show { id, rules } => {
            let set = load(&rules)?;
            let rule =
                set.get(&id).ok_or_else(|| anyhow!("no rule with id {id:?} (see `deboil rules list`)"))?;
            show(&mut out, rule)?;
        }
        RulesCommand::Test { paths, no_default_rules } => {
            let set = load(&RuleArgs { rules: paths, no_default_rules, ..RuleArgs::default() })?;
            let (failures, count) = crate::rule_tests::run(&set);
            for f in &failures {
                writeln!(out, "FAIL {f}")?;
            }
            writeln!(
                out,
                "{} rules, {} examples: {} passed, {} failed",
                set.len(),
                count,
                count - failures.len(),
                failures.len()
            )?;
            if !failures.is_empty() {
                return Ok(ExitCode::TestsFailed);
            }
        }
        RulesCommand::Check { paths } => {
            let set = load(&RuleArgs { rules: paths, no_default_rules: true, ..RuleArgs::default() })?;
            writeln!(out, "ok: {} rules", set.len())?;
        }
    }
    Ok(ExitCode::Success)
}

fn show(out: &mut impl Write, r: &Rule) -> std::io::Result<()> {
    writeln!(out, "id:          {}", r.id)?;
    writeln!(out, "category:    {}", r.category)?;
    writeln!(out, "kind:        {}", r.kind)?;
    writeln!(out, "description: {}", r.description)?;
    writeln!(out, "source:      {}", r.source)?;
    for p in &r.patterns {
        writeln!(out, "pattern:     {p}")?;
    }
    if r.case_insensitive {
        writeln!(out, "case:        insensitive")?;
    }
    if !r.sites.is_empty() {
        let sites: Vec<String> = r.sites.iter().map(ToString::to_string).collect();
        writeln!(out, "sites:       {}", sites.join(", "))?;
    }
    writeln!(out, "langs:       {}", langs_of(r))?;
    writeln!(out, "conditions:  {}", r.conditions)?;
    if let Some(m) = r.max_removed {
        writeln!(out, "max_removed: {m}")?;
    }
    if let Some(end) = r.section_end() {
        writeln!(out, "end:         {end}")?;
    }
    if let Some(n) = r.max_lines {
        writeln!(out, "max_lines:   {n}")?;
    }
    if let Some(m) = &r.model {
        let nodes: usize = m.forest.trees.iter().map(|t| t.feature.len()).sum();
        writeln!(
            out,
            "model:       {} trees ({nodes} nodes), threshold {}",
            m.forest.trees.len(),
            m.threshold()
        )?;
        writeln!(out, "provenance:  {}", m.provenance.replace('\n', "\n             "))?;
    }
    writeln!(out, "examples:    {}", r.examples.len())?;
    for e in &r.examples {
        let what = match &e.expect {
            examples::Expect::Removed => "remove".to_string(),
            examples::Expect::Kept => "keep".to_string(),
            examples::Expect::Output(o) => format!("gives {o:?}"),
        };
        writeln!(out, "  {what:<8} {:?}", e.input)?;
    }
    Ok(())
}

#[derive(Serialize)]
struct RuleInfo<'a> {
    id: &'a str,
    category: &'a str,
    kind: &'a str,
    description: &'a str,
    /// Language codes the rule is limited to; empty for every language.
    langs: Vec<String>,
    source: String,
}

/// The languages a rule is limited to, comma-separated, or `any`.
fn langs_of(r: &Rule) -> String {
    if r.langs.is_empty() {
        return "any".to_string();
    }
    r.langs.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")
}

impl<'a> From<&'a Rule> for RuleInfo<'a> {
    fn from(r: &'a Rule) -> Self {
        RuleInfo {
            id: &r.id,
            category: r.category.as_str(),
            kind: r.kind.as_str(),
            description: &r.description,
            langs: r.langs.iter().map(ToString::to_string).collect(),
            source: r.source.to_string(),
        }
    }
}
