//! Chronology import from a table: guessing the column mapping, previewing, importing.
