//! `deboil clean --dolma-attributes`: one attributes line per record whose spans, deleted from
//! the record's text in character offsets, give exactly the text deboil wrote.

use std::fs;
use std::io::Read;
use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

use crate::util::deboil;

/// Records that exercise the offsets: text before removals in several scripts (characters, not
/// bytes), CRLF line endings, removals at the start and end, blank-line runs tidying shortens
/// on either side, consecutive removals, a record nothing is removed from, ids of every kind.
fn records() -> Vec<Value> {
    let texts: [(Value, &str); 9] = [
        (
            "a-1".into(),
            "Première phrase, écrite à Zürich — «citée» 🎉 ici.\n\nAdvertisement\n\nLa suite de l'article.\n",
        ),
        (
            17.into(),
            "Erste Zeile über München.\r\n\r\nAdvertisement\r\n\r\n\r\nZweite Zeile.\r\n\r\nAdvertisement",
        ),
        ("untouched".into(), "The council met on Monday.\n\n\nIt approved the budget.\n"),
        (
            "start".into(),
            "Advertisement\n\n\nThe council met on Monday to discuss the budget, officials said.\n",
        ),
        (
            "end".into(),
            "Ряд новостей из Москвы, сказал представитель.\n\n\nSign up for our daily newsletter\n\n",
        ),
        (
            "between".into(),
            "日本語の本文です。\n\nAdvertisement\n\nAdvertisement\n\n\nSign up for our daily newsletter\n\nMore body text here.\n",
        ),
        (
            Value::Null,
            "Troops crossed the river at dawn.\nREUTERS/Jane Doe\n\n\nThe bridge held through the night, \
             engineers said, and traffic resumed on Tuesday morning after an inspection.\n",
        ),
        (
            serde_json::json!({"n": 3}),
            "Body line with ünïcödé.\r\nREUTERS/Jane Doe\r\n\r\nAdvertisement\r\n\r\n\r\nThe last line of the \
             story, long enough that the removals stay well under the --max-removed share.",
        ),
        (
            "two-blank-before".into(),
            "First paragraph of the story.\n\n\nAdvertisement\n\nSecond paragraph of the story.\n",
        ),
    ];
    let mut out: Vec<Value> = texts
        .into_iter()
        .map(|(id, text)| serde_json::json!({"id": id, "text": text, "source": "test"}))
        .collect();
    // A record with no id at all: the attributes line names it `file:line`.
    out.push(serde_json::json!({"text": "Advertisement\n\nA record without an id, its body kept.\n"}));
    out
}

fn write_jsonl(path: &Path, records: &[Value]) {
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    if path.extension().is_some_and(|e| e == "gz") {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(text.as_bytes()).unwrap();
        fs::write(path, enc.finish().unwrap()).unwrap();
    } else {
        fs::write(path, text).unwrap();
    }
}

/// The lines of a JSONL file, decompressed whatever its compression, parsed.
fn read_jsonl(path: &Path) -> Vec<Value> {
    let mut text = String::new();
    deboil::io::open_input(path).unwrap().read_to_string(&mut text).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect()
}

/// `text` with every span of `attributes` deleted; offsets are characters, as in Python.
fn apply_spans(text: &str, attributes: &serde_json::Map<String, Value>) -> String {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (name, list) in attributes {
        assert!(name.starts_with("deboil__deboil__"), "{name}");
        for span in list.as_array().unwrap() {
            let s = span.as_array().unwrap();
            assert_eq!(s.len(), 3, "{span}");
            let score = s[2].as_f64().unwrap();
            assert!(score > 0.0 && score <= 1.0, "{span}");
            spans.push((s[0].as_u64().unwrap() as usize, s[1].as_u64().unwrap() as usize));
        }
    }
    spans.sort_unstable();
    // Character offset → byte offset (one past the end maps to the text's length).
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let mut out = String::new();
    let mut pos = 0;
    for (start, end) in spans {
        assert!(start >= pos && end > start && end < bytes.len(), "span {start}..{end} after {pos}");
        out.push_str(&text[bytes[pos]..bytes[start]]);
        pos = end;
    }
    out.push_str(&text[bytes[pos]..]);
    out
}

