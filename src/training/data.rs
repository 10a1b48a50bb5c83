//! Labelled pages for training: a folder in the layout of `../shared/eval` (`dump/<id>.txt`,
//! `labels/<id>.tsv`, optional `manifest.tsv`), or JSONL records with a `labels` list.

use std::path::{Path, PathBuf};

/// One page with a label (boilerplate or not, or unknown) for each line of its text.
#[derive(Debug, Clone)]
pub struct LabelledPage {
    /// The page id.
    pub id: String,
    /// The page URL, for site rules.
    pub url: Option<String>,
    /// The group it is weighed with: the data set and the source (`train/newspaper`).
    pub group: String,
    /// The source, held out as one when scoring (shared by a source's pages in every set).
    pub source: String,
    /// The text, one block per line.
    pub text: String,
    /// Per line of `text`: `Some(true)` boilerplate, `Some(false)` content, `None` unlabelled.
    pub labels: Vec<Option<bool>>,
}

/// Why training data could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// A file or folder could not be read: the reason is the error's source.
    #[error("{path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A file is malformed.
    #[error("{path}:{line}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// No labelled line was found.
    #[error("{0}: no labelled lines found")]
    Empty(String),
}

fn read(path: &Path) -> Result<String, TrainError> {
    let bytes = std::fs::read(path).map_err(|source| TrainError::Io { path: path.to_path_buf(), source })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        TrainError::Format { path: path.to_path_buf(), line, message: format!("invalid UTF-8 at byte {at}") }
    })
}

/// Loads the labelled pages of a folder or a JSONL file.
pub fn load(path: &Path) -> Result<Vec<LabelledPage>, TrainError> {
    let name =
        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let name = name.trim_end_matches(".jsonl").to_string();
    let pages = if path.is_dir() { load_folder(path, &name)? } else { load_jsonl(path, &name)? };
    if pages.iter().all(|p| p.labels.iter().all(Option::is_none)) {
        return Err(TrainError::Empty(path.display().to_string()));
    }
    Ok(pages)
}

fn label_of(word: &str) -> Option<Option<bool>> {
    match word {
        "BOILERPLATE" | "boilerplate" | "1" | "true" => Some(Some(true)),
        "CONTENT" | "content" | "0" | "false" => Some(Some(false)),
        "UNLABELLED" | "unlabelled" | "" | "null" => Some(None),
        _ => None,
    }
}

fn load_folder(dir: &Path, name: &str) -> Result<Vec<LabelledPage>, TrainError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TrainError::Io { path, source }
    };
    let labels_dir = dir.join("labels");
    let mut ids: Vec<String> = std::fs::read_dir(&labels_dir)
        .map_err(io(&labels_dir))?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".tsv").map(str::to_string))
        .collect();
    ids.sort();
    // The manifest, when present, gives each page's source and URL by column name.
    let mut meta: std::collections::HashMap<String, (String, String)> = Default::default();
    let manifest = dir.join("manifest.tsv");
    if manifest.exists() {
        let text = read(&manifest)?;
        let mut rows = text.lines();
        let header: Vec<&str> = rows.next().unwrap_or_default().split('\t').collect();
        let col = |n: &str| header.iter().position(|h| *h == n);
        let (id_col, source_col, url_col) = (col("id"), col("source"), col("url"));
        let Some(id_col) = id_col else {
            return Err(TrainError::Format { path: manifest, line: 1, message: "no `id` column".into() });
        };
        for row in rows {
            let cells: Vec<&str> = row.split('\t').collect();
            let get = |c: Option<usize>| c.and_then(|c| cells.get(c)).map_or("", |s| s).to_string();
            meta.insert(get(Some(id_col)), (get(source_col), get(url_col)));
        }
    }
    let mut pages = Vec::with_capacity(ids.len());
    for id in ids {
        let text = read(&dir.join("dump").join(format!("{id}.txt")))?;
        let n_lines = text.lines().count();
        let label_path = labels_dir.join(format!("{id}.tsv"));
        let label_text = read(&label_path)?;
        let mut labels = vec![None; n_lines];
        for (k, row) in label_text.lines().enumerate().skip(1) {
            let bad = |message: String| TrainError::Format { path: label_path.clone(), line: k + 1, message };
            let mut cells = row.split('\t');
            let idx: usize = cells
                .next()
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| bad("the first column is not a line index".into()))?;
            let word = cells.next().unwrap_or_default();
            let label = label_of(word).ok_or_else(|| bad(format!("unknown label {word:?}")))?;
            let slot = labels
                .get_mut(idx)
                .ok_or_else(|| bad(format!("line index {idx} is past the dump's {n_lines} lines")))?;
            *slot = label;
        }
        let (source, url) = meta.remove(&id).unwrap_or_default();
        let source = if source.is_empty() { name.to_string() } else { source };
        pages.push(LabelledPage {
            group: format!("{name}/{source}"),
            source,
            url: (!url.is_empty()).then_some(url),
            id,
            text,
            labels,
        });
    }
    Ok(pages)
}

fn load_jsonl(path: &Path, name: &str) -> Result<Vec<LabelledPage>, TrainError> {
    let text = read(path)?;
    let mut pages = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| TrainError::Format { path: path.to_path_buf(), line: k + 1, message };
        let rec: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        let field = |f: &str| rec.get(f).and_then(|v| v.as_str()).map(str::to_string);
        let text = field("text").ok_or_else(|| bad("record has no string \"text\" field".into()))?;
        let raw = rec
            .get("labels")
            .and_then(|v| v.as_array())
            .ok_or_else(|| bad("record has no \"labels\" list".into()))?;
        let n_lines = text.lines().count();
        if raw.len() != n_lines {
            return Err(bad(format!(
                "\"labels\" has {} entries but the text has {n_lines} lines",
                raw.len()
            )));
        }
        let labels = raw
            .iter()
            .map(|v| match v {
                serde_json::Value::Bool(b) => Ok(Some(*b)),
                serde_json::Value::Null => Ok(None),
                serde_json::Value::Number(n) if n.as_u64() == Some(0) => Ok(Some(false)),
                serde_json::Value::Number(n) if n.as_u64() == Some(1) => Ok(Some(true)),
                serde_json::Value::String(s) => label_of(s).ok_or(()),
                _ => Err(()),
            })
            .collect::<Result<Vec<_>, ()>>()
            .map_err(|()| {
                bad("labels must be 0/1, true/false, null, or \"BOILERPLATE\"/\"CONTENT\"".into())
            })?;
        let source = field("source").unwrap_or_else(|| name.to_string());
        pages.push(LabelledPage {
            id: field("id").unwrap_or_else(|| format!("{name}:{}", k + 1)),
            url: field("url"),
            group: format!("{name}/{source}"),
            source,
            text,
            labels,
        });
    }
    Ok(pages)
}
