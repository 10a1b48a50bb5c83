//! The `deboil` binary end to end: inputs, outputs, formats, errors, rule commands.

use std::fs;

use predicates::prelude::*;
use tempfile::TempDir;

use crate::util::deboil;

const DIRTY: &str = "Harbor crews finished the new pier on Friday, the mayor said.\n\nAdvertisement\n\nThe pier cost $4 million.\n";
const CLEANED: &str =
    "Harbor crews finished the new pier on Friday, the mayor said.\n\nThe pier cost $4 million.\n";

const AD_RULE: &str = "[[rule]]\nid = \"ad-marker-test\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"Ad marker.\"\npattern = '^Advertisement$'\nremove = [\"Advertisement\", \" Advertisement \"]\nkeep = [\"The advertisement ran twice.\", \"Advertisement revenue fell.\"]\n";

/// `deboil clean INPUT -o OUTPUT`, to which a test adds its own flags.
fn clean_into(
    input: impl AsRef<std::ffi::OsStr>,
    output: impl AsRef<std::ffi::OsStr>,
) -> assert_cmd::Command {
    let mut cmd = deboil();
    cmd.arg("clean").arg(input).arg("-o").arg(output);
    cmd
}

fn dir_with(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn clean_one_text_file_to_stdout() {
    let dir = dir_with(&[("a.txt", DIRTY)]);
    deboil().arg("clean").arg(dir.path().join("a.txt")).arg("-q").assert().success().stdout(CLEANED);
}

#[test]
fn clean_prints_a_summary_on_stderr() {
    let dir = dir_with(&[("a.txt", DIRTY)]);
    deboil()
        .args(["clean", "--no-default-rules", "--rules"])
        .arg(dir_with(&[("r.toml", AD_RULE)]).path().join("r.toml"))
        .arg(dir.path().join("a.txt"))
        .assert()
        .success()
        .stderr("deboil: 1 documents, 1 changed, 0 rejected, 0 flagged, 0 skipped; 14 of 104 bytes removed (13.5%); top rules: ad-marker-test (1)\n");
}

#[test]
fn clean_directory_mirrors_the_tree_and_skips_hidden_and_unknown_files() {
    let input = dir_with(&[
        ("a.txt", DIRTY),
        ("sub/b.txt", "Plain prose.\n"),
        (".hidden.txt", DIRTY),
        ("notes.md", DIRTY),
    ]);
    let out = TempDir::new().unwrap();
    let target = out.path().join("clean");
    clean_into(input.path(), &target).arg("-q").assert().success();
    assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), CLEANED);
    assert_eq!(fs::read_to_string(target.join("sub/b.txt")).unwrap(), "Plain prose.\n");
    assert!(!target.join(".hidden.txt").exists());
    assert!(!target.join("notes.md").exists());
}

#[test]
fn jsonl_keeps_other_fields_and_their_order() {
    let line1 = format!(
        "{{\"id\":\"d1\",\"text\":{},\"meta\":{{\"z\":1,\"a\":[true,null]}},\"n\":1.50}}",
        serde_json::to_string(DIRTY).unwrap()
    );
    let line2 = "{\"text\":\"Untouched prose.\",  \"id\" : 2}";
    let dir = dir_with(&[("in.jsonl", &format!("{line1}\n{line2}\n"))]);
    let out = deboil().arg("clean").arg(dir.path().join("in.jsonl")).arg("-q").assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let expected1 = format!(
        "{{\"id\":\"d1\",\"text\":{},\"meta\":{{\"z\":1,\"a\":[true,null]}},\"n\":1.50}}",
        serde_json::to_string(CLEANED).unwrap()
    );
    assert_eq!(stdout, format!("{expected1}\n{line2}\n"));
}

#[test]
fn jsonl_annotate_adds_removal_offsets() {
    let line = format!("{{\"id\":1,\"text\":{}}}\n", serde_json::to_string(DIRTY).unwrap());
    let out = deboil()
        .args(["clean", "-", "--format", "jsonl", "-q", "--annotate", "deboil"])
        .write_stdin(line)
        .assert()
        .success();
    let rec: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(rec["text"], CLEANED);
    assert_eq!(rec["deboil"], serde_json::json!([{"start": 63, "end": 77, "rule": "advertisement-label"}]));
}