/// Checks, record by record, that the attributes line up with `input` (same count, same ids,
/// `file:line` for a record without one) and that applying them to each input text gives the
/// text of the corresponding output record.
fn assert_attributes_reproduce(input: &[Value], attributes: &[Value], output: &[Value], input_path: &Path) {
    assert_eq!(attributes.len(), input.len(), "one attributes line per record");
    assert_eq!(output.len(), input.len());
    for (k, ((rec, attr), out)) in input.iter().zip(attributes).zip(output).enumerate() {
        let expected_id = match rec.get("id") {
            Some(id) => id.clone(),
            None => Value::String(format!("{}:{}", input_path.display(), k + 1)),
        };
        assert_eq!(attr["id"], expected_id, "line {}", k + 1);
        let attrs = attr["attributes"].as_object().expect("attributes is an object");
        let text = rec["text"].as_str().unwrap();
        assert_eq!(apply_spans(text, attrs), out["text"].as_str().unwrap(), "record {}: {attr}", k + 1);
    }
}

#[test]
fn attributes_reproduce_the_cleaned_text_for_every_record() {
    let dir = TempDir::new().unwrap();
    let input = records();
    let docs = dir.path().join("data/documents/2024/news.jsonl.gz");
    write_jsonl(&docs, &input);
    let attr_dir = dir.path().join("data/attributes/deboil");
    deboil()
        .arg("clean")
        .arg(dir.path().join("data/documents"))
        .arg("-o")
        .arg(dir.path().join("clean"))
        .arg("--dolma-attributes")
        .arg(&attr_dir)
        .arg("-q")
        .assert()
        .success();
    // dolma's layout: the same relative name, the same compression, under the attributes dir.
    let attr_file = attr_dir.join("2024/news.jsonl.gz");
    let raw = fs::read(&attr_file).unwrap();
    assert!(raw.starts_with(&[0x1f, 0x8b]), "gzip, like the documents file");
    let attributes = read_jsonl(&attr_file);
    let output = read_jsonl(&dir.path().join("clean/2024/news.jsonl.gz"));
    assert_attributes_reproduce(&input, &attributes, &output, &docs);

    // Something was removed from all but one record, and that one has an empty map.
    let empty: Vec<&Value> =
        attributes.iter().filter(|a| a["attributes"].as_object().unwrap().is_empty()).collect();
    assert_eq!(empty.len(), 1, "{empty:?}");
    assert_eq!(empty[0]["id"], "untouched");
    // Categories name the attributes; offsets are characters (the 🎉 and accents before the ad).
    let first = &attributes[0]["attributes"];
    let ad = first["deboil__deboil__ad"].as_array().expect("an ad span");
    let text = input[0]["text"].as_str().unwrap();
    let ad_start = text.find("Advertisement").unwrap();
    assert_eq!(ad[0][0].as_u64().unwrap() as usize, text[..ad_start].chars().count());
    assert!(attributes[5]["attributes"]["deboil__deboil__newsletter"].is_array(), "{}", attributes[5]);
    // No temporary files left beside the attributes.
    let names: Vec<_> =
        fs::read_dir(attr_dir.join("2024")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn one_file_to_stdout_with_plain_and_zstd_attributes() {
    let dir = TempDir::new().unwrap();
    let input = records();
    for name in ["news.jsonl", "news.jsonl.zst"] {
        let docs = dir.path().join("documents").join(name);
        if name.ends_with(".zst") {
            let text: String = input.iter().map(|r| format!("{r}\n")).collect();
            fs::write(&docs, zstd::encode_all(text.as_bytes(), 3).unwrap()).unwrap();
        } else {
            write_jsonl(&docs, &input);
        }
        let attr_dir = dir.path().join("attributes/deboil");
        let out = deboil()
            .arg("clean")
            .arg(&docs)
            .arg("--dolma-attributes")
            .arg(&attr_dir)
            .arg("-q")
            .assert()
            .success();
        let output: Vec<Value> = String::from_utf8(out.get_output().stdout.clone())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let attr_file = attr_dir.join(name);
        if name.ends_with(".zst") {
            assert!(fs::read(&attr_file).unwrap().starts_with(&[0x28, 0xb5, 0x2f, 0xfd]), "zstd");
        }
        assert_attributes_reproduce(&input, &read_jsonl(&attr_file), &output, &docs);
    }
}

#[test]
fn id_field_is_copied_as_json_and_nested_ids_are_found() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("documents/a.jsonl");
    let lines = "{\"meta\":{\"doc\":\"x\\u00e9\\\"y\"},\"text\":\"Body text.\\n\\nAdvertisement\\n\"}\n\
                 {\"meta\":{\"doc\":12.50},\"text\":\"Body text.\\n\"}\n";
    fs::create_dir_all(docs.parent().unwrap()).unwrap();
    fs::write(&docs, lines).unwrap();
    let attr_dir = dir.path().join("attributes/deboil");
    deboil()
        .args(["clean", "-q", "--id-field", "meta.doc", "--dolma-attributes"])
        .arg(&attr_dir)
        .arg(&docs)
        .assert()
        .success();
    let raw = fs::read_to_string(attr_dir.join("a.jsonl")).unwrap();
    let lines: Vec<&str> = raw.lines().collect();
    // The id's JSON is copied as it was: dolma's mixer compares it with the document's.
    assert!(
        lines[0].starts_with("{\"id\":\"x\\u00e9\\\"y\",\"attributes\":{\"deboil__deboil__ad\":[["),
        "{raw}"
    );
    assert_eq!(lines[1], "{\"id\":12.50,\"attributes\":{}}");
}

#[test]
fn flagged_rejected_and_skipped_records_each_get_a_line() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("documents/a.jsonl");
    let body = "A long enough body line that stays in the document after cleaning, officials said.";
    let lines = [
        serde_json::json!({"id": "flagged", "text": "Advertisement\nShort.\n"}).to_string(),
        "{not json".to_string(),
        serde_json::json!({"id": "short", "text": "Tiny text here.\n\nAdvertisement\n"}).to_string(),
        serde_json::json!({"id": "kept", "text": format!("{body}\n\nAdvertisement\n")}).to_string(),
    ];
    fs::create_dir_all(docs.parent().unwrap()).unwrap();
    fs::write(&docs, lines.join("\n") + "\n").unwrap();
    let attr_dir = dir.path().join("attributes/deboil");
    deboil()
        .args(["clean", "-q", "--on-error", "skip", "--min-chars", "20", "--max-removed", "0.5"])
        .arg("--dolma-attributes")
        .arg(&attr_dir)
        .arg(&docs)
        .assert()
        .success();
    let attributes = read_jsonl(&attr_dir.join("a.jsonl"));
    assert_eq!(attributes.len(), 4, "count in = count out: {attributes:?}");
    // Flagged by --max-removed: written unchanged, so nothing to delete.
    assert_eq!(attributes[0], serde_json::json!({"id": "flagged", "attributes": {}}));
    // Unreadable, passed through: named by file and line.
    assert_eq!(attributes[1], serde_json::json!({"id": format!("{}:2", docs.display()), "attributes": {}}));
    // Rejected by --min-chars: still in the documents file, with its cleaning's spans.
    assert_eq!(attributes[2]["id"], "short");
    assert!(attributes[2]["attributes"]["deboil__deboil__ad"].is_array(), "{}", attributes[2]);
    assert_eq!(
        apply_spans(&format!("{body}\n\nAdvertisement\n"), attributes[3]["attributes"].as_object().unwrap()),
        format!("{body}\n")
    );
}

