//! Python bindings of deboil (`deboil._deboil`, re-exported by the pure-Python `deboil`).
//!
//! Inputs are converted while attached to the interpreter; cleaning runs detached (the GIL
//! released), in parallel on a rayon pool of this module's own. The pool belongs to the
//! process that built it: a child made by `os.fork()` builds its own (the parent's threads do
//! not exist in the child), so no rayon work ever runs on the global pool.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, LargeStringArray, StringArray};
use arrow_schema::DataType;
use deboil::lang::Lang;
use deboil::{Document, RuleSet, RuleSetBuilder};
use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use pyo3_arrow::{PyArray, PyChunkedArray};
use rayon::prelude::*;

create_exception!(
    deboil,
    RuleError,
    PyValueError,
    "A rule file could not be loaded. Attributes: file, line, column, rule (each None when not known) and message (the reason, without the location)."
);

// ---------------------------------------------------------------------------------------------
// Thread pools, per process.

/// Pools by thread count (0: rayon's default), with the id of the process that built them.
struct Pools {
    pid: u32,
    pools: Vec<(usize, Arc<rayon::ThreadPool>)>,
}

static POOLS: Mutex<Option<Pools>> = Mutex::new(None);

/// The pool of `jobs` threads (0: one per core, or `RAYON_NUM_THREADS`) of this process.
fn pool(jobs: usize) -> Result<Arc<rayon::ThreadPool>, String> {
    let pid = std::process::id();
    let mut guard = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    if guard.as_ref().is_some_and(|p| p.pid != pid) {
        // A forked child: the pools' threads stayed in the parent. Dropping a pool would wait on
        // or signal threads that are not here, so the parent's pools are leaked instead.
        std::mem::forget(guard.take());
    }
    let pools = guard.get_or_insert_with(|| Pools { pid, pools: Vec::new() });
    if let Some((_, p)) = pools.pools.iter().find(|(n, _)| *n == jobs) {
        return Ok(p.clone());
    }
    let p = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("deboil-{i}"))
        .build()
        .map_err(|e| format!("cannot start {jobs} threads: {e}"))?;
    let p = Arc::new(p);
    pools.pools.push((jobs, p.clone()));
    Ok(p)
}

// ---------------------------------------------------------------------------------------------
// Results.

/// One removed range of the input text.
///
/// `start`/`end` are character offsets into the original Python str (`text[start:end] ==
/// removal.text`); `byte_start`/`byte_end` the same range in its UTF-8 encoding.
#[pyclass(module = "deboil", frozen, eq, get_all)]
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The rule credited with the removal (the first in pack order that matched it).
    rule: String,
    /// That rule's category (`credit`, `caption`, `teaser`, ...).
    category: String,
    /// Other rules that also matched inside this range, in pack order.
    also: Vec<String>,
    /// Start of the range, in characters (code points) of the input str.
    start: usize,
    /// End of the range (exclusive), in characters of the input str.
    end: usize,
    /// Start of the range in the UTF-8 bytes of the input.
    byte_start: usize,
    /// End of the range (exclusive) in the UTF-8 bytes of the input.
    byte_end: usize,
    /// First line of the range, 1-based.
    first_line: usize,
    /// Last line of the range, 1-based, inclusive.
    last_line: usize,
    /// The removed text.
    text: String,
    /// For removals the line classifier made or joined: the highest probability of
    /// boilerplate it gave a line of the range; None otherwise.
    score: Option<f64>,
}

#[pymethods]
impl Removal {
    fn __repr__(&self) -> String {
        format!(
            "Removal(rule={:?}, category={:?}, start={}, end={}, lines={}-{}, text={:?})",
            self.rule, self.category, self.start, self.end, self.first_line, self.last_line, self.text
        )
    }
}

/// The result of cleaning one document.
#[pyclass(module = "deboil", frozen)]
pub struct Cleaned {
    text: Py<PyString>,
    removals: Py<PyList>,
    flagged: Option<f64>,
}

#[pymethods]
impl Cleaned {
    /// The cleaned text (the input object itself when nothing was removed).
    #[getter]
    fn text(&self, py: Python<'_>) -> Py<PyString> {
        self.text.clone_ref(py)
    }

    /// What was removed, in input order, non-overlapping.
    #[getter]
    fn removals(&self, py: Python<'_>) -> Py<PyList> {
        self.removals.clone_ref(py)
    }