#[test]
fn dash_output_is_stdout() {
    let dir = tempfile::tempdir().unwrap();
    // `/dev/stdout` too: a link to the pipe the output goes to, written through.
    let dev_stdout = std::path::Path::new("/dev/stdout").exists();
    for out in std::iter::once("-").chain(dev_stdout.then_some("/dev/stdout")) {
        deboil()
            .current_dir(dir.path())
            .args(["clean", "-", "-o", out, "-q"])
            .write_stdin(DIRTY)
            .assert()
            .success()
            .stdout(CLEANED);
    }
    assert!(!dir.path().join("-").exists(), "no file named '-'");
}

/// `--rejects` and `--stats` files are outputs too: one that is an input, the `-o` output or
/// the other side file is refused before anything is written (it replaced the input, or one of
/// the two outputs was lost); `/dev/null` may take both.
#[cfg(unix)]
#[test]
fn side_files_may_not_clash_with_inputs_or_outputs() {
    let line = format!("{{\"text\":{}}}\n", serde_json::to_string(DIRTY).unwrap());
    let dir = dir_with(&[("in.jsonl", &line)]);
    let run = |args: &[&str]| {
        let mut cmd = deboil();
        cmd.current_dir(dir.path()).args(["clean", "in.jsonl", "-q", "--min-chars", "10"]).args(args);
        cmd.assert()
    };
    for (args, message) in [
        (&["--rejects", "in.jsonl"][..], "--rejects in.jsonl is the same file as input in.jsonl"),
        (&["--stats", "./in.jsonl"], "--stats ./in.jsonl is the same file as input in.jsonl"),
        (&["-o", "out.jsonl", "--rejects", "out.jsonl"], "--rejects out.jsonl is also the output"),
        (&["--rejects", "r.jsonl", "--stats", "r.jsonl"], "--rejects and --stats name the same file r.jsonl"),
        (&["--stats", "."], "--stats . is a directory"),
    ] {
        run(args).code(2).stderr(predicate::str::contains(message));
    }
    assert_eq!(fs::read_to_string(dir.path().join("in.jsonl")).unwrap(), line, "the input is untouched");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "nothing written");
    run(&["--rejects", "/dev/null", "--stats", "/dev/null"]).success();
}

/// `report` and `mine` read every input before they write: an output that is one of them is
/// refused up front (it was replaced by the page or the draft).
#[test]
fn report_and_mine_refuse_to_write_over_an_input() {
    let line = format!("{{\"text\":{}}}\n", serde_json::to_string(DIRTY).unwrap());
    let dir = dir_with(&[("in.jsonl", &line)]);
    for (command, what) in [("report", "report"), ("mine", "draft")] {
        deboil()
            .current_dir(dir.path())
            .args([command, "in.jsonl", "-o", "./in.jsonl"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "{what} ./in.jsonl is the same file as input in.jsonl"
            )));
    }
    assert_eq!(fs::read_to_string(dir.path().join("in.jsonl")).unwrap(), line);
}

/// One input file and `-o` an existing directory, or a path ending in `/`: the output goes
/// into it under the input's name, as `cp` does (it failed at the end, after all the work).
/// Stdin has no name to go under a directory: refused before anything is read.
#[test]
fn one_input_into_a_directory_keeps_its_name() {
    let dir = dir_with(&[("a.txt", DIRTY), ("existing/keep.txt", "")]);
    let run = |out: &str| deboil().current_dir(dir.path()).args(["clean", "a.txt", "-q", "-o", out]).assert();
    run("existing").success();
    run("new/").success();
    for out in ["existing/a.txt", "new/a.txt"] {
        assert_eq!(fs::read_to_string(dir.path().join(out)).unwrap(), CLEANED, "{out}");
    }
    deboil()
        .current_dir(dir.path())
        .args(["clean", "-", "-q", "-o", "existing"])
        .write_stdin(DIRTY)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "stdin (-) has no file name to write under output directory existing",
        ));
    assert!(!dir.path().join("existing/-").exists());
}

