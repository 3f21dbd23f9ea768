//! Word (.docx) import from files written by LibreOffice and a writer library.