    /// With `max_removed`: the share of characters the rules would have removed when it was
    /// over the limit (the text is then returned unchanged, with no removals); else None.
    #[getter]
    fn flagged(&self) -> Option<f64> {
        self.flagged
    }

    /// Whether anything was removed.
    #[getter]
    fn changed(&self, py: Python<'_>) -> bool {
        !self.removals.bind(py).is_empty()
    }

    fn __eq__(&self, other: PyRef<'_, Cleaned>, py: Python<'_>) -> PyResult<bool> {
        Ok(self.flagged == other.flagged
            && self.text.bind(py).as_any().eq(other.text.bind(py))?
            && self.removals.bind(py).as_any().eq(other.removals.bind(py))?)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let text = self.text.bind(py).to_string_lossy();
        let shown: String = text.chars().take(60).collect();
        let more = if shown.len() < text.len() { "..." } else { "" };
        format!(
            "Cleaned(text={shown:?}{more}, removals={}, flagged={:?})",
            self.removals.bind(py).len(),
            self.flagged
        )
    }
}

/// A cleaned document before it becomes Python objects (built while detached).
struct Out {
    /// The cleaned text; None when it is the input unchanged.
    text: Option<String>,
    removals: Vec<Removal>,
    flagged: Option<f64>,
}

/// Rounds an f32 to the f64 with the same shortest decimal form (0.9, not 0.8999999761...).
fn widen(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(x as f64)
}

fn to_out(input: &str, cleaned: deboil::Cleaned<'_>, max_removed: Option<f64>) -> Out {
    if cleaned.removals.is_empty() {
        return Out { text: None, removals: Vec::new(), flagged: None };
    }
    let mut removals = Vec::with_capacity(cleaned.removals.len());
    let ascii = input.is_ascii();
    let (mut byte, mut chars) = (0usize, 0usize);
    let mut char_at = |at: usize| {
        if ascii {
            return at;
        }
        // Removals are in input order and do not overlap: count on from the last offset.
        if at >= byte {
            chars += input[byte..at].chars().count();
        } else {
            chars -= input[at..byte].chars().count();
        }
        byte = at;
        chars
    };
    for r in &cleaned.removals {
        let start = char_at(r.start);
        let end = char_at(r.end);
        removals.push(Removal {
            rule: r.rule.to_string(),
            category: r.category.as_str().to_string(),
            also: r.also.iter().map(|a| a.to_string()).collect(),
            start,
            end,
            byte_start: r.start,
            byte_end: r.end,
            first_line: r.first_line,
            last_line: r.last_line,
            text: r.text.to_string(),
            score: r.score.map(widen),
        });
    }
    if let Some(limit) = max_removed {
        // As `deboil clean --max-removed`.
        let share = cleaned.removed_share(input);
        if share > limit {
            return Out { text: None, removals: Vec::new(), flagged: Some(share) };
        }
    }
    Out { text: Some(cleaned.text.into_owned()), removals, flagged: None }
}

fn to_python(py: Python<'_>, input: &Bound<'_, PyString>, out: Out) -> PyResult<Cleaned> {
    let text = match out.text {
        Some(t) => PyString::new(py, &t).unbind(),
        None => input.clone().unbind(),
    };
    let removals = PyList::empty(py);
    for r in out.removals {
        removals.append(Py::new(py, r)?)?;
    }
    Ok(Cleaned { text, removals: removals.unbind(), flagged: out.flagged })
}

// ---------------------------------------------------------------------------------------------
// Inputs.

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}

/// A str argument as a Rust string; `what` names it in errors (`texts[3]`).
fn string_of<'py>(
    obj: &Bound<'py, PyAny>,
    what: &dyn Fn() -> String,
) -> PyResult<(Bound<'py, PyString>, String)> {
    let s = obj
        .cast::<PyString>()
        .map_err(|_| PyTypeError::new_err(format!("{}: expected str, got {}", what(), type_name(obj))))?;
    let text = s.to_cow().map_err(|e| {
        PyValueError::new_err(format!("{}: not valid Unicode text (a lone surrogate?): {e}", what()))
    })?;
    Ok((s.clone(), text.into_owned()))
}

/// An optional str argument.
fn opt_string_of(obj: Option<&Bound<'_, PyAny>>, what: &dyn Fn() -> String) -> PyResult<Option<String>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => string_of(o, what).map(|(_, s)| Some(s)),
    }
}

