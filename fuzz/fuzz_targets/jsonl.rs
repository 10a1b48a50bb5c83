//! Reading one arbitrary JSONL line and writing it back: no panic, and the rewritten line is
//! the same record with only `text` (and the `annotate` field) changed.
#![no_main]

use deboil::io::jsonl::{Fields, Record};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else { return };
    let fields = Fields::default();
    let Ok(record) = Record::parse(line, &fields, Some("annotate")) else { return };
    // `Record::parse` reads values as raw JSON, so it accepts a few lines that serde_json's
    // `Value` refuses (a lone surrogate escape in another field, a number out of f64 range).
    // Those must still come back as a record; the others must come back as the same JSON.
    let before: Option<Value> = serde_json::from_str(line).ok();
    for annotation in [Some(("annotate", "[]")), None] {
        let mut out = Vec::new();
        record.write_to(&mut out, "new text", annotation);
        assert_eq!(out.last(), Some(&b'\n'), "no newline at the end");
        let out_line = std::str::from_utf8(&out).expect("rewritten record is UTF-8");
        let show = || format!("\ninput:  {line:?}\noutput: {out_line:?}");
        let again = Record::parse(out_line, &fields, Some("annotate"))
            .unwrap_or_else(|e| panic!("rewritten record does not parse ({e}){}", show()));
        assert_eq!(again.text, "new text", "text not replaced{}", show());
        let Some(mut want) = before.clone() else { continue };
        let after: Value = serde_json::from_str(out_line)
            .unwrap_or_else(|e| panic!("rewritten record is not JSON ({e}){}", show()));
        want["text"] = Value::from("new text");
        if annotation.is_some() {
            want["annotate"] = Value::Array(Vec::new());
        }
        assert_eq!(after, want, "rewritten record differs in more than text/annotate{}", show());
    }
});
