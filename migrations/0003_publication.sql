-- Threadline review file, schema version 3: publication.
-- Names the author has told the register's suggestions to stop offering (folded: lower case,
-- single spaces). A preference about suggestions, not review content, so not in the audit log.
CREATE TABLE name_dismissal (
    term TEXT PRIMARY KEY,
    shown TEXT NOT NULL,   -- as the author dismissed it
    at TEXT NOT NULL
);

-- Words deleted from the search index are removed from its storage at once, not when
-- segments are next merged, so a replaced real name does not linger there.
INSERT INTO search_index(search_index, rank) VALUES ('secure-delete', 1);