#[test]
fn bad_attribute_directories_are_refused_before_anything_is_written() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("documents/a.jsonl");
    write_jsonl(&docs, &records());
    let out = dir.path().join("out.jsonl");
    let run = |extra: &[&std::ffi::OsStr]| {
        let mut cmd = deboil();
        cmd.arg("clean").arg(&docs).arg("-o").arg(&out).arg("-q").args(extra);
        cmd.assert()
    };

    // A file where the directory should be.
    let file = dir.path().join("not-a-dir");
    fs::write(&file, "x").unwrap();
    run(&["--dolma-attributes".as_ref(), file.as_os_str()])
        .code(2)
        .stderr(predicate::str::contains("is not a directory"));
    assert!(!out.exists());

    // Inside the input directory (a later run would read the attributes as documents).
    let inside = dir.path().join("documents/attrs");
    deboil()
        .arg("clean")
        .arg(dir.path().join("documents"))
        .arg("-o")
        .arg(dir.path().join("clean"))
        .arg("--dolma-attributes")
        .arg(&inside)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inside input directory"));

    // The output directory itself: each attributes file would replace an output file.
    let clean = dir.path().join("clean");
    fs::create_dir_all(&clean).unwrap();
    deboil()
        .arg("clean")
        .arg(dir.path().join("documents"))
        .arg("-o")
        .arg(&clean)
        .arg("--dolma-attributes")
        .arg(&clean)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("also the output directory"));

    // Its own input's directory: the attributes file would be the input.
    run(&["--dolma-attributes".as_ref(), dir.path().join("documents").as_os_str()])
        .code(2)
        .stderr(predicate::str::contains("same file as input"));
    assert_eq!(read_jsonl(&docs).len(), records().len(), "the input is untouched");

    // Text input: dolma attributes line up with JSONL records.
    let txt = dir.path().join("a.txt");
    fs::write(&txt, "Body.\n\nAdvertisement\n").unwrap();
    deboil()
        .arg("clean")
        .arg(&txt)
        .arg("--dolma-attributes")
        .arg(dir.path().join("attrs"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs JSONL input"));

    // Stdin: no file name to write under.
    deboil()
        .args(["clean", "-", "--format", "jsonl", "--dolma-attributes"])
        .arg(dir.path().join("attrs"))
        .write_stdin("{\"text\":\"Body.\"}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stdin"));
    assert!(!dir.path().join("attrs").exists());
}

