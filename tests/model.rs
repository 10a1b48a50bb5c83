//! The line classifier end to end: `deboil train` on labelled pages written here, the model
//! rule file it writes, cleaning, explaining and turning the model off.

use std::fs;
use std::path::Path;

use predicates::prelude::*;
use tempfile::TempDir;

use crate::util::deboil;

const NAV: &[&str] = &[
    "Home",
    "World",
    "Business",
    "Sport",
    "Culture",
    "Weather",
    "Opinion",
    "Video",
    "Podcasts",
    "Travel",
    "Science",
    "Local news",
    "Puzzles",
    "Obituaries",
];
const FOOTER: &[&str] = &[
    "About us",
    "Contact",
    "Privacy policy",
    "Terms of use",
    "Advertise with us",
    "Careers",
    "Cookie settings",
    "Help centre",
    "Site map",
    "Accessibility",
];
const SENTENCES: &[&str] = &[
    "The county board voted on Tuesday to extend the bus line to the new hospital, a plan that had stalled for three years.",
    "Residents who spoke at the meeting said the current route leaves them walking almost a mile in all weather.",
    "Officials expect the first buses to run in the spring, once the road along the river has been widened.",
    "The cost, about four million dollars, will be shared between the county and a regional transport fund.",
    "A spokesperson for the operator said drivers had already been hired and would start training next month.",
    "Farmers in the valley have planted later than usual this year after a wet and unusually cold April.",
    "Agronomists at the state college said yields could still recover if the summer stays warm and dry.",
    "The local cooperative has offered its members short loans to cover the cost of replanting damaged fields.",
    "Several growers told the paper they were switching part of their land to oats, which tolerate cold soil better.",
    "The library reopened on Saturday after a renovation that added a reading room and a small recording studio.",
    "Children's events will now run every afternoon during the school holidays, the head librarian said.",
    "The building's old oak shelves were restored rather than replaced, at the request of a residents' group.",
];
const LIST_INTROS: &[&str] = &[
    "The remaining stops on the tour are:",
    "For the loaf you will need:",
    "Saturday's results were as follows:",
];
const LIST_ITEMS: &[&[&str]] = &[
    &[
        "June 12 – Harlow, Millbrook Hall",
        "June 14 – Dunmore, The Old Granary",
        "June 19 – Westport, Quay Theatre",
        "June 21 – Ashby, Riverside Arena",
        "June 28 – Kelso, Town Hall",
    ],
    &["- 500 g of rye flour", "- 2 teaspoons of salt", "- 10 g of fresh yeast", "- 350 ml of warm water"],
    &["Rovers 3, United 1", "Athletic 0, City 2", "Wanderers 1, Albion 1", "Town 4, Rangers 2"],
];

/// A small deterministic generator, so the pages are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// One page: lines with labels (true = boilerplate). Menus and footers are boilerplate;
/// prose and content lists introduced by a sentence are content.
fn page(rng: &mut Lcg) -> Vec<(String, bool)> {
    let mut lines = Vec::new();
    let marker = if rng.below(2) == 0 { "- " } else { "" };
    for _ in 0..3 + rng.below(5) {
        lines.push((format!("{marker}{}", NAV[rng.below(NAV.len())]), true));
    }
    let paragraphs = 3 + rng.below(3);
    let list_at = if rng.below(3) > 0 { Some(1 + rng.below(paragraphs - 1)) } else { None };
    for p in 0..paragraphs {
        let a = SENTENCES[rng.below(SENTENCES.len())];
        let b = SENTENCES[rng.below(SENTENCES.len())];
        lines.push((format!("{a} {b}"), false));
        if list_at == Some(p) {
            let k = rng.below(LIST_INTROS.len());
            lines.push((LIST_INTROS[k].to_string(), false));
            for item in LIST_ITEMS[k] {
                lines.push((item.to_string(), false));
            }
        }
    }
    for _ in 0..3 + rng.below(4) {
        lines.push((FOOTER[rng.below(FOOTER.len())].to_string(), true));
    }
    lines
}

/// Writes `n` labelled pages as JSONL, alternating between two sources.
fn write_training(path: &Path, n: usize) {
    let mut rng = Lcg(42);
    let mut out = String::new();
    for i in 0..n {
        let lines = page(&mut rng);
        let text: Vec<&str> = lines.iter().map(|(t, _)| t.as_str()).collect();
        let labels: Vec<u8> = lines.iter().map(|(_, b)| u8::from(*b)).collect();
        let rec = serde_json::json!({
            "id": format!("p{i}"),
            "source": if i % 2 == 0 { "north" } else { "south" },
            "text": text.join("\n"),
            "labels": labels,
        });
        out.push_str(&rec.to_string());
        out.push('\n');
    }
    fs::write(path, out).unwrap();
}

/// A page the model has not seen: a menu, prose with a content list, a footer.
const UNSEEN: &str = "Home\nSport\nWeather\nPuzzles\nThe ferry across the estuary resumed service on Monday after a month of repairs to its landing ramp, the harbour office said.\nThe remaining stops on the tour are:\nJune 12 – Harlow, Millbrook Hall\nJune 14 – Dunmore, The Old Granary\nJune 19 – Westport, Quay Theatre\nPassengers had been using a bus detour that added nearly an hour to the trip, and local shops said trade had fallen sharply.\nThe harbour office thanked residents for their patience and said the timetable would return to normal by the weekend.\nAbout us\nContact\nPrivacy policy\nCareers\n";

