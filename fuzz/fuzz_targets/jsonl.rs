//! Reading one arbitrary JSONL line and writing it back: no panic, and the output is JSON.
#![no_main]

use deboil::io::jsonl::{Fields, Record};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    let Ok(record) = Record::parse(line, &Fields::default(), Some("annotate")) else { return };
    for annotation in [Some(("annotate", "[]")), None] {
        let mut out = Vec::new();
        record.write_to(&mut out, "new text", annotation);
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&out) {
            panic!(
                "rewritten record is not JSON ({e}):\ninput:  {line:?}\noutput: {:?}",
                String::from_utf8_lossy(&out)
            );
        }
        assert_eq!(out.last(), Some(&b'\n'));
    }
});