#[test]
fn a_failed_run_leaves_no_attributes_file() {
    let dir = TempDir::new().unwrap();
    let docs = dir.path().join("documents/a.jsonl");
    fs::create_dir_all(docs.parent().unwrap()).unwrap();
    fs::write(&docs, "{\"id\":1,\"text\":\"Body.\\n\\nAdvertisement\\n\"}\n{broken\n").unwrap();
    let attr_dir = dir.path().join("attributes/deboil");
    deboil()
        .arg("clean")
        .arg(&docs)
        .arg("--dolma-attributes")
        .arg(&attr_dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.jsonl:2"));
    let left: Vec<_> =
        fs::read_dir(&attr_dir).map(|d| d.map(|e| e.unwrap().file_name()).collect()).unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

/// The span function on every fixture document, as written and with CRLF line endings: the
/// spans, deleted in character offsets, give the cleaned text; they are sorted and disjoint.
#[test]
fn spans_reproduce_every_fixture_document_also_with_crlf() {
    use deboil::runner::dolma::{Span, attribute_name, attributes_line, spans};
    let rules = deboil::RuleSet::defaults();
    let mut changed = 0;
    let mut scored = 0;
    for entry in fs::read_dir(crate::util::fixture("docs")).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        for text in [text.clone(), text.replace('\n', "\r\n")] {
            let cleaned = deboil::clean(&rules, &text);
            let by_category = spans(&text, &cleaned);
            changed += usize::from(!by_category.is_empty());
            let mut all: Vec<Span> = by_category.iter().flat_map(|(_, s)| s.iter().copied()).collect();
            scored += all.iter().filter(|s| s.score < 1.0).count();
            all.sort_by_key(|s| s.start);
            assert!(all.windows(2).all(|w| w[0].end <= w[1].start), "{all:?}");
            let line: Value = serde_json::from_str(&attributes_line("\"d\"", &by_category)).unwrap();
            let attrs = line["attributes"].as_object().unwrap();
            assert_eq!(attrs.len(), by_category.len());
            for (category, _) in &by_category {
                assert!(attrs.contains_key(&attribute_name(*category)));
            }
            assert_eq!(apply_spans(&text, attrs), cleaned.text, "{text:?}");
        }
    }
    assert!(changed > 40, "{changed} documents changed");
    eprintln!("{scored} spans with a model score");
}
