//! jisseki: Japanese municipal progress reports (実績報告) → validated open data.
//!
//! The pipeline, one module a stage, plain data between them:
//!
//! ```text
//! ingest (bytes → text, PDF or image) → text / pdf / scan (→ Rows) → normalize → segment → parse → output
//! ```
//!
//! [`extract`] runs it on one input; [`output`] writes the documents, [`sqlite`] adds them to an
//! archive.

pub mod batch;
pub mod compare;
pub mod datapackage;
pub mod diag;
pub mod era;
pub mod error;
pub mod goal;
pub mod ingest;
pub mod inspect;
pub mod kpi;
pub mod model;
pub mod normalize;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod profile;
pub mod radicals;
pub mod reader;
pub mod rows;
pub mod scan;
pub mod sqlite;
pub mod tables;
pub mod text;

pub use pipeline::{extract, extract_with, Options};
