//! Hostile and broken input: no panic, a clear message naming the file and line, the right
//! exit code, and no document lost without being counted.

use std::fs;
use std::io::Write;

use predicates::prelude::*;
use tempfile::TempDir;

use crate::util::deboil;

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn empty_inputs_are_fine() {
    let dir = TempDir::new().unwrap();
    for name in ["empty.txt", "empty.jsonl"] {
        let path = write(&dir, name, b"");
        deboil().arg("clean").arg(&path).assert().success().stdout("").stderr(predicate::str::contains(
            if name.ends_with("txt") { "1 documents" } else { "0 documents" },
        ));
    }
}

#[test]
fn blank_jsonl_lines_are_not_records() {
    deboil()
        .args(["clean", "-", "--format", "jsonl"])
        .write_stdin("\n{\"text\":\"a\"}\n   \n{\"text\":\"b\"}\n\n")
        .assert()
        .success()
        .stdout("{\"text\":\"a\"}\n{\"text\":\"b\"}\n")
        .stderr(predicate::str::contains("2 documents"));
}

/// A UTF-8 byte order mark (written by some Windows tools) is not content: a JSONL file that
/// opens with one is read (the output, being JSON, has none), through `clean` and `diff` alike,
/// and a text file's first line is matched without it.
#[test]
fn a_byte_order_mark_is_not_content() {
    let dir = TempDir::new().unwrap();
    let jsonl =
        write(&dir, "bom.jsonl", b"\xEF\xBB\xBF{\"text\":\"Rain.\\nAdvertisement\"}\n{\"text\":\"b\"}\n");
    deboil()
        .arg("clean")
        .arg(&jsonl)
        .arg("-q")
        .assert()
        .success()
        .stdout("{\"text\":\"Rain.\\n\"}\n{\"text\":\"b\"}\n");
    deboil().arg("diff").arg(&jsonl).assert().success().stdout(predicate::str::contains("Advertisement"));
    let text = write(&dir, "bom.txt", b"\xEF\xBB\xBFAdvertisement\nThe harbour reopened on Monday.\n");
    deboil().arg("clean").arg(&text).arg("-q").assert().success().stdout("The harbour reopened on Monday.\n");
}

#[test]
fn text_field_of_the_wrong_type_names_the_line() {
    deboil()
        .args(["clean", "-", "--format", "jsonl"])
        .write_stdin("{\"text\":\"ok\"}\n{\"text\":[1,2]}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-:2: field \"text\" is not a string"));
}

#[test]
fn skip_policy_passes_bad_records_through_and_counts_them() {
    let dir = TempDir::new().unwrap();
    let stats = dir.path().join("stats.json");
    let input =
        "{\"text\":\"Advertisement\\nThe body of the story, long enough to keep.\"}\nnot json\n{\"id\":3}\n";
    deboil()
        .args(["clean", "-", "--format", "jsonl", "--on-error", "skip", "--stats"])
        .arg(&stats)
        .write_stdin(input)
        .assert()
        .success()
        .stdout("{\"text\":\"The body of the story, long enough to keep.\"}\nnot json\n{\"id\":3}\n")
        .stderr(
            predicate::str::contains("skipped: -:2: invalid JSON")
                .and(predicate::str::contains("skipped: -:3: record has no \"text\" field")),
        );
    let v: serde_json::Value = serde_json::from_str(&fs::read_to_string(stats).unwrap()).unwrap();
    assert_eq!((v["documents"].as_u64(), v["skipped"].as_u64()), (Some(3), Some(2)));
    assert_eq!(v["errors"].as_array().unwrap().len(), 2);
}

#[test]
fn nul_bytes_are_just_text() {
    let text = "Body\0 with a NUL.\nAdvertisement\n";
    deboil().args(["clean", "-", "-q"]).write_stdin(text).assert().success().stdout("Body\0 with a NUL.\n");
}

#[test]
fn truncated_gzip_and_zstd_name_the_file() {
    let dir = TempDir::new().unwrap();
    let line = "{\"text\":\"Body.\"}\n".repeat(2000);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(line.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let zst = zstd::encode_all(line.as_bytes(), 3).unwrap();
    for (name, bytes) in [("cut.jsonl.gz", &gz), ("cut.jsonl.zst", &zst)] {
        let path = write(&dir, name, &bytes[..bytes.len() / 2]);
        let target = dir.path().join(format!("{name}.out.jsonl"));
        deboil()
            .arg("clean")
            .arg(&path)
            .arg("-o")
            .arg(&target)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(name));
        assert!(!target.exists(), "no output under the final name");
    }
}

