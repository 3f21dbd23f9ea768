-- Threadline review file, schema version 2: imported documents.
-- Each paragraph records what kind of block it was in the document it came from, and a source
-- records the file it was read from and which earlier version of the same document it replaces
-- (an agency's re-issued IMR). A version is replaced at most once, so versions form one chain.

ALTER TABLE paragraph ADD COLUMN kind TEXT NOT NULL DEFAULT 'body'
    CHECK (kind IN ('body', 'heading', 'list_item', 'table_row', 'footnote', 'endnote'));
UPDATE paragraph SET kind = 'heading' WHERE heading_level > 0;

ALTER TABLE source ADD COLUMN supersedes_id TEXT REFERENCES source(id);
ALTER TABLE source ADD COLUMN file_name TEXT NOT NULL DEFAULT '';   -- as imported, no folder
ALTER TABLE source ADD COLUMN file_sha256 TEXT NOT NULL DEFAULT ''; -- lowercase hex of its bytes
CREATE UNIQUE INDEX source_supersedes ON source(supersedes_id);
