//! JSONL records: find the text, id and URL fields without touching the others, and write a
//! record back with only the text (and an optional annotation field) replaced, byte for byte
//! elsewhere.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::lang::Lang;

/// The field names a run reads.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The document text (`text`).
    pub text: String,
    /// The document id, for messages and reports (`id`).
    pub id: String,
    /// The page URL, for site rules (`url`).
    pub url: String,
    /// The document's language code, for language-scoped rules; none read by default.
    pub lang: Option<String>,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields { text: "text".into(), id: "id".into(), url: "url".into(), lang: None }
    }
}

/// A parsed record, borrowing from its line.
#[derive(Debug)]
pub struct Record<'a> {
    line: &'a str,
    /// The text field's value.
    pub text: Cow<'a, str>,
    /// Byte range of the text field's JSON value in the line.
    text_span: (usize, usize),
    /// The id field, as JSON text (a string's quotes removed), if present.
    pub id: Option<Cow<'a, str>>,
    /// The id field's value as JSON text, as it appears in the line (quotes and escapes kept).
    pub id_json: Option<&'a str>,
    /// The URL field, if present and a string.
    pub url: Option<Cow<'a, str>>,
    /// The language field, if asked for, present and a code other than `und`/`unknown`.
    pub lang: Option<Lang>,
    /// Byte range of an existing annotation field's value, if asked for and present.
    annotation_span: Option<(usize, usize)>,
}

/// The language a field's value names: a code (`de`, `pt-BR`, `deu`), or `None` for null, an
/// empty string, `und` or `unknown`; anything else is an error.
fn language(name: &str, value: &RawValue) -> Result<Option<Lang>, String> {
    if value.get() == "null" {
        return Ok(None);
    }
    let code = json_string(value.get()).ok_or_else(|| format!("field {name:?} is not a string"))?;
    let code = code.trim();
    if code.is_empty() || code.eq_ignore_ascii_case("und") || code.eq_ignore_ascii_case("unknown") {
        return Ok(None);
    }
    Lang::parse(code)
        .map(Some)
        .ok_or_else(|| format!("field {name:?} is not a language code such as \"de\" or \"pt-BR\": {code:?}"))
}

