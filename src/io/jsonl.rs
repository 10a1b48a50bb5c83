//! JSONL records: find the text, id and URL fields without touching the others, and write a
//! record back with only the text (and an optional annotation field) replaced, byte for byte
//! elsewhere.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The field names a run reads.
#[derive(Debug, Clone)]
pub struct Fields {
    /// The document text (`text`).
    pub text: String,
    /// The document id, for messages and reports (`id`).
    pub id: String,
    /// The page URL, for site rules (`url`).
    pub url: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields { text: "text".into(), id: "id".into(), url: "url".into() }
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
    /// The URL field, if present and a string.
    pub url: Option<Cow<'a, str>>,
    /// Byte range of an existing annotation field's value, if asked for and present.
    annotation_span: Option<(usize, usize)>,
}

#[derive(Deserialize)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

#[derive(Deserialize)]
struct Str<'a>(#[serde(borrow)] Cow<'a, str>);

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
        let string = |v: &'a RawValue| serde_json::from_str::<Str<'a>>(v.get()).ok().map(|s| s.0);
        let mut text = None;
        let (mut id, mut url, mut annotation_span) = (None, None, None);
        for (key, value) in entries.0 {
            if key == fields.text {
                let s = string(value).ok_or_else(|| format!("field {:?} is not a string", fields.text))?;
                text = Some((s, span(value)));
            } else if key == fields.id {
                id = Some(string(value).unwrap_or(Cow::Borrowed(value.get())));
            } else if key == fields.url {
                url = string(value);
            } else if annotate.is_some_and(|a| key == a) {
                annotation_span = Some(span(value));
            }
        }
        let (text, text_span) = text.ok_or_else(|| format!("record has no {:?} field", fields.text))?;
        Ok(Record { line, text, text_span, id, url, annotation_span })
    }

    /// Writes the record with the text replaced by `new_text` and, when given, the annotation
    /// field set to `annotation` (raw JSON), then a newline.
    pub fn write_to(&self, out: &mut Vec<u8>, new_text: &str, annotation: Option<(&str, &str)>) {
        let line = self.line.trim_end();
        let mut edits: Vec<(usize, usize, Vec<u8>)> = Vec::with_capacity(2);
        let mut encoded = Vec::with_capacity(new_text.len() + 16);
        serde_json::to_writer(&mut encoded, new_text).expect("writing a string to memory");
        edits.push((self.text_span.0, self.text_span.1, encoded));
        if let Some((name, value)) = annotation {
            match self.annotation_span {
                Some((s, e)) => edits.push((s, e, value.as_bytes().to_vec())),
                None => {
                    let close = line.rfind('}').expect("a parsed object ends with '}'");
                    let mut field = Vec::with_capacity(value.len() + name.len() + 4);
                    field.push(b',');
                    serde_json::to_writer(&mut field, name).expect("writing a string to memory");
                    field.push(b':');
                    field.extend_from_slice(value.as_bytes());
                    edits.push((close, close, field));
                }
            }
        }
        edits.sort_by_key(|e| e.0);
        let mut pos = 0;
        for (s, e, bytes) in edits {
            out.extend_from_slice(&line.as_bytes()[pos..s]);
            out.extend_from_slice(&bytes);
            pos = e;
        }
        out.extend_from_slice(&line.as_bytes()[pos..]);
        out.push(b'\n');
    }
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

    #[test]
    fn reports_missing_and_mistyped_text() {
        let f = Fields::default();
        assert_eq!(Record::parse(r#"{"id":1}"#, &f, None).unwrap_err(), "record has no \"text\" field");
        assert_eq!(Record::parse(r#"{"text":3}"#, &f, None).unwrap_err(), "field \"text\" is not a string");
        assert_eq!(Record::parse("[1]", &f, None).unwrap_err(), "record is not a JSON object");
        assert!(Record::parse("{\"text\":", &f, None).unwrap_err().starts_with("invalid JSON"));
    }
}
