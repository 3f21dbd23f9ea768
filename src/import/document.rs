//! Document import: a read document becomes a source; a new version re-anchors excerpts.
