//! Languages end to end: detection, rules scoped with `langs`, `--lang` and `--lang-field`,
//! and what `rules list`, `rules show` and `explain` say about the scope.

use std::fs;

use deboil::lang::{Lang, detect};
use deboil::{Document, RuleSetBuilder, clean_document};
use predicates::prelude::*;
use tempfile::TempDir;

use crate::util::deboil;

const GERMAN: &str = "Der Stadtrat hat am Dienstag beschlossen, dass die alte Brücke über den Fluss für die Reparatur bis zum Herbst gesperrt wird.\nDie Arbeiten sollen nach Angaben der Stadt rund zwölf Millionen Euro kosten, und der Verkehr wird über die Umgehungsstraße geleitet.\n";
const ENGLISH: &str = "The council decided on Tuesday that the old bridge over the river will be closed for repairs until the autumn.\nThe work is expected to cost about twelve million euros, and traffic will be sent along the ring road, the city said.\n";

/// Two rules removing a "Note" line: one for German documents, one for English ones.
const SCOPED: &str = r#"
langs = ["de"]

[[rule]]
id = "note-de"
category = "promo"
kind = "line"
description = "A Note line, in German documents."
pattern = '^Note$'
remove = ["Note"]
keep = ["Note well."]

[[rule]]
id = "note-en"
category = "promo"
kind = "line"
langs = ["en"]
description = "A Note line, in English documents."
pattern = '^Note$'
remove = ["Note"]
keep = ["Note well."]

[[rule]]
id = "note-any"
category = "promo"
kind = "line"
langs = []
description = "A NOTE line, in every language."
pattern = '^NOTE$'
remove = ["NOTE"]
keep = ["NOTE well."]
"#;

fn scoped() -> deboil::RuleSet {
    let mut b = RuleSetBuilder::new();
    b.add_source("scoped.toml", SCOPED).unwrap();
    b.build().unwrap()
}

fn removed_by(rules: &deboil::RuleSet, text: &str, lang: Option<Lang>) -> Vec<String> {
    let doc = Document { text, url: None, lang };
    clean_document(rules, doc).removals.iter().map(|r| r.rule.to_string()).collect()
}

#[test]
fn each_document_meets_the_rules_of_its_language() {
    let rules = scoped();
    assert_eq!(removed_by(&rules, &format!("{GERMAN}Note\nNOTE\n"), None), ["note-de", "note-any"]);
    assert_eq!(removed_by(&rules, &format!("{ENGLISH}Note\nNOTE\n"), None), ["note-en", "note-any"]);
}

#[test]
fn a_document_of_unknown_language_meets_every_rule() {
    // Too short to tell: both scoped rules apply, the first one is credited.
    assert_eq!(removed_by(&scoped(), "Note\n", None), ["note-de"]);
}

#[test]
fn a_given_language_overrides_detection() {
    let rules = scoped();
    let de = Lang::parse("de");
    assert_eq!(removed_by(&rules, &format!("{ENGLISH}Note\n"), de), ["note-de"]);
}

#[test]
fn detection_reads_prose_of_the_supported_languages() {
    assert_eq!(detect(GERMAN), Lang::parse("de"));
    assert_eq!(detect(ENGLISH), Some(Lang::EN));
}

#[test]
fn a_bad_language_code_in_a_rule_file_is_located() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("bad.toml");
    fs::write(&path, "langs = [\"german\"]\n\n[[rule]]\nid = \"x\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"x\"\npattern = '^x$'\n").unwrap();
    deboil().args(["rules", "check"]).arg(&path).assert().failure().stderr(
        predicate::str::contains("bad.toml:1:").and(predicate::str::contains("bad language \"german\"")),
    );
}

