//! Threadline's integration tests: one test binary, one module per area.

mod common;

mod anchor;
mod backup;
mod checks;
mod child_s;
mod chronology;
mod cli;
mod coverage;
mod crash;
mod crypto;
mod demo;
mod drafts;
mod export;
mod findings;
mod fuzz_seeds;
mod import_chronology;
mod import_docx;
mod interchange;
mod ipc_types;
mod links;
mod packs;
mod people;
mod properties;
mod publication;
mod recommendations;
mod report;
mod review_file;
mod search;
mod sections_comments;
mod sources;
mod tor_details;
mod undo;