const UNSEEN_CLEAN: &str = "The ferry across the estuary resumed service on Monday after a month of repairs to its landing ramp, the harbour office said.\nThe remaining stops on the tour are:\nJune 12 – Harlow, Millbrook Hall\nJune 14 – Dunmore, The Old Granary\nJune 19 – Westport, Quay Theatre\nPassengers had been using a bus detour that added nearly an hour to the trip, and local shops said trade had fallen sharply.\nThe harbour office thanked residents for their patience and said the timetable would return to normal by the weekend.\n";

/// Trains a model on 80 generated pages into `dir/model.toml`.
fn trained(dir: &TempDir) -> std::path::PathBuf {
    let data = dir.path().join("pages.jsonl");
    write_training(&data, 80);
    let model = dir.path().join("model.toml");
    deboil()
        .args(["train", "--no-default-rules", "--rounds", "40", "--seed", "3", "--threshold", "0.5", "-o"])
        .arg(&model)
        .arg(&data)
        .assert()
        .success()
        .stdout(predicate::str::contains("pages/north"))
        .stdout(predicate::str::contains("pages/south"))
        .stdout(predicate::str::contains("80 pages"));
    model
}

#[test]
fn a_trained_model_removes_menus_and_footers_and_keeps_prose_and_content_lists() {
    let dir = TempDir::new().unwrap();
    let model = trained(&dir);
    let input = dir.path().join("unseen.txt");
    fs::write(&input, UNSEEN).unwrap();
    deboil()
        .args(["clean", "-q", "--no-default-rules", "--rules"])
        .arg(&model)
        .arg(&input)
        .assert()
        .success()
        .stdout(UNSEEN_CLEAN);
    // Off by category, or by a threshold no line reaches: the page comes back whole.
    for off in [&["--ignore", "model"][..], &["--model-threshold", "0.999999"][..]] {
        deboil()
            .args(["clean", "-q", "--no-default-rules", "--rules"])
            .arg(&model)
            .args(off)
            .arg(&input)
            .assert()
            .success()
            .stdout(UNSEEN);
    }
}

#[test]
fn training_is_deterministic_and_keeps_the_rule_header_and_examples() {
    let dir = TempDir::new().unwrap();
    let model = trained(&dir);
    let first = fs::read_to_string(&model).unwrap();
    // A reviewer names the rule and adds examples; retraining keeps them.
    let edited = first
        .replace("id = \"line-model\"", "id = \"valley-model\"")
        .replace("kind = \"model\"\n", "kind = \"model\"\nlangs = [\"en\"]\n")
        .replacen(
            "[rule.model]",
            &format!("keep = [{UNSEEN_CLEAN:?}]\n\n[[rule.example]]\ninput = {UNSEEN:?}\noutput = {UNSEEN_CLEAN:?}\n\n[rule.model]"),
            1,
        );
    fs::write(&model, &edited).unwrap();
    deboil().args(["rules", "test", "--no-default-rules"]).arg(&model).assert().success();
    let data = dir.path().join("pages.jsonl");
    deboil()
        .args(["train", "--no-default-rules", "--rounds", "40", "--seed", "3", "--threshold", "0.5", "-o"])
        .arg(&model)
        .arg(&data)
        .assert()
        .success();
    let again = fs::read_to_string(&model).unwrap();
    assert!(again.contains("id = \"valley-model\"") && again.contains("langs = [\"en\"]"));
    assert!(again.contains("[[rule.example]]") && again.contains("Puzzles"));
    let model_part = |t: &str| t[t.find("[rule.model]").unwrap()..].to_string();
    assert_eq!(model_part(&again), model_part(&first), "same data and seed, same model");
}

#[test]
fn explain_shows_the_score_and_the_features_that_moved_it() {
    let dir = TempDir::new().unwrap();
    let model = trained(&dir);
    let input = dir.path().join("unseen.txt");
    fs::write(&input, UNSEEN).unwrap();
    let out = deboil()
        .args(["explain", "--color", "never", "--no-default-rules", "--rules"])
        .arg(&model)
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let removed = text.lines().skip_while(|l| !l.contains("remove Home")).nth(2).unwrap();
    assert!(removed.trim_start().starts_with("line-model 0."), "{text}");
    assert!(removed.contains(">= 0.5: "), "{removed}");
    let kept = text.lines().skip_while(|l| !l.contains("keep   June 12")).nth(1).unwrap();
    assert!(kept.contains("< 0.5: "), "{kept}");
    // diff labels the removal with the rule and its score.
    deboil()
        .args(["diff", "--color", "never", "--no-default-rules", "--rules"])
        .arg(&model)
        .arg(&input)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"- Home  # line-model score [01]\.\d\d").unwrap());
}

#[test]
fn bad_training_data_and_model_tables_are_refused_with_their_place() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("bad.jsonl");
    fs::write(&data, "{\"text\": \"a\\nb\", \"labels\": [1]}\n").unwrap();
    deboil()
        .args(["train", "-o"])
        .arg(dir.path().join("m.toml"))
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.jsonl:1: \"labels\" has 1 entries but the text has 2 lines"));

    let model = trained(&dir);
    let text = fs::read_to_string(&model).unwrap();
    let broken = text.replacen("left = [1, ", "left = [0, ", 1);
    fs::write(&model, broken).unwrap();
    deboil()
        .args(["clean", "--no-default-rules", "--rules"])
        .arg(&model)
        .arg(dir.path().join("bad.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("model.toml:"))
        .stderr(predicate::str::contains(
            "rule \"line-model\": tree 1: node 0 has children 0 and 1 out of order",
        ));
}
