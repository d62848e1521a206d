//! jisseki: Japanese municipal progress reports (実績報告) → validated open data.
//!
//! The pipeline, one module a stage, plain data between them:
//!
//! ```text
//! ingest (bytes → text or PDF) → text / pdf (→ Rows) → normalize → segment → parse → output
//! ```

pub mod error;
pub mod model;
pub mod pdf;
pub mod radicals;
pub mod rows;
