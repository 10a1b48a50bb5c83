//! `deboil diff` and `deboil explain`: plain, JSON and sampled output on fixture documents.

use crate::util::{deboil, fixture};

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn plain_diff_labels_each_removal_with_its_rule() {
    let out = stdout(
        deboil().args(["diff", "-U", "1", "--color", "never"]).arg(fixture("docs/02_river-flooding.txt")),
    );
    let out = out.replace(fixture("docs").to_str().unwrap(), "docs");
    insta::assert_snapshot!(out);
}

#[test]
fn explain_shows_fate_rule_and_near_misses() {
    let out = stdout(deboil().args(["explain", "--color", "never"]).arg(fixture("docs/04_trail-race.txt")));
    let out = out.replace(fixture("docs").to_str().unwrap(), "docs");
    insta::assert_snapshot!(out);
}

#[test]
fn explain_names_the_condition_that_kept_a_line() {
    let dir = tempfile::TempDir::new().unwrap();
    let rules = dir.path().join("r.toml");
    std::fs::write(
        &rules,
        "[[rule]]\nid = \"photo-label\"\ncategory = \"credit\"\nkind = \"line\"\ndescription = \"d\"\npattern = '^Photo: '\nmax_words = 4\nsentence = false\n",
    )
    .unwrap();
    let text = "Photo: Jane Doe\nPhoto: Jane Doe of the city archive.\n";
    let out = stdout(
        deboil()
            .args(["explain", "-", "--color", "never", "--no-default-rules", "--rules"])
            .arg(&rules)
            .write_stdin(text),
    );
    insta::assert_snapshot!(out, @r"
    -
    1 remove Photo: Jane Doe
             by photo-label (line, lines 1-1; conditions: max_words = 4, sentence = false)
    2 keep   Photo: Jane Doe of the city archive.
             not photo-label: max_words = 4 (the line has 7 words); sentence = false (the line ends like a sentence)
    ");
}

#[test]
fn json_diff_has_one_record_per_removal_and_a_summary() {
    let out = stdout(deboil().args(["diff", "--format", "json"]).arg(fixture("corpus.jsonl")));
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (records, summary) = lines.split_at(lines.len() - 1);
    assert!(records.len() >= 5);
    for r in records {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        // `score` only on removals the line classifier made or joined.
        let fields =
            ["doc", "rule", "also", "category", "start", "end", "first_line", "last_line", "text", "score"];
        let n = if r.get("score").is_some() { 10 } else { 9 };
        assert_eq!(keys, fields[..n]);
        assert!(r["doc"].as_str().unwrap().starts_with("fx-"));
    }
    let summary = &summary[0]["summary"];
    assert_eq!(summary["documents"], 12);
    assert_eq!(summary["removals"].as_u64().unwrap(), records.len() as u64);
}

#[test]
fn json_diff_snapshot() {
    let out = stdout(deboil().args(["diff", "--format", "json"]).arg(fixture("docs/08_transit-fare.txt")));
    let out = out.replace(fixture("docs").to_str().unwrap(), "docs");
    insta::assert_snapshot!(out);
}

#[test]
fn sample_is_reproducible_and_bounded() {
    let docs = fixture("docs");
    let run = |seed: &str| {
        stdout(deboil().args(["diff", "--color", "never", "--sample", "3", "--seed", seed]).arg(&docs))
    };
    let a = run("1");
    assert_eq!(a, run("1"));
    assert_eq!(a.lines().filter(|l| l.starts_with("--- ")).count(), 3);
    assert_ne!(a, run("2"));
}

#[test]
fn per_rule_groups_examples_by_rule() {
    let out = stdout(deboil().args(["diff", "--color", "never", "--per-rule", "1"]).arg(fixture("docs")));
    assert!(out.contains("=== wire-photo-credit: 1 of "), "{out}");
    assert!(out.contains("=== by-author-line: 1 of "));
}

#[test]
fn stat_and_rule_filter() {
    let out = stdout(deboil().args(["diff", "--stat", "--rule", "by-author-line"]).arg(fixture("docs")));
    assert!(out.starts_with("rule "), "{out}");
    assert!(out.contains("by-author-line"));
    assert!(!out.contains("wire-photo-credit"));
    assert!(!out.contains("--- "));
}

#[test]
fn color_always_paints_and_never_does_not() {
    let doc = fixture("docs/01_council-budget.txt");
    assert!(stdout(deboil().args(["diff", "--color", "always"]).arg(&doc)).contains("\x1b[31m"));
    assert!(!stdout(deboil().args(["diff", "--color", "never"]).arg(&doc)).contains('\x1b'));
}

#[test]
fn seed_diffs_name_the_right_rules() {
    // The seeds live beside the project (../shared), as in CI.
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.exists() {
        assert!(std::env::var_os("CI").is_none(), "CI must have ../shared/seeds");
        return;
    }
    let out = stdout(deboil().args(["diff", "--color", "never"]).arg(seeds.join("001_271f9f7e6410fbfa.txt")));
    assert!(out.contains("Lithuania.  # wire-photo-credit"), "{out}");
    assert!(out.contains("- More from GZERO Media  # more-from-site"), "{out}");
    let clean =
        stdout(deboil().args(["diff", "--color", "never"]).arg(seeds.join("000_f9d57e4577c0d127.txt")));
    assert!(!clean.contains("--- "), "{clean}");
}

#[test]
fn html_report_escapes_hostile_documents_and_is_self_contained() {
    let dir = tempfile::TempDir::new().unwrap();
    let hostile = "Harbor talks stall <script>alert(1)</script>\n\nAdvertisement\n\n<img src=x onerror=alert(2)> and </textarea> and {{DOCS}} stay text.\nREUTERS/Jane Doe <b>x</b>\n";
    std::fs::write(dir.path().join("hostile.txt"), hostile).unwrap();
    let page = dir.path().join("report.html");
    deboil()
        .arg("report")
        .arg(dir.path().join("hostile.txt"))
        .arg("-o")
        .arg(&page)
        .assert()
        .success()
        .stdout("");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<script>alert"), "document script must be escaped");
    assert!(!html.contains("<img"), "document markup must be escaped");
    assert!(!html.contains("</textarea>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("data-rule=\"advertisement-label\""));
    assert_eq!(html.matches("<script>").count(), 1, "only the page's own script");
    for external in ["http://", "https://", "src=\"", "href=\"http"] {
        assert!(!html.contains(external), "no external asset: {external}");
    }
}

#[test]
fn html_report_is_deterministic_and_capped() {
    let dir = tempfile::TempDir::new().unwrap();
    let run = |name: &str| {
        let page = dir.path().join(name);
        deboil()
            .arg("report")
            .arg(fixture("docs"))
            .args(["--max-docs", "4", "--seed", "9", "-o"])
            .arg(&page)
            .assert()
            .success();
        std::fs::read_to_string(page).unwrap()
    };
    let a = run("a.html");
    assert_eq!(a, run("b.html"));
    assert_eq!(a.matches("<section class=\"doc\">").count(), 4);
    assert!(a.contains("4 of 43 changed documents shown (at most 4"), "{}", &a[..2000]);
}