/// An output that is a pipe or a device (a FIFO here; `/dev/null` alike) is written to, not
/// replaced by a regular file through the temporary-file rename.
#[cfg(unix)]
#[test]
fn output_to_a_fifo_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = dir_with(&[("a.txt", DIRTY)]);
    let fifo = dir.path().join("out.fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    clean_into(dir.path().join("a.txt"), &fifo).arg("-q").assert().success();
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO");
    assert_eq!(reader.join().unwrap(), CLEANED);
    // Through a symbolic link, as `/dev/stdout` is one.
    let link = dir.path().join("out-link");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    clean_into(dir.path().join("a.txt"), &link).arg("-q").assert().success();
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink(), "still a link");
    assert_eq!(reader.join().unwrap(), CLEANED);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 3, "no temporary file left");
}

#[test]
fn stdin_text_to_stdout() {
    deboil().args(["clean", "-", "-q"]).write_stdin(DIRTY).assert().success().stdout(CLEANED);
}

#[test]
fn gzip_and_zstd_round_trip() {
    let line = format!("{{\"text\":{}}}\n", serde_json::to_string(DIRTY).unwrap());
    let dir = dir_with(&[("in.jsonl", &line)]);
    let gz = dir.path().join("out.jsonl.gz");
    let zst = dir.path().join("out.jsonl.zst");
    clean_into(dir.path().join("in.jsonl"), &gz).arg("-q").assert().success();
    clean_into(&gz, &zst).arg("-q").assert().success();
    let out = deboil().arg("clean").arg(&zst).arg("-q").assert().success();
    let expected = format!("{{\"text\":{}}}\n", serde_json::to_string(CLEANED).unwrap());
    assert_eq!(String::from_utf8(out.get_output().stdout.clone()).unwrap(), expected);
}

#[test]
fn malformed_jsonl_names_file_and_line_and_leaves_no_output() {
    let dir = dir_with(&[("in.jsonl", "{\"text\":\"ok\"}\n{\"text\":\"ok\"}\n{\"text\": oops}\n")]);
    let target = dir.path().join("out.jsonl");
    clean_into(dir.path().join("in.jsonl"), &target)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in.jsonl:3: invalid JSON: expected value at line 1 column 10"));
    assert!(!target.exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left behind");
}

#[test]
fn record_without_text_field_is_an_error() {
    deboil()
        .args(["clean", "-", "--format", "jsonl"])
        .write_stdin("{\"body\":\"x\"}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-:1: record has no \"text\" field"));
}

#[test]
fn invalid_utf8_names_the_line_and_skip_passes_it_through() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("bad.txt");
    fs::write(&path, b"line one\nline \xff two\n").unwrap();
    deboil()
        .arg("clean")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.txt:2: invalid UTF-8 at byte 14"));
    deboil()
        .arg("clean")
        .arg(&path)
        .args(["--on-error", "skip"])
        .assert()
        .success()
        .stdout(predicate::eq(b"line one\nline \xff two\n" as &[u8]))
        .stderr(predicate::str::contains("skipped: "));
}

#[test]
fn output_equal_to_input_is_refused() {
    let dir = dir_with(&[("a.txt", DIRTY)]);
    let path = dir.path().join("a.txt");
    clean_into(&path, &path).assert().code(2).stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(fs::read_to_string(&path).unwrap(), DIRTY);
}

