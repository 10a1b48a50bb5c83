//! News-like fixture documents cleaned with the built-in rules; expected outputs are snapshots.

use deboil::RuleSet;

#[test]
fn fixture_documents_clean_to_their_snapshots() {
    let rules = RuleSet::defaults();
    insta::glob!("fixtures/docs/*.txt", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let out = deboil::clean(&rules, &text);
        let mut report = String::new();
        for r in &out.removals {
            report
                .push_str(&format!("# {} ({}) lines {}-{}\n", r.rule, r.category, r.first_line, r.last_line));
        }
        report.push_str("---\n");
        report.push_str(&out.text);
        insta::assert_snapshot!(report);
    });
}
