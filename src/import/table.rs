//! The table reader: CSV in any common encoding and delimiter, and Excel workbooks.
