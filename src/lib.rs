//! Clientele core: every rule of the domain, with no UI. The Tauri shell and the `clientele`
//! command line are two thin faces over these operations.

pub mod actor;
pub mod care;
pub mod catalogs;
pub mod customers;
pub mod demo;
pub mod duplicates;
pub mod error;
pub mod export;
pub mod history;
pub mod import;
pub mod ownership;
pub mod paths;
pub mod settings;
pub mod staff;
pub mod store;
pub mod template;
pub mod text;
pub mod views;

pub use error::{Error, ErrorBody, Result};

/// The memory allocator every Clientele program installs (`#[global_allocator]` in the app, the
/// command line and the benchmarks). Reading a spreadsheet frees on one thread what another
/// allocated, millions of times; the system allocator of glibc handles that slowly (a 100k
/// import: about 3% faster with this one, and steadier).
pub use mimalloc::MiMalloc as Allocator;