#[test]
fn output_reaching_an_input_by_another_path_is_refused() {
    let dir = dir_with(&[("docs/a.txt", DIRTY)]);
    let docs = dir.path().join("docs");
    std::os::unix::fs::symlink(&docs, dir.path().join("alias")).unwrap();
    // A file input and an output directory that mirrors it onto itself through a link.
    deboil()
        .arg("clean")
        .arg(docs.join("a.txt"))
        .arg(dir.path().join("docs/../docs/a.txt"))
        .arg("-o")
        .arg(dir.path().join("alias"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    clean_into(docs.join("a.txt"), dir.path().join("alias/a.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(fs::read_to_string(docs.join("a.txt")).unwrap(), DIRTY);
}

#[test]
fn several_text_inputs_need_an_output_directory() {
    let dir = dir_with(&[("a.txt", DIRTY), ("b.txt", DIRTY)]);
    deboil().arg("clean").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("give -o DIR"));
}

#[test]
fn bad_rule_file_stops_before_any_work() {
    let rules = dir_with(&[(
        "r.toml",
        "[[rule]]\nid = \"x\"\ncategory = \"ad\"\nkind = \"line\"\ndescription = \"d\"\npattern = '(('\n",
    )]);
    deboil()
        .args(["clean", "-", "--rules"])
        .arg(rules.path().join("r.toml"))
        .write_stdin(DIRTY)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("r.toml:6:11: rule \"x\": invalid regex"));
}

#[test]
fn select_and_ignore_by_category_or_id() {
    deboil()
        .args(["clean", "-", "-q", "--select", "ad"])
        .write_stdin(DIRTY)
        .assert()
        .success()
        .stdout(CLEANED);
    deboil().args(["clean", "-", "-q", "--ignore", "ad"]).write_stdin(DIRTY).assert().success().stdout(DIRTY);
    deboil()
        .args(["clean", "-", "--select", "no-such-rule"])
        .write_stdin(DIRTY)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule id or category \"no-such-rule\""));
}

#[test]
fn stats_file_has_per_rule_and_category_counts() {
    let dir = dir_with(&[("a.txt", DIRTY)]);
    let stats = dir.path().join("stats.json");
    deboil()
        .arg("clean")
        .arg(dir.path().join("a.txt"))
        .arg("--stats")
        .arg(&stats)
        .arg("-q")
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(stats).unwrap()).unwrap();
    assert_eq!(v["documents"], 1);
    assert_eq!(v["changed"], 1);
    assert_eq!(v["categories"]["ad"]["hits"], 1);
}

