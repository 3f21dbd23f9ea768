//! The Word (.docx) reader: a bounded zip reader and an XML walker over the document parts.
