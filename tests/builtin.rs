//! The built-in packs: embedded list equals `rules/` on disk, every example passes, coverage.

use std::collections::BTreeSet;
use std::path::Path;

use deboil::RuleSet;
use deboil::rule_tests;
use deboil::rules::BUILTIN_PACKS;

#[test]
fn embedded_packs_equal_the_files_on_disk() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut on_disk = BTreeSet::new();
    collect(&dir, &dir, &mut on_disk);
    let embedded: BTreeSet<String> = BUILTIN_PACKS.iter().map(|p| p.name.to_string()).collect();
    assert_eq!(embedded, on_disk, "src/rules/builtin.rs must list exactly the .toml files under rules/");
    for pack in BUILTIN_PACKS {
        let text = std::fs::read_to_string(dir.join(pack.name)).unwrap();
        assert_eq!(text, pack.text, "{} differs from its embedded copy (rebuild)", pack.name);
    }
}

fn collect(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.insert(path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn every_builtin_example_passes() {
    let (failures, count) = rule_tests::run(&RuleSet::defaults());
    let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
    assert!(failures.is_empty(), "{} of {count} examples failed:\n{}", failures.len(), report.join("\n"));
}

#[test]
fn every_builtin_rule_has_two_examples_each_way() {
    use deboil::rules::examples::Expect;
    let rules = RuleSet::defaults();
    for rule in rules.rules() {
        let removes = rule.examples.iter().filter(|e| e.expect != Expect::Kept).count();
        let keeps = rule.examples.iter().filter(|e| e.expect == Expect::Kept).count();
        // A model abstains on documents without prose, so its removals show as exact outputs.
        let wanted = if rule.kind == deboil::Kind::Model { 1 } else { 2 };
        assert!(
            removes >= wanted && keeps >= 2,
            "{} has {removes} remove and {keeps} keep examples",
            rule.id
        );
    }
}

#[test]
fn builtin_set_is_large_and_covers_every_category() {
    let rules = RuleSet::defaults();
    assert!(rules.len() >= 60, "only {} built-in rules", rules.len());
    for category in deboil::Category::ALL {
        assert!(rules.rules().iter().any(|r| r.category == category), "no built-in rule for {category}");
    }
}
