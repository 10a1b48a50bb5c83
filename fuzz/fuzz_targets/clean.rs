//! Cleaning arbitrary text with the built-in rules: no panic, and the output is consistent.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static RULES: OnceLock<deboil::RuleSet> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let rules = RULES.get_or_init(deboil::RuleSet::defaults);
    let lossy = String::from_utf8_lossy(data);
    let input: &str = &lossy;
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
    assert_eq!(reports.len(), input.split_inclusive('\n').count());
});
