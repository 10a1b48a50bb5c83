//! Compression by file name and magic bytes: gzip (multi-member), zstd, or none; bzip2, xz and
//! lz4 are recognised and refused with a message saying so.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;

/// A compression format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain bytes.
    None,
    /// gzip, possibly several members back to back (pigz, many crawlers).
    Gzip,
    /// Zstandard.
    Zstd,
}

impl Compression {
    /// The compression a file name implies (`.gz`, `.zst`).
    pub fn from_name(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// The compression the first bytes of a stream show.
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// Refuses a file name that asks for a compression deboil does not write (`.bz2`, `.xz`,
    /// `.lz4`), rather than write plain text under it.
    pub fn check_name(path: &Path) -> io::Result<()> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        match OTHER_FORMATS.iter().find(|f| f.extension == ext) {
            Some(f) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                format!("deboil writes gzip (.gz) and zstd (.zst), not {} (.{ext})", f.name),
            )),
            None => Ok(()),
        }
    }

    /// Wraps a writer so that what is written to it is compressed.
    pub fn writer<'w, W: Write + 'w>(self, w: W) -> io::Result<Box<dyn FinishWrite + 'w>> {
        Ok(match self {
            Compression::None => Box::new(Plain(w)),
            Compression::Gzip => Box::new(flate2::write::GzEncoder::new(w, flate2::Compression::new(6))),
            Compression::Zstd => Box::new(zstd::stream::write::Encoder::new(w, 3)?),
        })
    }
}

/// A compression deboil recognises but does not read or write.
struct OtherFormat {
    name: &'static str,
    extension: &'static str,
    /// Whether a stream's first bytes show it.
    starts: fn(&[u8]) -> bool,
}

const OTHER_FORMATS: [OtherFormat; 3] = [
    OtherFormat {
        name: "bzip2",
        extension: "bz2",
        // `BZh`, the block size, then the first block's magic (the digits of pi).
        starts: |h| {
            h.len() >= 10 && h.starts_with(b"BZh") && (b'1'..=b'9').contains(&h[3]) && h[4..10] == *b"1AY&SY"
        },
    },
    OtherFormat {
        name: "xz",
        extension: "xz",
        starts: |h| h.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]),
    },
    OtherFormat { name: "lz4", extension: "lz4", starts: |h| h.starts_with(&[0x04, 0x22, 0x4d, 0x18]) },
];

/// A writer that must be finished (compression trailers) before it is complete.
pub trait FinishWrite: Write {
    /// Writes any trailer and flushes.
    fn finish_box(self: Box<Self>) -> io::Result<()>;
}

struct Plain<W: Write>(W);

impl<W: Write> Write for Plain<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: Write> FinishWrite for Plain<W> {
    fn finish_box(mut self: Box<Self>) -> io::Result<()> {
        self.0.flush()
    }
}

impl<W: Write> FinishWrite for flate2::write::GzEncoder<W> {
    fn finish_box(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}

impl<W: Write> FinishWrite for zstd::stream::write::Encoder<'_, W> {
    fn finish_box(self: Box<Self>) -> io::Result<()> {
        self.finish()?.flush()
    }
}

/// Buffered, decompressing reader over any byte stream; the format is sniffed from its first
/// bytes, whatever the name says.
pub fn open_reader<'r, R: Read + Send + 'r>(inner: R) -> io::Result<Box<dyn BufRead + Send + 'r>> {
    let mut buffered = BufReader::with_capacity(1 << 16, inner);
    let head = buffered.fill_buf()?;
    if let Some(f) = OTHER_FORMATS.iter().find(|f| (f.starts)(head)) {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!(
                "{} data: deboil reads gzip and zstd; decompress it on the way in (`{} -dc FILE | deboil clean - --format jsonl`)",
                f.name, f.name
            ),
        ));
    }
    Ok(match Compression::sniff(head) {
        Compression::None => Box::new(buffered),
        Compression::Gzip => {
            Box::new(BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(buffered)))
        }
        Compression::Zstd => {
            Box::new(BufReader::with_capacity(1 << 16, zstd::stream::read::Decoder::with_buffer(buffered)?))
        }
    })
}

/// Opens a file (or stdin for `-`) for reading, decompressing as its bytes say.
pub fn open_input(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    if path.as_os_str() == "-" {
        return open_reader(io::stdin());
    }
    open_reader(File::open(path)?)
}