#[derive(Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(4));
                while let Some((k, v)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    out.push((k.0, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'a> Record<'a> {
    /// Parses one JSONL line. `annotate` names a field whose existing value will be replaced.
    pub fn parse(line: &'a str, fields: &Fields, annotate: Option<&str>) -> Result<Record<'a>, String> {
        let entries: Entries<'a> = serde_json::from_str(line).map_err(|e| {
            if e.classify() == serde_json::error::Category::Data {
                "record is not a JSON object".to_string()
            } else {
                format!("invalid JSON: {e}")
            }
        })?;
        let span = |v: &RawValue| {
            let start = v.get().as_ptr() as usize - line.as_ptr() as usize;
            (start, start + v.get().len())
        };
        let string = |v: &'a RawValue| json_string(v.get());
        let (mut text, mut id, mut url, mut lang, mut annotation) = (None, None, None, None, None);
        // Top-level keys in one pass (the last wins, if repeated); dotted names, below, when
        // no key is spelled that way.
        for (key, value) in &entries.0 {
            if key == &fields.text {
                text = Some(*value);
            } else if key == &fields.id {
                id = Some(*value);
            } else if key == &fields.url {
                url = Some(*value);
            } else if fields.lang.as_ref().is_some_and(|l| key == l) {
                lang = Some(*value);
            } else if annotate.is_some_and(|a| key == a) {
                annotation = Some(*value);
            }
        }
        let nested = |field: &str| nested_field(&entries.0, field);
        let value = text
            .or_else(|| nested(&fields.text))
            .ok_or_else(|| format!("record has no {:?} field", fields.text))?;
        let text = string(value).ok_or_else(|| format!("field {:?} is not a string", fields.text))?;
        let text_span = span(value);
        let id_value = id.or_else(|| nested(&fields.id));
        let id_json = id_value.map(|v| v.get());
        let id = id_value.map(|v| string(v).unwrap_or(Cow::Borrowed(v.get())));
        let url = url.or_else(|| nested(&fields.url)).and_then(string);
        let lang = match (&fields.lang, lang.or_else(|| fields.lang.as_deref().and_then(nested))) {
            (Some(name), Some(v)) => language(name, v)?,
            _ => None,
        };
        // Only a top-level field: a new one goes in as a top-level key.
        let annotation_span = annotation.map(span);
        Ok(Record { line, text, text_span, id, id_json, url, lang, annotation_span })
    }

    /// Writes the record with the text replaced by `new_text` and, when given, the annotation
    /// field set to `annotation` (raw JSON), then a newline.
    pub fn write_to(&self, out: &mut Vec<u8>, new_text: &str, annotation: Option<(&str, &str)>) {
        let line = self.line.trim_end();
        let text = (self.text_span.0, self.text_span.1, Edit::Text(new_text));
        // The annotation replaces its old value, or goes in as a new field before the `}`.
        let note = annotation.map(|(name, value)| match self.annotation_span {
            Some((s, e)) => (s, e, Edit::Raw(value)),
            None => {
                let close = line.rfind('}').expect("a parsed object ends with '}'");
                (close, close, Edit::Field(name, value))
            }
        });
        let (first, second) = match note {
            Some(note) if note.0 < text.0 => (note, Some(text)),
            note => (text, note),
        };
        let mut pos = 0;
        for (start, end, edit) in std::iter::once(first).chain(second) {
            out.extend_from_slice(&line.as_bytes()[pos..start]);
            match edit {
                Edit::Text(t) => write_json_string(out, t),
                Edit::Raw(raw) => out.extend_from_slice(raw.as_bytes()),
                Edit::Field(name, raw) => {
                    out.push(b',');
                    write_json_string(out, name);
                    out.push(b':');
                    out.extend_from_slice(raw.as_bytes());
                }
            }
            pos = end;
        }
        out.extend_from_slice(&line.as_bytes()[pos..]);
        out.push(b'\n');
    }
}

/// Skips a UTF-8 byte order mark at the start of a JSONL stream: some Windows tools write one,
/// and JSON text must not carry one (so the output has none).
pub fn skip_bom(reader: &mut dyn std::io::BufRead) -> std::io::Result<()> {
    if reader.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
    }
    Ok(())
}

/// The value a dotted name (`metadata.url`) leads to through nested objects of a record's
/// `entries` (at each level a key spelled with the rest of the dots wins, the last if repeated).
fn nested_field<'a>(entries: &[(Cow<'a, str>, &'a RawValue)], field: &str) -> Option<&'a RawValue> {
    let (head, rest) = field.split_once('.')?;
    let (_, v) = entries.iter().rev().find(|(k, _)| k == head)?;
    let inner: Entries<'a> = serde_json::from_str(v.get()).ok()?;
    match inner.0.iter().rev().find(|(k, _)| k == rest) {
        Some((_, v)) => Some(*v),
        None => nested_field(&inner.0, rest),
    }
}

/// The value of a JSON string literal (quotes included) that `serde_json` has already read as
/// a `RawValue` (so its escapes are well formed), borrowed when it has no escapes; `None` when
/// it is not a string, or holds a lone surrogate (which `serde_json` refuses too). Cheaper than
/// parsing the value a second time with `serde_json`: only backslashes are looked for.
fn json_string(raw: &str) -> Option<Cow<'_, str>> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = body.as_bytes();
    let Some(mut i) = memchr::memchr(b'\\', bytes) else { return Some(Cow::Borrowed(body)) };
    let hex4 = |at: usize| -> Option<u32> {
        let digits = bytes.get(at..at + 4).filter(|d| d.iter().all(u8::is_ascii_hexdigit))?;
        u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let mut out = String::with_capacity(body.len());
    let mut start = 0;
    loop {
        out.push_str(&body[start..i]);
        let escape = *bytes.get(i + 1)?;
        i += 2;
        let ch = match escape {
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'"' | b'\\' | b'/' => char::from(escape),
            b'u' => {
                let unit = hex4(i)?;
                i += 4;
                if (0xd800..0xdc00).contains(&unit) {
                    // A high surrogate needs a low one right after it.
                    let low = bytes.get(i..i + 2).filter(|p| *p == b"\\u").and_then(|_| hex4(i + 2))?;
                    if !(0xdc00..0xe000).contains(&low) {
                        return None;
                    }
                    i += 6;
                    char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00))?
                } else {
                    char::from_u32(unit)?
                }
            }
            _ => return None,
        };
        out.push(ch);
        start = i;
        match memchr::memchr(b'\\', &bytes[i..]) {
            Some(k) => i += k,
            None => break,
        }
    }
    out.push_str(&body[start..]);
    Some(Cow::Owned(out))
}

