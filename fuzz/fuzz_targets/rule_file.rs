//! Loading a rule file from arbitrary bytes: must return Ok or Err, never panic or hang.
//! A rule set that loads is also run over the same text, so hostile rules reach the engine.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut builder = deboil::RuleSetBuilder::new();
    if let Err(e) = builder.add_source("fuzz.toml", text) {
        // Error messages carry a location and an excerpt of the source: render them too.
        let _ = e.to_string();
        return;
    }
    match builder.build() {
        Err(e) => {
            let _ = e.to_string();
        }
        Ok(rules) => {
            let cleaned = deboil::clean(&rules, text);
            assert!(cleaned.text.len() <= text.len(), "output longer than input");
            for r in &cleaned.removals {
                assert_eq!(r.text, &text[r.start..r.end], "removal text differs from the input range");
            }
        }
    }
});