/// bzip2, xz and lz4 are recognised by their first bytes and names, and refused with a message
/// saying which (they used to be read as text and fail as invalid UTF-8, or be written as plain
/// text under a compressed name).
#[test]
fn other_compressions_are_named_and_refused() {
    let dir = TempDir::new().unwrap();
    let heads: [(&str, &[u8]); 3] = [
        ("a.jsonl.bz2", b"BZh91AY&SY\x12\x34"),
        ("a.jsonl.xz", b"\xfd7zXZ\x00\x00\x04"),
        ("a.jsonl.lz4", b"\x04\x22\x4d\x18\x64\x40"),
    ];
    for (name, head) in heads {
        let path = write(&dir, name, head);
        let format = name.rsplit('.').next().unwrap().replace("bz2", "bzip2");
        deboil().arg("clean").arg(&path).assert().code(2).stderr(predicate::str::contains(format!(
            "{name}: cannot read: {format} data: deboil reads gzip and zstd"
        )));
    }
    // In a directory they are found, not skipped in silence.
    deboil()
        .arg("clean")
        .arg(dir.path())
        .arg("-q")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.jsonl.bz2"));
    let input = write(&dir, "in.jsonl", b"{\"text\":\"Body.\"}\n");
    for name in ["out.jsonl.bz2", "out.jsonl.xz"] {
        deboil()
            .arg("clean")
            .arg(&input)
            .arg("-o")
            .arg(dir.path().join(name))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("deboil writes gzip (.gz) and zstd (.zst), not"));
        assert!(!dir.path().join(name).exists());
    }
}

#[test]
fn a_long_single_line_document_is_cleaned() {
    // One 20 MB line with no newline: the engine is linear in it.
    let mut text = "word ".repeat(4_000_000);
    text.push_str("(AP Photo/Jane Doe)");
    let out = deboil().args(["clean", "-", "-q"]).write_stdin(text.clone()).assert().success();
    assert_eq!(out.get_output().stdout.len(), text.len() - " (AP Photo/Jane Doe)".len());
}

#[test]
fn many_tiny_documents_are_all_counted() {
    let n = 200_000;
    let input = "{\"text\":\"x\"}\n".repeat(n);
    let out = deboil().args(["clean", "-", "--format", "jsonl"]).write_stdin(input).assert().success();
    assert_eq!(out.get_output().stdout.iter().filter(|&&b| b == b'\n').count(), n);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains(&format!("{n} documents")));
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_not_followed() {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("sub/a.txt"), "Body.\nAdvertisement\n").unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
    let out = TempDir::new().unwrap();
    deboil()
        .arg("clean")
        .arg(dir.path())
        .arg("-o")
        .arg(out.path().join("o"))
        .assert()
        .success()
        .stderr(predicate::str::contains("1 documents"));
    assert_eq!(fs::read_to_string(out.path().join("o/sub/a.txt")).unwrap(), "Body.\n");
}

#[test]
fn output_inside_the_input_tree_is_refused() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("a.txt"), "Body.\n").unwrap();
    deboil()
        .arg("clean")
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("clean"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is inside input directory"));
    assert!(!dir.path().join("clean").exists());
}

/// The file, then the system's reason, once each (the reason used to be printed twice).
#[test]
fn unreadable_files_are_named_with_the_reason_once() {
    let missing = "/nonexistent/deboil/input.txt";
    let reason = std::io::Error::from_raw_os_error(2).to_string();
    deboil()
        .args(["clean", missing])
        .assert()
        .code(2)
        .stderr(format!("deboil: error: {missing}: {reason}\n"));
    deboil()
        .args(["clean", "-", "--rules", missing])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(format!("deboil: error: {missing}: cannot read rule file: {reason}\n"));
}

#[test]
fn rule_directory_without_rule_files_is_refused() {
    let dir = TempDir::new().unwrap();
    fs::write(dir.path().join("notes.md"), "no rules here").unwrap();
    deboil()
        .args(["clean", "-", "--rules"])
        .arg(dir.path())
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rules found"));
}
