//! jisseki: Japanese municipal progress reports (実績報告) → validated open data.
//!
//! A staged pipeline with plain data between the stages:
//!
//! ```text
//! front ends   text dump (text) | PDF text layer (pdf) | scan (scan: OCR)   → Rows
//! reader       Rows + profile (the report family, data) → report, items     (reader, profile)
//! outputs      JSON, CSV + data package, SQLite, compare
//! ```
//!
//! The front ends know no report family; only the profile and the reader do.
//!
//! # The API
//!
//! The items re-exported here are the library's interface:
//!
//! ```no_run
//! let bytes = std::fs::read("report.pdf").unwrap();
//! // Detect the family among the built-in profiles …
//! let doc = jisseki::extract(&bytes, "report.pdf").unwrap();
//! // … or name it (a built-in id or a profile file).
//! let opts = jisseki::Options { profile: Some(jisseki::load_profile("tsukubamirai-action-plan").unwrap()) };
//! let doc = jisseki::extract_with(&bytes, "report.pdf", &opts).unwrap();
//! println!("{}", jisseki::to_json(&doc, true));
//! ```
//!
//! The modules stay public for the tests, benches and examples that look inside a stage
//! (`jisseki inspect` shows the same from the command line); they are not a stable interface.

#[doc(hidden)]
pub mod batch;
#[doc(hidden)]
pub mod compare;
#[doc(hidden)]
pub mod cores;
#[doc(hidden)]
pub mod datapackage;
pub mod diag;
#[doc(hidden)]
pub mod era;
pub mod error;
#[doc(hidden)]
pub mod goal;
#[doc(hidden)]
pub mod ingest;
#[doc(hidden)]
pub mod inspect;
#[doc(hidden)]
pub mod kpi;
pub mod model;
#[doc(hidden)]
pub mod normalize;
#[doc(hidden)]
pub mod output;
#[doc(hidden)]
pub mod pdf;
#[doc(hidden)]
pub mod pipeline;
#[doc(hidden)]
pub mod profile;
#[doc(hidden)]
pub mod radicals;
#[doc(hidden)]
pub mod reader;
#[doc(hidden)]
pub mod rows;
#[doc(hidden)]
pub mod scan;
#[doc(hidden)]
pub mod sqlite;
#[doc(hidden)]
pub mod tables;
#[doc(hidden)]
pub mod text;

pub use compare::compare;
pub use diag::{Severity, WarningCode};
pub use error::{Error, ErrorKind, Result};
pub use inspect::inspect;
pub use model::{Document, Initiative, Item, Kpi, Level, Rating, Report, Source};
pub use output::{csv_tables, to_json, write_atomic};
pub use pipeline::{extract, extract_with, Options};
pub use profile::{builtins as builtin_profiles, load as load_profile, Profile};
pub use rows::{BBox, Cell, Row};
pub use sqlite::write_sqlite;
