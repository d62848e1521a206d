//! Errors a user can meet, each with its own exit code (see README "Exit codes").

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line is wrong.
    Usage,
    /// The input cannot be opened or read (missing, permission, a folder).
    InputUnreadable,
    /// The input is empty, binary, or text in no encoding we can decode.
    NotText,
    /// The input decodes but holds no 項目番号.
    NoItems,
    /// The PDF is damaged beyond what we can repair, or over a safety limit on every page.
    PdfUnreadable,
    /// The PDF has no text layer: its pages hold images only (a scan).
    NoTextLayer,
    /// The PDF is encrypted and needs a password we do not have.
    PdfEncrypted,
    /// The PDF opens but holds no text at all (blank, vector drawings only, or text only in
    /// annotations).
    PdfNoText,
    /// The PDF has text, but in fonts with no usable Unicode mapping.
    PdfUnmappedFonts,
    /// An output file cannot be written.
    OutputUnwritable,
    /// `--strict`: the input was read, but with warnings of the chosen severity or above.
    Strict,
    /// A bug: a panic caught at the boundary.
    Internal,
}

impl ErrorKind {
    pub fn exit_code(&self) -> i32 {
        match self {
            ErrorKind::Usage => 2,
            ErrorKind::InputUnreadable => 3,
            ErrorKind::NotText => 4,
            ErrorKind::NoItems => 5,
            ErrorKind::PdfUnreadable => 6,
            ErrorKind::NoTextLayer => 7,
            ErrorKind::OutputUnwritable => 8,
            ErrorKind::PdfEncrypted => 9,
            ErrorKind::PdfNoText => 10,
            ErrorKind::PdfUnmappedFonts => 11,
            ErrorKind::Strict => 12,
            ErrorKind::Internal => 70,
        }
    }
}

/// An error with the file it concerns and a one-line message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub file: Option<String>,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            file: None,
            message: message.into(),
        }
    }
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
