-- Threadline review file, schema version 5: who last resolved or reopened a comment thread,
-- and when a comment was last edited. Review packs merge comments between copies of a review
-- by these times, so a newer resolution or edit wins and an older one never undoes it.

ALTER TABLE comment ADD COLUMN edited_at TEXT;     -- RFC 3339, NULL when never edited
ALTER TABLE comment ADD COLUMN state_by TEXT;      -- who last resolved or reopened the thread
ALTER TABLE comment ADD COLUMN state_role TEXT;
ALTER TABLE comment ADD COLUMN state_at TEXT;      -- RFC 3339, NULL when never resolved
