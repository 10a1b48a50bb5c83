//! Documents as owned values, in batches, for the reporting commands (`diff`, `explain`,
//! `report`), which need each document's text next to its removals.

use std::io::{BufRead, Read};

use super::jsonl::{Fields, Record};
use super::{Format, InputError, InputFile, open_input};

/// One document read from an input.
#[derive(Debug, Clone)]
pub struct OwnedDoc {
    /// How messages and reports name it: the JSONL id, else `file:line`; or the file path.
    pub name: String,
    /// The text.
    pub text: String,
    /// The page URL, if the record has one.
    pub url: Option<String>,
    /// The language, if the record names one.
    pub lang: Option<crate::lang::Lang>,
    /// Position in the whole input, from 0.
    pub order: usize,
}

/// Bytes of text per batch handed to `f`.
const BATCH_BYTES: usize = 2 << 20;

/// Reads every document of `inputs`, in order, and hands them to `f` in batches of about
/// two MiB of text; stops at the first error (an unreadable file, a malformed record).
pub fn read_docs<E: From<InputError>>(
    inputs: &[InputFile],
    fields: &Fields,
    mut f: impl FnMut(Vec<OwnedDoc>) -> Result<(), E>,
) -> Result<(), E> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    let mut order = 0;
    let mut push = |doc: OwnedDoc, batch: &mut Vec<OwnedDoc>, bytes: &mut usize| -> Result<(), E> {
        *bytes += doc.text.len();
        batch.push(doc);
        if *bytes >= BATCH_BYTES {
            *bytes = 0;
            f(std::mem::take(batch))?;
        }
        Ok(())
    };
    for input in inputs {
        let path = &input.path;
        let mut reader = open_input(path).map_err(|e| InputError::io(path, e))?;
        match input.format {
            Format::Text => {
                let mut raw = Vec::new();
                reader.read_to_end(&mut raw).map_err(|e| InputError::io(path, e))?;
                let text = String::from_utf8(raw)
                    .map_err(|e| InputError::utf8(path, e.as_bytes(), e.utf8_error()))?;
                let doc = OwnedDoc { name: path.display().to_string(), text, url: None, lang: None, order };
                order += 1;
                push(doc, &mut batch, &mut bytes)?;
            }
            Format::Jsonl => {
                super::jsonl::skip_bom(&mut reader).map_err(|e| InputError::io(path, e))?;
                let mut line = Vec::new();
                let mut line_no = 0;
                loop {
                    line.clear();
                    if reader.read_until(b'\n', &mut line).map_err(|e| InputError::io(path, e))? == 0 {
                        break;
                    }
                    line_no += 1;
                    let raw = std::str::from_utf8(line.trim_ascii()).map_err(|e| InputError::Utf8 {
                        path: path.clone(),
                        line: line_no,
                        offset: e.valid_up_to(),
                    })?;
                    if raw.is_empty() {
                        continue;
                    }
                    let rec = Record::parse(raw, fields, None).map_err(|message| InputError::Record {
                        path: path.clone(),
                        line: line_no,
                        message,
                    })?;
                    let name = rec
                        .id
                        .as_deref()
                        .map_or_else(|| format!("{}:{line_no}", path.display()), str::to_string);
                    let doc = OwnedDoc {
                        name,
                        text: rec.text.into_owned(),
                        url: rec.url.map(|u| u.into_owned()),
                        lang: rec.lang,
                        order,
                    };
                    order += 1;
                    push(doc, &mut batch, &mut bytes)?;
                }
            }
        }
    }
    if !batch.is_empty() {
        f(batch)?;
    }
    Ok(())
}