#[test]
fn rules_list_show_and_json() {
    deboil().args(["rules", "list"]).assert().success().stdout(predicate::str::contains("wire-photo-credit"));
    let out = deboil().args(["rules", "list", "--format", "json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(
        v.as_array().unwrap().iter().any(|r| r["id"] == "wire-photo-credit" && r["category"] == "credit")
    );
    deboil()
        .args(["rules", "show", "wire-photo-credit"])
        .assert()
        .success()
        .stdout(predicate::str::contains("kind:        caption"));
    deboil().args(["rules", "show", "nope"]).assert().code(2);
}

#[test]
fn rules_test_reports_failures_with_place_and_exit_code() {
    let bad = AD_RULE.replace("\"The advertisement ran twice.\"", "\"Advertisement\"");
    let dir =
        dir_with(&[("good.toml", AD_RULE), ("bad.toml", &bad.replace("ad-marker-test", "ad-marker-bad"))]);
    deboil()
        .args(["rules", "test", "--no-default-rules"])
        .arg(dir.path().join("good.toml"))
        .assert()
        .success()
        .stdout("1 rules, 4 examples: 4 passed, 0 failed\n");
    deboil()
        .args(["rules", "test", "--no-default-rules"])
        .arg(dir.path().join("bad.toml"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "bad.toml:8:9: rule \"ad-marker-bad\": expected nothing removed, got \"\"",
        ));
}

#[test]
fn rules_check_validates_files() {
    let dir = dir_with(&[("r.toml", AD_RULE)]);
    deboil().args(["rules", "check"]).arg(dir.path()).assert().success().stdout("ok: 1 rules\n");
    let empty = TempDir::new().unwrap();
    deboil()
        .args(["rules", "check"])
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rules found"));
}

fn jsonl_corpus(n: usize) -> String {
    (0..n)
        .map(|i| {
            let text =
                if i % 3 == 0 { DIRTY.to_string() } else { format!("Prose number {i} about the harbor.\n") };
            format!("{{\"id\":{i},\"text\":{}}}\n", serde_json::to_string(&text).unwrap())
        })
        .collect()
}

#[test]
fn output_is_identical_for_one_and_two_jobs_and_keeps_order() {
    let corpus = jsonl_corpus(3000);
    let run = |jobs: &str| {
        let out = deboil()
            .args(["clean", "-", "--format", "jsonl", "-q", "--jobs", jobs])
            .write_stdin(corpus.clone())
            .assert()
            .success();
        out.get_output().stdout.clone()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let ids: Vec<u64> = one
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<serde_json::Value>(l).unwrap()["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (0..3000).collect::<Vec<_>>());
}

/// `n` JSONL records made of the fixture documents, round and round, each with its own id and
/// other fields that pass through (in varying order and kinds, some with a URL for site rules),
/// some with a junk line added.
fn fixture_documents_corpus(n: usize) -> String {
    let mut docs: Vec<(String, String)> = fs::read_dir(crate::util::fixture("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), fs::read_to_string(&p).unwrap()))
        .collect();
    docs.sort();
    (0..n)
        .map(|i| {
            let (name, doc) = &docs[i % docs.len()];
            let text = match i % 5 {
                0 => format!("{doc}\nShare this article\n"),
                1 => format!("Advertisement\n\n{doc}"),
                _ => doc.clone(),
            };
            let text = serde_json::to_string(&text).unwrap();
            match i % 4 {
                0 => format!(
                    "{{\"id\":\"{name}-{i}\",\"text\":{text},\"meta\":{{\"n\":{i},\"tags\":[\"a\",null]}}}}\n"
                ),
                1 => format!(
                    "{{\"url\":\"https://www.reuters.com/world/{name}-{i}\",\"text\":{text},\"id\":{i}}}\n"
                ),
                2 => format!("{{\"id\":{i},\"score\":1.50e-3,\"text\":{text},\"ok\":true}}\n"),
                _ => format!("{{\"text\":{text},  \"id\" : \"{i:05}\", \"lang\":null}}\n"),
            }
        })
        .collect()
}

/// A corpus of real-looking documents, several batches of them, comes out byte for byte the
/// same with one, two and four cleaning threads, and is cleaned (not passed through).
#[test]
fn fixture_documents_corpus_is_identical_for_one_two_and_four_jobs() {
    let n = 2400;
    let input = dir_with(&[("corpus.jsonl", &fixture_documents_corpus(n))]);
    let out = TempDir::new().unwrap();
    let run = |jobs: &str| {
        let target = out.path().join(format!("j{jobs}.jsonl"));
        clean_into(input.path().join("corpus.jsonl"), &target).args(["-q", "-j", jobs]).assert().success();
        fs::read(target).unwrap()
    };
    let one = run("1");
    assert!(one == run("2"), "-j 2 differs from -j 1");
    assert!(one == run("4"), "-j 4 differs from -j 1");
    let before = fs::read_to_string(input.path().join("corpus.jsonl")).unwrap();
    let after = String::from_utf8(one).unwrap();
    assert_eq!(after.lines().count(), n);
    let text_len =
        |line: &str| serde_json::from_str::<serde_json::Value>(line).unwrap()["text"].as_str().unwrap().len();
    let changed = before.lines().zip(after.lines()).filter(|(a, b)| text_len(a) > text_len(b)).count();
    let (was, is): (usize, usize) = (before.lines().map(text_len).sum(), after.lines().map(text_len).sum());
    assert!(changed > n / 2, "only {changed} of {n} records cleaned");
    assert!(is < was - was / 20, "{was} bytes of text became {is}");
}

/// Text documents go through reading, cleaning and writing in batches on three threads: many
/// of them (several batches) come out the same for one and two jobs, each in its own file.
#[test]
fn many_text_documents_are_identical_for_one_and_two_jobs() {
    let files: Vec<(String, String)> = (0..700)
        .map(|i| {
            let text =
                if i % 3 == 0 { DIRTY.to_string() } else { format!("Prose number {i} about the harbor.\n") };
            (format!("d/{i:04}.txt"), text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let input = dir_with(&refs);
    let out = TempDir::new().unwrap();
    for jobs in ["1", "2"] {
        let target = out.path().join(jobs);
        clean_into(input.path(), &target).args(["-q", "-j", jobs]).assert().success();
        for (name, text) in &files {
            let want = if text == DIRTY { CLEANED } else { text.as_str() };
            assert_eq!(fs::read_to_string(target.join(name)).unwrap(), want, "{name} with -j {jobs}");
        }
    }
}

/// A bad document deep in a run of text documents stops it with the document's name, after
/// the documents before it are written; none after it is.
#[test]
fn a_bad_text_document_in_a_later_batch_stops_the_run() {
    let mut files: Vec<(String, Vec<u8>)> =
        (0..600).map(|i| (format!("{i:04}.txt"), format!("Doc {i}.\n").into_bytes())).collect();
    files[500].1 = b"bad \xff byte\n".to_vec();
    let input = TempDir::new().unwrap();
    for (name, bytes) in &files {
        fs::write(input.path().join(name), bytes).unwrap();
    }
    let out = TempDir::new().unwrap();
    clean_into(input.path(), out.path().join("o"))
        .args(["-q", "-j", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0500.txt:1: invalid UTF-8 at byte 4"));
    assert!(out.path().join("o/0000.txt").exists());
    assert!(!out.path().join("o/0500.txt").exists() && !out.path().join("o/0599.txt").exists());
}

/// A malformed record several batches into a JSONL file: the error names its line, and the
/// output file is not created.
#[test]
fn malformed_record_in_a_later_batch_names_its_line_and_leaves_no_output() {
    let mut corpus = jsonl_corpus(60_000);
    corpus.push_str("{\"text\": oops}\n");
    corpus.push_str(&jsonl_corpus(10));
    assert!(corpus.len() > 3 << 20, "spans several 1 MiB batches");
    let dir = dir_with(&[("in.jsonl", &corpus)]);
    let target = dir.path().join("out.jsonl");
    clean_into(dir.path().join("in.jsonl"), &target)
        .args(["-j", "2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("in.jsonl:60001: invalid JSON"));
    assert!(!target.exists());
}

#[test]
fn shards_cover_every_file_exactly_once() {
    let files: Vec<(String, String)> = (0..7).map(|i| (format!("d{i}.txt"), format!("Doc {i}.\n"))).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let input = dir_with(&refs);
    let out = TempDir::new().unwrap();
    let mut seen = Vec::new();
    for shard in 0..3 {
        let target = out.path().join(format!("s{shard}"));
        clean_into(input.path(), &target).args(["-q", "--shard", &format!("{shard}/3")]).assert().success();
        if target.exists() {
            seen.extend(
                fs::read_dir(&target).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()),
            );
        }
    }
    seen.sort();
    assert_eq!(seen, (0..7).map(|i| format!("d{i}.txt")).collect::<Vec<_>>());
    deboil()
        .args(["clean", "-", "--shard", "3/3"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("need 0 <= I < N"));
}

#[test]
fn short_documents_go_to_rejects_with_a_reason_and_are_counted() {
    let corpus =
        "{\"id\":1,\"text\":\"Tiny.\"}\n{\"id\":2,\"text\":\"A document long enough to keep around.\"}\n";
    let dir = dir_with(&[("in.jsonl", corpus)]);
    let rejects = dir.path().join("rejects.jsonl");
    let stats = dir.path().join("stats.json");
    deboil()
        .arg("clean")
        .arg(dir.path().join("in.jsonl"))
        .args(["-q", "--min-chars", "20", "--rejects"])
        .arg(&rejects)
        .arg("--stats")
        .arg(&stats)
        .assert()
        .success()
        .stdout("{\"id\":2,\"text\":\"A document long enough to keep around.\"}\n");
    assert_eq!(
        fs::read_to_string(&rejects).unwrap(),
        "{\"id\":1,\"text\":\"Tiny.\",\"deboil_reject\":\"too short after cleaning: 5 < 20 characters\"}\n"
    );
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(stats).unwrap()).unwrap();
    assert_eq!((v["documents"].as_u64(), v["rejected"].as_u64()), (Some(2), Some(1)));
}

#[test]
fn in_place_replaces_inputs_atomically() {
    let dir = dir_with(&[
        ("a.txt", DIRTY),
        ("b.jsonl", &format!("{{\"text\":{}}}\n", serde_json::to_string(DIRTY).unwrap())),
    ]);
    deboil().arg("clean").arg(dir.path()).args(["-q", "--in-place"]).assert().success();
    assert_eq!(fs::read_to_string(dir.path().join("a.txt")).unwrap(), CLEANED);
    assert!(fs::read_to_string(dir.path().join("b.jsonl")).unwrap().contains("The pier cost"));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2, "no temporary files left");
}

/// A symbolic link as the output, or as an input cleaned in place, stays a link: the file it
/// points to gets the output (as a shell redirection would write it).
#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_not_replaced() {
    let dir = dir_with(&[("data/a.txt", DIRTY), ("data/out.txt", "")]);
    let (input, output) = (dir.path().join("in-link.txt"), dir.path().join("out-link.txt"));
    std::os::unix::fs::symlink(dir.path().join("data/a.txt"), &input).unwrap();
    std::os::unix::fs::symlink(dir.path().join("data/out.txt"), &output).unwrap();
    clean_into(&input, &output).arg("-q").assert().success();
    assert_eq!(fs::read_to_string(dir.path().join("data/out.txt")).unwrap(), CLEANED);
    deboil().arg("clean").arg(&input).args(["-q", "--in-place"]).assert().success();
    assert_eq!(fs::read_to_string(dir.path().join("data/a.txt")).unwrap(), CLEANED);
    for link in [input, output] {
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink(), "{} is still a link", link.display());
    }
    assert_eq!(fs::read_dir(dir.path().join("data")).unwrap().count(), 2, "no temporary files left");
}

#[test]
fn max_removed_guard_leaves_the_document_and_flags_it() {
    let text = "Advertisement\nAdvertisement\nShort.\n";
    deboil()
        .args(["clean", "-", "--select", "ad", "--max-removed", "0.5"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(text)
        .stderr(predicate::str::contains("1 flagged"));
    deboil()
        .args(["clean", "-", "-q", "--select", "ad", "--max-removed", "1"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout("Short.\n");
}

#[test]
fn fixture_corpus_keeps_every_record_and_every_other_field() {
    let input = fs::read_to_string(crate::util::fixture("corpus.jsonl")).unwrap();
    let out = deboil().arg("clean").arg(crate::util::fixture("corpus.jsonl")).arg("-q").assert().success();
    let output = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let (ins, outs): (Vec<&str>, Vec<&str>) = (input.lines().collect(), output.lines().collect());
    assert_eq!(ins.len(), outs.len());
    let mut changed = 0;
    for (a, b) in ins.iter().zip(&outs) {
        let (a, b): (serde_json::Value, serde_json::Value) =
            (serde_json::from_str(a).unwrap(), serde_json::from_str(b).unwrap());
        let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&a), ["id", "url", "text", "lang", "meta"]);
        assert_eq!(keys(&a), keys(&b));
        for k in ["id", "url", "lang", "meta"] {
            assert_eq!(a[k], b[k]);
        }
        changed += usize::from(a["text"] != b["text"]);
    }
    assert!(changed >= 5, "only {changed} records changed");
}

#[test]
fn site_rules_apply_by_url_for_text_and_jsonl() {
    let text = "Harbor talks resume\n\nWorld News\n\nNegotiators met again on Monday.\n";
    let cleaned = "Harbor talks resume\n\nNegotiators met again on Monday.\n";
    deboil().args(["clean", "-", "-q"]).write_stdin(text).assert().success().stdout(text);
    deboil()
        .args(["clean", "-", "-q", "--url", "https://uk.reuters.com/world/harbor"])
        .write_stdin(text)
        .assert()
        .success()
        .stdout(cleaned);
    let rec = |url: &str, t: &str| {
        format!("{{\"url\":\"{url}\",\"text\":{}}}\n", serde_json::to_string(t).unwrap())
    };
    let input = rec("https://www.reuters.com/a", text) + &rec("https://example.org/a", text);
    deboil()
        .args(["clean", "-", "-q", "--format", "jsonl"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(rec("https://www.reuters.com/a", cleaned) + &rec("https://example.org/a", text));
    // datatrove and dolma keep the URL under `metadata`: a dotted field name reaches it.
    let nested = |t: &str| {
        format!(
            "{{\"text\":{},\"id\":\"d1\",\"metadata\":{{\"url\":\"https://www.reuters.com/a\"}}}}\n",
            serde_json::to_string(t).unwrap()
        )
    };
    deboil()
        .args(["clean", "-", "-q", "--format", "jsonl", "--url-field", "metadata.url"])
        .write_stdin(nested(text))
        .assert()
        .success()
        .stdout(nested(cleaned));
}

#[test]
fn mine_drafts_reviewable_site_rules() {
    let mut corpus = String::new();
    for (i, topic) in ["ferries", "tides", "cranes", "gulls", "piers", "storms"].iter().enumerate() {
        let text = format!(
            "A story about {topic} in the harbour, told in its own words.\nListen to the Harbour Hour podcast\nPage {i} of 9\n"
        );
        corpus.push_str(&format!(
            "{{\"url\":\"https://www.harbour.example/{i}\",\"text\":{}}}\n",
            serde_json::to_string(&text).unwrap()
        ));
    }
    let dir = dir_with(&[("corpus.jsonl", &corpus)]);
    let draft = dir.path().join("draft.toml");
    deboil()
        .arg("mine")
        .arg(dir.path().join("corpus.jsonl"))
        .args(["--min-docs", "3", "-o"])
        .arg(&draft)
        .assert()
        .success()
        .stderr(predicate::str::contains("6 documents, 2 candidates drafted"));
    let text = fs::read_to_string(&draft).unwrap();
    assert!(text.contains("sites = [\"harbour.example\"]"), "{text}");
    assert!(text.contains("# REVIEW: in 6 of 6 harbour.example documents (100%)"));
    // The draft loads as it is, and the review command runs on it.
    let out = deboil()
        .args(["diff", "--color", "never", "--per-rule", "1", "--no-default-rules", "--rules"])
        .arg(&draft)
        .arg(dir.path().join("corpus.jsonl"))
        .assert()
        .success();
    let out = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(out.contains("- Listen to the Harbour Hour podcast  # mined-harbour-example-"), "{out}");
    assert!(out.contains("- Page 0 of 9  # mined-harbour-example-"), "{out}");
}

#[test]
fn stats_of_shards_sum_to_the_stats_of_the_whole_run() {
    let files: Vec<(String, String)> =
        (0..9).map(|i| (format!("d{i}.jsonl"), jsonl_corpus(10 + i))).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let input = dir_with(&refs);
    let work = TempDir::new().unwrap();
    let whole = work.path().join("whole.json");
    clean_into(input.path(), work.path().join("all")).arg("-q").arg("--stats").arg(&whole).assert().success();
    let mut shard_files = Vec::new();
    for shard in 0..4 {
        let stats = work.path().join(format!("s{shard}.json"));
        clean_into(input.path(), work.path().join(format!("out{shard}")))
            .args(["-q", "--shard", &format!("{shard}/4"), "--stats"])
            .arg(&stats)
            .assert()
            .success();
        shard_files.push(stats);
    }
    let out = deboil().arg("stats").args(&shard_files).assert().success();
    let summed: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let whole: serde_json::Value = serde_json::from_str(&fs::read_to_string(whole).unwrap()).unwrap();
    assert_eq!(summed, whole);
}