/// What goes over one byte range of a record's line.
enum Edit<'a> {
    /// A string value, to be escaped.
    Text(&'a str),
    /// Raw JSON.
    Raw(&'a str),
    /// A new `,"name":value` member, the value raw JSON.
    Field(&'a str, &'a str),
}

/// Appends `s` as a JSON string, escaped exactly as `serde_json` escapes it. Eight bytes at a
/// time between escapes: document text has a newline every few hundred bytes, and the
/// byte-at-a-time escaping of `serde_json` cost more than the rest of writing a record.
pub(crate) fn write_json_string(out: &mut Vec<u8>, s: &str) {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    // Per byte, the high bit when it is below 0x20, '"' or '\\' (exact for the first such
    // byte of the eight; later ones may be false alarms, which the byte check below skips).
    let flagged = |x: u64| {
        let has = |y: u64| y.wrapping_sub(ONES) & !y;
        (x.wrapping_sub(ONES * 0x20) & !x
            | has(x ^ (ONES * u64::from(b'"')))
            | has(x ^ (ONES * u64::from(b'\\'))))
            & HIGH
    };
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let found = flagged(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
            if found == 0 {
                i += 8;
                continue;
            }
            i += found.trailing_zeros() as usize / 8;
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let b = bytes[i];
        let control = [b'\\', b'u', b'0', b'0', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]];
        let escaped: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => &control,
            _ => {
                i += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(escaped);
        i += 1;
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_the_text_field() {
        let line = r#"{"id": 7, "text": "a\nb", "meta": {"x": [1, 2]}}"#;
        let rec = Record::parse(line, &Fields::default(), None).unwrap();
        assert_eq!(rec.text, "a\nb");
        assert_eq!(rec.id.as_deref(), Some("7"));
        let mut out = Vec::new();
        rec.write_to(&mut out, "a\n", Some(("removed", "[]")));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\": 7, \"text\": \"a\\n\", \"meta\": {\"x\": [1, 2]},\"removed\":[]}\n"
        );
    }

    /// Fields named by a dotted path are found in nested objects (datatrove and dolma keep the
    /// URL in `metadata`); a top-level key spelled with the dot wins; the text can be nested too.
    #[test]
    fn dotted_field_names_reach_into_nested_objects() {
        let f = |text: &str, url: &str| Fields {
            text: text.into(),
            id: "meta.id".into(),
            url: url.into(),
            lang: None,
        };
        let line = r#"{"text": "a", "metadata": {"url": "https://x.example/1", "n": {"id": 5}}, "meta": {"id": "m"}}"#;
        let rec = Record::parse(line, &f("text", "metadata.url"), None).unwrap();
        assert_eq!((rec.url.as_deref(), rec.id.as_deref()), (Some("https://x.example/1"), Some("m")));
        let rec = Record::parse(line, &f("text", "metadata.n.id.x"), None).unwrap();
        assert_eq!(rec.url, None);
        let dotted = r#"{"text": "a", "metadata.url": "https://top.example/", "metadata": {"url": "https://x.example/"}}"#;
        let rec = Record::parse(dotted, &f("text", "metadata.url"), None).unwrap();
        assert_eq!(rec.url.as_deref(), Some("https://top.example/"));
        let nested = r#"{"doc": {"body": "a\nb", "k": 1}, "z": 2}"#;
        let rec = Record::parse(nested, &f("doc.body", "url"), None).unwrap();
        assert_eq!(rec.text, "a\nb");
        let mut out = Vec::new();
        rec.write_to(&mut out, "a", None);
        assert_eq!(String::from_utf8(out).unwrap(), "{\"doc\": {\"body\": \"a\", \"k\": 1}, \"z\": 2}\n");
        let err = Record::parse(nested, &f("doc.text", "url"), None).unwrap_err();
        assert_eq!(err, "record has no \"doc.text\" field");
    }

    /// 20,000 strings of pieces picked pseudo-randomly from `seed`: up to `1 << (64 - shift)`
    /// pieces each, the k-th also `stride * k` pieces on.
    fn joined<'p>(
        pieces: &'p [&str],
        mut seed: u64,
        shift: u32,
        stride: usize,
    ) -> impl Iterator<Item = String> + 'p {
        (0..20_000).map(move |_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (0..(seed >> shift) as usize)
                .map(|k| pieces[((seed >> (k % 40)) as usize + k * stride) % pieces.len()])
                .collect()
        })
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let pieces = [
            "a", "word ", "\n", "\"", "\\", "\t", "\r", "\u{8}", "\u{c}", "\u{1}", "\u{1f}", "\u{7f}", "é",
            "’", "😀", "/",
        ];
        for text in joined(&pieces, 0x853c_49e6_748f_ea9b, 58, 5) {
            let mut out = Vec::new();
            write_json_string(&mut out, &text);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn strings_are_read_as_serde_json_reads_them() {
        let pieces = [
            "a",
            "word ",
            "\\n",
            "\\\"",
            "\\\\",
            "\\/",
            "\\t",
            "\\b",
            "\\f",
            "\\r",
            "\\u00e9",
            "\\u00E9",
            "\\u2019",
            "\\ud83d\\ude00",
            "\\ud83d",
            "\\ude00",
            "\\ud83d\\u0041",
            "é",
            "’",
            "😀",
        ];
        for body in joined(&pieces, 0x2545_f491_4f6c_dd1d, 59, 7) {
            let raw = format!("\"{body}\"");
            let want = serde_json::from_str::<String>(&raw).ok();
            assert_eq!(json_string(&raw).map(Cow::into_owned), want, "{raw}");
        }
        assert_eq!(json_string("7"), None);
        assert!(matches!(json_string("\"plain\""), Some(Cow::Borrowed("plain"))));
    }

    #[test]
    fn reports_missing_and_mistyped_text() {
        let f = Fields::default();
        assert_eq!(Record::parse(r#"{"id":1}"#, &f, None).unwrap_err(), "record has no \"text\" field");
        assert_eq!(Record::parse(r#"{"text":3}"#, &f, None).unwrap_err(), "field \"text\" is not a string");
        assert_eq!(Record::parse("[1]", &f, None).unwrap_err(), "record is not a JSON object");
        assert!(Record::parse("{\"text\":", &f, None).unwrap_err().starts_with("invalid JSON"));
    }
}
