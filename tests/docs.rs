//! The rule-file examples in README.md and rules/README.md load and pass their own examples.

use deboil::RuleSetBuilder;
use deboil::rule_tests;

fn toml_blocks(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    text.split("```toml\n").skip(1).map(|b| b.split("```").next().unwrap().to_string()).collect()
}

#[test]
fn documented_rule_files_are_valid_and_their_examples_pass() {
    for path in ["README.md", "rules/README.md"] {
        let blocks = toml_blocks(path);
        assert!(!blocks.is_empty(), "{path} has a toml example");
        for block in blocks {
            let mut b = RuleSetBuilder::new();
            b.add_source(path, &block).unwrap_or_else(|e| panic!("{e}"));
            let (failures, count) = rule_tests::run(&b.build().unwrap());
            assert!(count > 0 && failures.is_empty(), "{path}: {failures:?}");
        }
    }
}