/// A language code as `deboil clean --lang-field` reads it: None, "", "und" or "unknown" for
/// no language (detected from the text); a code such as "de", "pt-BR" or "deu"; else an error.
fn lang_of(obj: Option<&Bound<'_, PyAny>>, what: &dyn Fn() -> String) -> PyResult<Option<Lang>> {
    let Some(code) = opt_string_of(obj, what)? else { return Ok(None) };
    let code = code.trim();
    if code.is_empty() || code.eq_ignore_ascii_case("und") || code.eq_ignore_ascii_case("unknown") {
        return Ok(None);
    }
    Lang::parse(code).map(Some).ok_or_else(|| {
        PyValueError::new_err(format!(
            "{}: not a language code such as \"de\" or \"pt-BR\": {code:?}",
            what()
        ))
    })
}

/// The items of a sequence argument (not a str: a str is one text, not a list of them).
fn items_of<'py>(obj: &Bound<'py, PyAny>, what: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!("{what}: expected a sequence of str, got a str")));
    }
    let iter = obj
        .try_iter()
        .map_err(|_| PyTypeError::new_err(format!("{what}: expected a sequence, got {}", type_name(obj))))?;
    iter.collect()
}

/// A list of names (`select`, `ignore`): None, one str (comma-separated, as on the command
/// line) or a sequence of str.
fn names_of(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<String>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(Vec::new()) };
    let raw: Vec<String> = if let Ok(s) = obj.cast::<PyString>() {
        vec![s.to_cow()?.into_owned()]
    } else {
        items_of(obj, what)?
            .iter()
            .enumerate()
            .map(|(i, o)| string_of(o, &|| format!("{what}[{i}]")).map(|(_, s)| s))
            .collect::<PyResult<_>>()?
    };
    Ok(raw
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// Rule paths: None, one path (str or os.PathLike) or a sequence of them.
fn paths_of(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else { return Ok(Vec::new()) };
    if let Ok(p) = obj.extract::<PathBuf>() {
        return Ok(vec![p]);
    }
    items_of(obj, "rules")?
        .iter()
        .enumerate()
        .map(|(i, o)| {
            o.extract::<PathBuf>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "rules[{i}]: expected a path (str or os.PathLike), got {}",
                    type_name(o)
                ))
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Rule errors.

fn rule_error(py: Python<'_>, e: &deboil::RuleError) -> PyErr {
    use deboil::RuleError as E;
    type Loc<'a> = Option<&'a deboil::rules::Location>;
    let (loc, file, rule, message): (Loc<'_>, Option<String>, Option<&str>, String) = match e {
        E::Io { path, source } => {
            (None, Some(path.display().to_string()), None, format!("cannot read rule file: {source}"))
        }
        E::Syntax { loc, message, .. } => (Some(loc), None, None, message.clone()),
        E::Invalid { loc, rule, message, .. } => (Some(loc), None, Some(rule), message.clone()),
        E::DuplicateId { loc, rule, first } => {
            (Some(loc), None, Some(rule), format!("duplicate id, first defined at {first}"))
        }
        E::Set(message) => (None, None, None, message.clone()),
        E::Empty(name) => (
            None,
            Some(name.clone()),
            None,
            "no rules found (expected `[[rule]]` tables in .toml files)".to_string(),
        ),
    };
    let full = match e {
        E::Io { source, .. } => format!("{e}: {source}"),
        _ => e.to_string(),
    };
    let err = RuleError::new_err(full);
    let value = err.value(py);
    let file = loc.map(|l| l.file.clone()).or(file);
    let set = || -> PyResult<()> {
        value.setattr("file", file)?;
        value.setattr("line", loc.map(|l| l.line))?;
        value.setattr("column", loc.map(|l| l.col))?;
        value.setattr("rule", rule)?;
        value.setattr("message", message)?;
        Ok(())
    };
    match set() {
        Ok(()) => err,
        Err(other) => other,
    }
}

/// Why building a cleaner failed, carried out of the detached section.
enum BuildError {
    Rules(deboil::RuleError),
    Value(String),
}

// ---------------------------------------------------------------------------------------------
// The cleaner.

/// A compiled rule set, ready to clean documents. Thread-safe; compile once, reuse.
#[pyclass(module = "deboil", frozen)]
pub struct Cleaner {
    rules: Arc<RuleSet>,
    max_removed: Option<f64>,
}

impl Cleaner {
    fn outs(
        &self,
        py: Python<'_>,
        texts: &[String],
        urls: &[Option<String>],
        langs: &[Option<Lang>],
        jobs: usize,
    ) -> PyResult<Vec<Out>> {
        let rules = &*self.rules;
        let max_removed = self.max_removed;
        let run = |lo: usize, hi: usize| -> Vec<Out> {
            let docs: Vec<Document<'_, '_>> = (lo..hi)
                .map(|i| Document { text: &texts[i], url: urls[i].as_deref(), lang: langs[i] })
                .collect();
            deboil::clean_documents(rules, &docs)
                .into_iter()
                .zip(&texts[lo..hi])
                .map(|(c, t)| to_out(t, c, max_removed))
                .collect()
        };
        par_chunks(py, texts.len(), jobs, run)
    }
}

/// Runs `run` over `0..n` in pieces, in parallel on the pool for `jobs` (on the calling thread
/// for one job), the GIL released; the pieces' results in order.
fn par_chunks<T: Send>(
    py: Python<'_>,
    n: usize,
    jobs: usize,
    run: impl Fn(usize, usize) -> Vec<T> + Sync,
) -> PyResult<Vec<T>> {
    {
        if jobs == 1 || n <= 1 {
            return Ok(py.detach(|| run(0, n)));
        }
        let pool = pool(jobs).map_err(PyValueError::new_err)?;
        Ok(py.detach(|| {
            let threads = pool.current_num_threads().max(1);
            // Up to 64 documents a call (each rule's regexes run over all of them in turn), and
            // at least four pieces a thread so that uneven documents still keep all busy.
            let chunk = n.div_ceil(threads * 4).clamp(1, 64);
            let bounds: Vec<(usize, usize)> =
                (0..n).step_by(chunk).map(|lo| (lo, (lo + chunk).min(n))).collect();
            pool.install(|| bounds.par_iter().map(|&(lo, hi)| run(lo, hi)).collect::<Vec<_>>())
                .into_iter()
                .flatten()
                .collect()
        }))
    }
}

/// A `jobs` argument: None (every core, 0 here) or at least 1.
fn jobs_of(jobs: Option<i64>) -> PyResult<usize> {
    match jobs {
        None => Ok(0),
        Some(j) if j >= 1 => Ok(j as usize),
        Some(j) => Err(PyValueError::new_err(format!("jobs must be at least 1 (or None), got {j}"))),
    }
}

/// An Arrow array of texts, as `clean_arrow` takes it.
#[derive(FromPyObject)]
enum ArrowTexts {
    /// Has `__arrow_c_array__` (a `pyarrow.Array`).
    Array(PyArray),
    /// Has `__arrow_c_stream__` (a `pyarrow.ChunkedArray`, a column of a table).
    Chunked(PyChunkedArray),
}

#[pymethods]
impl Cleaner {
    #[new]
    #[pyo3(
        signature = (rules=None, default_rules=true, select=None, ignore=None, max_removed=Some(0.7), model_threshold=None),
        text_signature = "(rules=None, default_rules=True, select=None, ignore=None, max_removed=0.7, model_threshold=None)"
    )]
    fn new(
        py: Python<'_>,
        rules: Option<&Bound<'_, PyAny>>,
        default_rules: bool,
        select: Option<&Bound<'_, PyAny>>,
        ignore: Option<&Bound<'_, PyAny>>,
        max_removed: Option<f64>,
        model_threshold: Option<f32>,
    ) -> PyResult<Cleaner> {
        let paths = paths_of(rules)?;
        let select = names_of(select, "select")?;
        let ignore = names_of(ignore, "ignore")?;
        if !default_rules && paths.is_empty() {
            return Err(PyValueError::new_err("no rules loaded (default_rules=False without rules)"));
        }
        if let Some(m) = max_removed
            && !(m > 0.0 && m <= 1.0)
        {
            return Err(PyValueError::new_err(format!("max_removed must be a fraction in (0, 1], got {m}")));
        }
        let pool = pool(0).map_err(PyValueError::new_err)?;
        // Rule files compile in parallel: on this module's pool, never rayon's global one.
        let built = py.detach(|| {
            pool.install(|| -> Result<RuleSet, BuildError> {
                let mut b = RuleSetBuilder::new();
                if default_rules {
                    b.add_defaults().map_err(BuildError::Rules)?;
                }
                for p in &paths {
                    b.add_path(p).map_err(BuildError::Rules)?;
                }
                let mut set = b.build().map_err(BuildError::Rules)?;
                if let Some(t) = model_threshold {
                    set.set_model_threshold(t)
                        .map_err(|e| BuildError::Value(format!("model_threshold: {e}")))?;
                }
                set.filter(&select, &ignore).map_err(BuildError::Value)
            })
        });
        let rules = match built {
            Ok(r) => r,
            Err(BuildError::Rules(e)) => return Err(rule_error(py, &e)),
            Err(BuildError::Value(m)) => return Err(PyValueError::new_err(m)),
        };
        Ok(Cleaner { rules: Arc::new(rules), max_removed: max_removed.filter(|m| *m < 1.0) })
    }

    /// Cleans one text. `url` lets site rules apply; `lang` (a code such as "de") is the
    /// text's language, detected when None.
    #[pyo3(signature = (text, url=None, lang=None))]
    fn clean(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        url: Option<&Bound<'_, PyAny>>,
        lang: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Cleaned> {
        let (obj, text) = string_of(text, &|| "text".into())?;
        let url = opt_string_of(url, &|| "url".into())?;
        let lang = lang_of(lang, &|| "lang".into())?;
        let mut outs = self.outs(py, std::slice::from_ref(&text), &[url], &[lang], 1)?;
        to_python(py, &obj, outs.pop().expect("one document in, one out"))
    }

    /// What cleaning `text` deletes, as dolma attributes (as `deboil clean --dolma-attributes`
    /// writes them): `{"deboil__deboil__<category>": [(start, end, score), ...]}` in character
    /// offsets; deleting every span gives `clean(text).text`. Empty when nothing is removed or
    /// `max_removed` flags the text.
    #[pyo3(signature = (text, url=None, lang=None))]
    fn dolma_attributes(
        &self,
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        url: Option<&Bound<'_, PyAny>>,
        lang: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<std::collections::BTreeMap<String, Vec<(usize, usize, f64)>>> {
        let (_, text) = string_of(text, &|| "text".into())?;
        let url = opt_string_of(url, &|| "url".into())?;
        let lang = lang_of(lang, &|| "lang".into())?;
        let (rules, max_removed) = (&self.rules, self.max_removed);
        Ok(py.detach(|| {
            let cleaned = deboil::clean_document(rules, Document { text: &text, url: url.as_deref(), lang });
            if max_removed.is_some_and(|m| cleaned.removed_share(&text) > m) {
                return Default::default();
            }
            deboil::runner::dolma::spans(&text, &cleaned)
                .into_iter()
                .map(|(category, spans)| {
                    let spans = spans.iter().map(|s| (s.start, s.end, widen(s.score))).collect();
                    (deboil::runner::dolma::attribute_name(category), spans)
                })
                .collect()
        }))
    }

    /// Cleans many texts in parallel, the GIL released; results in input order, the same as
    /// `clean` on each.
    #[pyo3(signature = (texts, urls=None, langs=None, jobs=None))]
    fn clean_batch(
        &self,
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        urls: Option<&Bound<'_, PyAny>>,
        langs: Option<&Bound<'_, PyAny>>,
        jobs: Option<i64>,
    ) -> PyResult<Vec<Cleaned>> {
        let jobs = jobs_of(jobs)?;
        let items = items_of(texts, "texts")?;
        let n = items.len();
        let mut objs = Vec::with_capacity(n);
        let mut strings = Vec::with_capacity(n);
        for (i, item) in items.iter().enumerate() {
            let (o, s) = string_of(item, &|| format!("texts[{i}]"))?;
            objs.push(o);
            strings.push(s);
        }
        let urls: Vec<Option<String>> = match urls.filter(|u| !u.is_none()) {
            None => vec![None; n],
            Some(u) => {
                let u = items_of(u, "urls")?;
                if u.len() != n {
                    return Err(PyValueError::new_err(format!(
                        "urls has {} items but texts has {n}",
                        u.len()
                    )));
                }
                u.iter()
                    .enumerate()
                    .map(|(i, o)| opt_string_of(Some(o), &|| format!("urls[{i}]")))
                    .collect::<PyResult<_>>()?
            }
        };
        let langs: Vec<Option<Lang>> = match langs.filter(|l| !l.is_none()) {
            None => vec![None; n],
            Some(l) if l.is_instance_of::<PyString>() => vec![lang_of(Some(l), &|| "langs".into())?; n],
            Some(l) => {
                let l = items_of(l, "langs")?;
                if l.len() != n {
                    return Err(PyValueError::new_err(format!(
                        "langs has {} items but texts has {n}",
                        l.len()
                    )));
                }
                l.iter()
                    .enumerate()
                    .map(|(i, o)| lang_of(Some(o), &|| format!("langs[{i}]")))
                    .collect::<PyResult<_>>()?
            }
        };
        let outs = self.outs(py, &strings, &urls, &langs, jobs)?;
        objs.iter().zip(outs).map(|(o, out)| to_python(py, o, out)).collect()
    }

    /// Cleans an Arrow array of strings (a `pyarrow.Array` or `ChunkedArray`, or anything with
    /// `__arrow_c_array__`/`__arrow_c_stream__`) read through the Arrow C data interface, with
    /// no Python object per document; returns a `pyarrow.Array` of the cleaned texts, in order,
    /// nulls kept null. A text `max_removed` flags comes back unchanged.
    #[pyo3(signature = (texts, jobs=None))]
    fn clean_arrow(&self, py: Python<'_>, texts: ArrowTexts, jobs: Option<i64>) -> PyResult<Py<PyAny>> {
        let jobs = jobs_of(jobs)?;
        let chunks: Vec<ArrayRef> = match texts {
            ArrowTexts::Array(a) => vec![a.array().clone()],
            ArrowTexts::Chunked(c) => c.chunks().to_vec(),
        };
        let mut views: Vec<Option<&str>> = Vec::new();
        let mut large = false;
        for chunk in &chunks {
            match chunk.data_type() {
                DataType::Utf8 => views.extend(chunk.as_string::<i32>().iter()),
                DataType::LargeUtf8 => {
                    large = true;
                    views.extend(chunk.as_string::<i64>().iter());
                }
                DataType::Utf8View => views.extend(chunk.as_string_view().iter()),
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "texts: expected an Arrow array of strings, got one of {other}"
                    )));
                }
            }
        }
        let (rules, max_removed) = (&*self.rules, self.max_removed);
        let cleaned: Vec<Option<String>> = par_chunks(py, views.len(), jobs, |lo, hi| {
            let present: Vec<(usize, &str)> = (lo..hi).filter_map(|i| views[i].map(|t| (i, t))).collect();
            let docs: Vec<Document<'_, '_>> = present.iter().map(|&(_, t)| Document::new(t)).collect();
            let mut out: Vec<Option<String>> = vec![None; hi - lo];
            for ((i, t), c) in present.iter().zip(deboil::clean_documents(rules, &docs)) {
                let flagged = max_removed.is_some_and(|m| c.removed_share(t) > m);
                out[i - lo] = Some(if flagged { (*t).to_string() } else { c.text.into_owned() });
            }
            out
        })?;
        let total: usize = cleaned.iter().flatten().map(String::len).sum();
        let array: ArrayRef = if large || total > i32::MAX as usize {
            Arc::new(cleaned.into_iter().collect::<LargeStringArray>())
        } else {
            Arc::new(cleaned.into_iter().collect::<StringArray>())
        };
        let out = PyArray::from_array_ref(array);
        Ok(out.to_pyarrow(py)?.unbind())
    }

    /// The ids of the loaded rules, in pack order.
    #[getter]
    fn rule_ids(&self) -> Vec<String> {
        self.rules.rules().iter().map(|r| r.id.to_string()).collect()
    }

    /// The `max_removed` guard in force (None: off).
    #[getter]
    fn max_removed(&self) -> Option<f64> {
        self.max_removed
    }

    fn __len__(&self) -> usize {
        self.rules.len()
    }

    fn __repr__(&self) -> String {
        format!("Cleaner({} rules, max_removed={:?})", self.rules.len(), self.max_removed)
    }
}

/// Runs the `deboil` command line with `argv` (the program's name first) and returns its exit
/// code: the package's `deboil` command (`deboil.__main__`).
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> i32 {
    py.detach(|| deboil::cli::main_from(argv))
}

#[pymodule]
fn _deboil(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    m.add_class::<Cleaner>()?;
    m.add_class::<Cleaned>()?;
    m.add_class::<Removal>()?;
    m.add("RuleError", m.py().get_type::<RuleError>())?;
    m.add("DEFAULT_MAX_REMOVED", deboil::runner::DEFAULT_MAX_REMOVED)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
