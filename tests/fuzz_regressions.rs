//! Fuzz regressions: every file in `tests/fuzz_regressions/` is run through the library entry
//! point its name starts with (`rule_file-`, `clean-`, `jsonl-`), with the same checks the
//! fuzz targets make. The fuzz targets (`fuzz/fuzz_targets/*.rs`) include this file for those
//! checks, so a reproducer saved here fails exactly as it failed under the fuzzer.
//!
//! To add a case: save the input's raw bytes as `tests/fuzz_regressions/<target>-<what>.bin`.

use std::sync::OnceLock;

use deboil::io::jsonl::{Fields, Record};
use serde_json::Value;

/// The fuzz targets, as the prefixes of regression file names.
pub const TARGETS: [&str; 3] = ["rule_file", "clean", "jsonl"];

/// Loads `data` as a rule file; must return `Ok` or `Err`, never panic. A rule set that loads is
/// run over the same text, so hostile rules reach the engine too.
pub fn check_rule_file(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut builder = deboil::RuleSetBuilder::new();
    if let Err(e) = builder.add_source("fuzz.toml", &text) {
        // Error messages carry a location and an excerpt of the source: render them too.
        let _ = e.to_string();
        return;
    }
    match builder.build() {
        Err(e) => {
            let _ = e.to_string();
        }
        Ok(rules) => check_cleaned(&rules, &text),
    }
}

/// Cleans `data` (invalid UTF-8 replaced) with the built-in rules.
pub fn check_clean(data: &[u8]) {
    static RULES: OnceLock<deboil::RuleSet> = OnceLock::new();
    let rules = RULES.get_or_init(deboil::RuleSet::defaults);
    check_cleaned(rules, &String::from_utf8_lossy(data));
}

/// `clean` must not panic, and what it returns must be consistent with its input.
fn check_cleaned(rules: &deboil::RuleSet, input: &str) {
    let cleaned = deboil::clean(rules, input);
    assert!(
        cleaned.text.len() <= input.len(),
        "output ({} bytes) longer than input ({} bytes)",
        cleaned.text.len(),
        input.len()
    );
    let mut prev_end = 0;
    for r in &cleaned.removals {
        assert!(r.start < r.end && r.end <= input.len(), "removal {}..{} out of range", r.start, r.end);
        assert!(r.start >= prev_end, "removals overlap or are out of order at {}", r.start);
        assert_eq!(r.text, &input[r.start..r.end], "removal text differs from the input range");
        prev_end = r.end;
    }
    if cleaned.removals.is_empty() {
        assert_eq!(&*cleaned.text, input, "no removals but the text changed");
    }
    // The per-line report (used by `diff` and `report`) must accept what `clean` returned.
    let reports = deboil::engine::line_reports(input, &cleaned.removals);
    assert_eq!(reports.len(), input.split_inclusive('\n').count(), "one report per line");
}

/// Parses `data` as one JSONL record and writes it back with the text replaced (with and
/// without an annotation). The rewritten line must parse again with the new text and, when the
/// input is JSON that serde_json's `Value` accepts, be the same JSON but for `text` and
/// `annotate`. (`Record::parse` reads the other values raw, so it also accepts a lone surrogate
/// escape or a number out of f64 range there, which `Value` refuses; those lines are kept byte
/// for byte, so only the first check applies to them.)
pub fn check_jsonl(data: &[u8]) {
    let Ok(line) = std::str::from_utf8(data) else { return };
    let fields = Fields::default();
    let Ok(record) = Record::parse(line, &fields, Some("annotate")) else { return };
    let before: Option<Value> = serde_json::from_str(line).ok();
    for annotation in [Some(("annotate", "[]")), None] {
        let mut out = Vec::new();
        record.write_to(&mut out, "new text", annotation);
        assert_eq!(out.last(), Some(&b'\n'), "no newline at the end");
        let out_line = std::str::from_utf8(&out).expect("rewritten record is UTF-8");
        let show = || format!("\ninput:  {line:?}\noutput: {out_line:?}");
        let again = Record::parse(out_line, &fields, Some("annotate"))
            .unwrap_or_else(|e| panic!("rewritten record does not parse ({e}){}", show()));
        assert_eq!(again.text, "new text", "text not replaced{}", show());
        let Some(mut want) = before.clone() else { continue };
        let after: Value = serde_json::from_str(out_line)
            .unwrap_or_else(|e| panic!("rewritten record is not JSON ({e}){}", show()));
        want["text"] = Value::from("new text");
        if annotation.is_some() {
            want["annotate"] = Value::Array(Vec::new());
        }
        assert_eq!(after, want, "rewritten record differs in more than text/annotate{}", show());
    }
}

/// The regression files for `target`: (file name, bytes), sorted by name.
#[cfg(test)]
fn regression_cases(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut cases: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            let rest = name.strip_prefix(target)?.strip_prefix('-')?;
            rest.ends_with(".bin").then(|| (name.clone(), std::fs::read(&path).unwrap()))
        })
        .collect();
    cases.sort();
    cases
}

/// Runs `check` on every regression file of `target`, and names every file that panicked.
#[cfg(test)]
fn run_regressions(target: &str, check: impl Fn(&str, &[u8])) {
    let cases = regression_cases(target);
    assert!(!cases.is_empty(), "no tests/fuzz_regressions/{target}-*.bin files");
    let failed: Vec<&str> = cases
        .iter()
        .filter(|(name, data)| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(name, data))).is_err()
        })
        .map(|(name, _)| name.as_str())
        .collect();
    assert!(failed.is_empty(), "fuzz regressions failed (see the panics above): {failed:?}");
}

#[test]
fn fuzz_regressions_rule_file() {
    run_regressions("rule_file", |name, data| {
        check_rule_file(data);
        // Through a real file too: that path reports invalid UTF-8 instead of replacing it.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name.replace(".bin", ".toml"));
        std::fs::write(&path, data).unwrap();
        let mut builder = deboil::RuleSetBuilder::new();
        match builder.add_path(&path) {
            Ok(_) => {
                let _ = builder.build().map_err(|e| e.to_string());
            }
            Err(e) => {
                let _ = e.to_string();
            }
        }
    });
}

#[test]
fn fuzz_regressions_clean() {
    run_regressions("clean", |_, data| check_clean(data));
}

#[test]
fn fuzz_regressions_jsonl() {
    run_regressions("jsonl", |_, data| check_jsonl(data));
}

#[test]
fn fuzz_regression_files_name_a_target() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name.ends_with(".bin") && TARGETS.iter().any(|t| name.starts_with(&format!("{t}-"))),
            "{name}: regression files are named <target>-<what>.bin, target one of {TARGETS:?}"
        );
    }
}
