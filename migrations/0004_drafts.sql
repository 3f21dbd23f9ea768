-- Threadline review file, schema version 4: issued drafts and approvals.
-- A draft is a frozen copy of the report (both documents, rendered and as written), the
-- findings, recommendations and terms of reference, kept as one JSON snapshot. Once written a
-- draft never changes and is never deleted: the triggers below refuse both.

CREATE TABLE draft (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,                       -- UUID
    number INTEGER NOT NULL UNIQUE CHECK (number >= 1), -- 1, 2, 3… in issue order
    label TEXT NOT NULL,                           -- "Draft 3" unless the author named it
    issued_at TEXT NOT NULL,                       -- RFC 3339, UTC
    issued_by TEXT NOT NULL,
    role TEXT NOT NULL,
    snapshot TEXT NOT NULL                         -- JSON, see src/drafts/mod.rs
);

CREATE TRIGGER draft_no_update BEFORE UPDATE ON draft
BEGIN
    SELECT RAISE(ABORT, 'an issued draft cannot be changed');
END;

CREATE TRIGGER draft_no_delete BEFORE DELETE ON draft
BEGIN
    SELECT RAISE(ABORT, 'an issued draft cannot be deleted');
END;

-- A person's verdict on one section as it stood in one draft. Setting it again replaces the
-- verdict (same id). The section may be deleted later; the approval stays and shows as stale.
CREATE TABLE approval (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,                       -- UUID
    section_id TEXT NOT NULL,                      -- section UUID (no foreign key: see above)
    draft_id TEXT NOT NULL REFERENCES draft(id),
    state TEXT NOT NULL CHECK (state IN ('approved', 'changes_requested')),
    note TEXT NOT NULL DEFAULT '',
    text_sha256 TEXT NOT NULL,                     -- hash of the section's text in that draft
    by_name TEXT NOT NULL,
    role TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (section_id, draft_id, by_name)
);