#[test]
fn cli_lang_flag_and_lang_field_choose_the_rules() {
    let dir = TempDir::new().unwrap();
    let rules = dir.path().join("scoped.toml");
    fs::write(&rules, SCOPED).unwrap();
    let english = format!("{ENGLISH}Note\n");
    // Detected English: the English rule removes the line.
    let out = deboil()
        .args(["diff", "--format", "json", "--no-default-rules", "--rules"])
        .arg(&rules)
        .arg("-")
        .write_stdin(english.clone())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"rule\":\"note-en\""));
    // --lang de: the German one.
    let out = deboil()
        .args(["diff", "--format", "json", "--lang", "de", "--no-default-rules", "--rules"])
        .arg(&rules)
        .arg("-")
        .write_stdin(english.clone())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"rule\":\"note-de\""));

    // A JSONL record's field wins over --lang; a record without one falls back to --lang.
    let record =
        |lang: &str| serde_json::json!({"id": lang, "text": english, "meta": {"language": lang}}).to_string();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, format!("{}\n{}\n", record("de"), record("und"))).unwrap();
    let out = deboil()
        .args([
            "diff",
            "--format",
            "json",
            "--lang-field",
            "meta.language",
            "--lang",
            "pt",
            "--no-default-rules",
            "--rules",
        ])
        .arg(&rules)
        .arg(&input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"rule\":\"note-de\""), "{stdout}");
    assert_eq!(
        stdout.matches("\"rule\":\"note-").count(),
        1,
        "the `und` record in pt meets neither: {stdout}"
    );
}

#[test]
fn a_bad_language_field_names_the_record() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(
        &input,
        "{\"text\":\"Note\\n\",\"lang\":\"en\"}\n{\"text\":\"Note\\n\",\"lang\":\"English!\"}\n",
    )
    .unwrap();
    deboil()
        .args(["clean", "--lang-field", "lang"])
        .arg(&input)
        .assert()
        .failure()
        .stderr(predicate::str::contains("in.jsonl:2").and(predicate::str::contains("not a language code")));
    deboil()
        .args(["clean", "--lang", "xx1", "-"])
        .write_stdin("x\n")
        .assert()
        .failure()
        .stderr(predicate::str::contains("--lang"));
}

#[test]
fn rules_list_show_and_explain_tell_the_scope() {
    let dir = TempDir::new().unwrap();
    let rules = dir.path().join("scoped.toml");
    fs::write(&rules, SCOPED).unwrap();
    let out = deboil().args(["rules", "list", "--no-default-rules", "--rules"]).arg(&rules).output().unwrap();
    let list = String::from_utf8_lossy(&out.stdout);
    let scope_of = |id: &str| {
        list.lines().find(|l| l.starts_with(id)).unwrap().split_whitespace().nth(3).unwrap().to_string()
    };
    assert_eq!(
        (scope_of("note-de"), scope_of("note-en"), scope_of("note-any")),
        ("de".into(), "en".into(), "any".into())
    );
    deboil()
        .args(["rules", "show", "note-de", "--no-default-rules", "--rules"])
        .arg(&rules)
        .assert()
        .success()
        .stdout(predicate::str::contains("langs:       de"));
    let text = dir.path().join("doc.txt");
    fs::write(&text, format!("{GERMAN}Note\n")).unwrap();
    deboil()
        .args(["explain", "--color", "never", "--select", "note-en", "--no-default-rules", "--rules"])
        .arg(&rules)
        .arg(&text)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("note-en")
                .and(predicate::str::contains("langs = [\"en\"] (document in de)")),
        );
}

#[test]
fn english_wording_does_not_fire_on_a_german_page_but_language_free_rules_do() {
    let rules = deboil::RuleSet::defaults();
    // "Read more" is an English teaser label; in a German page it is left to the German rules
    // (none matches it), while a bare image file name goes whatever the language.
    let text = format!("{GERMAN}Read more\nfoto_brücke_2024.jpg\n");
    let got = removed_by(&rules, &text, None);
    assert_eq!(got, ["image-file-residue"], "{got:?}");
    let english = format!("{ENGLISH}Read more\n");
    assert_eq!(removed_by(&rules, &english, None), ["teaser-label-alone"]);
}
