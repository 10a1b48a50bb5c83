//! Killing a real run (SIGINT, SIGTERM, SIGKILL) leaves no file under the final output name,
//! and rerunning gives the same output as an uninterrupted run.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A JSONL corpus of about `mb` megabytes made from the fixture records.
fn corpus(dir: &TempDir, mb: usize) -> std::path::PathBuf {
    let records = fs::read_to_string(crate::util::fixture("corpus.jsonl")).unwrap();
    let mut out = String::new();
    let mut i = 0;
    while out.len() < mb << 20 {
        for line in records.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push_str(&format!("{{\"id\":{i},\"text\":{}}}\n", v["text"]));
            i += 1;
        }
    }
    let path = dir.path().join("in.jsonl");
    fs::write(&path, out).unwrap();
    path
}

fn deboil_bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("deboil")
}

#[cfg(unix)]
#[test]
fn killed_runs_leave_no_final_output_and_rerun_matches() {
    let dir = TempDir::new().unwrap();
    let input = corpus(&dir, 24);
    let full = dir.path().join("full.jsonl");
    let status = Command::new(deboil_bin())
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(&full)
        .args(["-q", "-j", "1"])
        .status()
        .unwrap();
    assert!(status.success());
    let reference = fs::read(&full).unwrap();

    for signal in ["INT", "TERM", "KILL"] {
        let target = dir.path().join(format!("out-{signal}.jsonl"));
        let mut child = Command::new(deboil_bin())
            .arg("clean")
            .arg(&input)
            .arg("-o")
            .arg(&target)
            .args(["-q", "-j", "1"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the run is writing (its temporary file exists), then kill it.
        let started = Instant::now();
        let temp_prefix = format!(".out-{signal}.jsonl.deboil-");
        while !fs::read_dir(dir.path())
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(&temp_prefix))
        {
            assert!(started.elapsed() < Duration::from_secs(20), "run never started writing");
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(50));
        let killed = Command::new("kill").args(["-s", signal, &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert!(!status.success(), "SIG{signal}: the run finished before it was killed; use a bigger corpus");
        assert!(!target.exists(), "SIG{signal} left a file under the final name");

        let status = Command::new(deboil_bin())
            .arg("clean")
            .arg(&input)
            .arg("-o")
            .arg(&target)
            .args(["-q", "-j", "2"])
            .status()
            .unwrap();
        assert!(status.success());
        assert!(
            fs::read(&target).unwrap() == reference,
            "SIG{signal}: rerun differs from an uninterrupted run"
        );
    }
}
