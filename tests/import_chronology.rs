//! Chronology import from CSV and Excel files written by real writers.
