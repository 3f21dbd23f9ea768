-- Threadline review file, schema version 1.
-- Every table keeps its records under a UUID text key `id` (the identity that crosses copies
-- and dumps) and an integer `rid` (the row's key inside this file, which VACUUM keeps, so the
-- search index can refer to it). The undo log snapshots whole rows by `id`. Human numbers (ToR 4, F12, R21)
-- are stored and rewritten by the core whenever the order changes.

CREATE TABLE review (
    rid INTEGER PRIMARY KEY,                       -- stable integer key for the search index
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    review_type TEXT NOT NULL DEFAULT 'cspr'
        CHECK (review_type IN ('scr', 'cspr', 'sar', 'dhr', 'other')),
    board TEXT NOT NULL DEFAULT '',
    subjects TEXT NOT NULL DEFAULT '[]',          -- JSON array of strings
    incident_date TEXT,
    decision_date TEXT,
    commissioned_date TEXT,
    first_panel_date TEXT,
    draft_issued_date TEXT,
    published_date TEXT,
    review_period_start TEXT,
    review_period_end TEXT,
    context_period_start TEXT,
    context_period_end TEXT,
    status TEXT NOT NULL DEFAULT 'scoping'
        CHECK (status IN ('scoping', 'gathering', 'analysis', 'drafting', 'panel_review',
                          'approved', 'published'))
);

CREATE TABLE person (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('person', 'place', 'organisation')),
    real_name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',           -- JSON array of strings
    pseudonym TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL DEFAULT '',
    relation TEXT NOT NULL DEFAULT '',
    safe_to_name INTEGER NOT NULL DEFAULT 0 CHECK (safe_to_name IN (0, 1))
);

CREATE TABLE agency (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL DEFAULT '',
    sector TEXT NOT NULL DEFAULT ''
);

CREATE TABLE panel_member (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT ''
);

CREATE TABLE meeting (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    date TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    attendees TEXT NOT NULL DEFAULT '[]',         -- JSON array of panel_member ids
    decisions TEXT NOT NULL DEFAULT ''
);

CREATE TABLE tor_item (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    number INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('generic', 'case_specific')),
    text TEXT NOT NULL,
    out_of_scope_reason TEXT
);

CREATE TABLE source (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('imr', 'chronology', 'interview', 'minutes',
                                       'health_overview', 'prior_review', 'other')),
    agency_id TEXT REFERENCES agency(id),
    title TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    independence TEXT NOT NULL DEFAULT '',
    received_date TEXT,
    version TEXT NOT NULL DEFAULT '',
    confidence TEXT NOT NULL DEFAULT 'not_rated'
        CHECK (confidence IN ('high', 'medium', 'low', 'not_rated')),
    confidence_reason TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT ''
);
CREATE INDEX source_agency ON source(agency_id);

CREATE TABLE paragraph (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT NOT NULL REFERENCES source(id),
    seq INTEGER NOT NULL,                          -- 1-based order within the source
    label TEXT,                                    -- the document's own label: "3.2.1"
    heading_level INTEGER NOT NULL DEFAULT 0 CHECK (heading_level BETWEEN 0 AND 6),
    text TEXT NOT NULL,
    UNIQUE (source_id, seq)
);

CREATE TABLE excerpt (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT NOT NULL REFERENCES source(id),
    paragraph_id TEXT NOT NULL REFERENCES paragraph(id),
    start INTEGER NOT NULL CHECK (start >= 0),     -- character offsets into the paragraph
    end INTEGER NOT NULL CHECK (end > start),
    quote TEXT NOT NULL,
    quote_hash TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX excerpt_paragraph ON excerpt(paragraph_id);
CREATE INDEX excerpt_source ON excerpt(source_id);

CREATE TABLE chronology_entry (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    date TEXT NOT NULL,                            -- ISO date of the (start of the) event
    precision TEXT NOT NULL CHECK (precision IN ('day', 'month', 'year', 'approximate')),
    end_date TEXT,
    date_text TEXT NOT NULL DEFAULT '',            -- the date as the document wrote it
    seq INTEGER NOT NULL DEFAULT 0,                -- order among events of the same day
    agency_id TEXT REFERENCES agency(id),
    people TEXT NOT NULL DEFAULT '[]',             -- JSON array of person ids
    event TEXT NOT NULL,
    source_locator TEXT NOT NULL DEFAULT '',
    source_id TEXT REFERENCES source(id),
    paragraph_id TEXT REFERENCES paragraph(id),
    significance TEXT NOT NULL DEFAULT 'routine'
        CHECK (significance IN ('routine', 'significant', 'key_practice_episode')),
    missed_opportunity INTEGER NOT NULL DEFAULT 0 CHECK (missed_opportunity IN (0, 1)),
    missed_rationale TEXT NOT NULL DEFAULT ''
);
CREATE INDEX chronology_date ON chronology_entry(date, seq);
CREATE INDEX chronology_agency ON chronology_entry(agency_id);

CREATE TABLE theme (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT ''
);

CREATE TABLE finding (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    theme_id TEXT REFERENCES theme(id),
    position INTEGER NOT NULL,                     -- order within the theme
    number INTEGER NOT NULL,                       -- F-number across all themes
    kind TEXT NOT NULL CHECK (kind IN ('practice', 'systemic', 'good_practice', 'conclusion')),
    statement TEXT NOT NULL,
    analysis TEXT NOT NULL DEFAULT ''
);
CREATE INDEX finding_theme ON finding(theme_id);

CREATE TABLE evidence_link (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    finding_id TEXT NOT NULL REFERENCES finding(id),
    excerpt_id TEXT REFERENCES excerpt(id),
    chronology_id TEXT REFERENCES chronology_entry(id),
    relation TEXT NOT NULL CHECK (relation IN ('supports', 'contradicts', 'context')),
    note TEXT NOT NULL DEFAULT '',
    CHECK ((excerpt_id IS NULL) <> (chronology_id IS NULL))
);
CREATE INDEX evidence_finding ON evidence_link(finding_id);
CREATE INDEX evidence_excerpt ON evidence_link(excerpt_id);
CREATE INDEX evidence_chronology ON evidence_link(chronology_id);

CREATE TABLE finding_tor (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    finding_id TEXT NOT NULL REFERENCES finding(id),
    tor_id TEXT NOT NULL REFERENCES tor_item(id),
    UNIQUE (finding_id, tor_id)
);
CREATE INDEX finding_tor_tor ON finding_tor(tor_id);

CREATE TABLE recommendation (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    number INTEGER NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('overview_author', 'agency_imr', 'health_overview', 'other')),
    origin_agency_id TEXT REFERENCES agency(id),  -- the agency whose IMR made it
    addressee_agency_id TEXT REFERENCES agency(id),
    owner_role TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL,
    due_kind TEXT NOT NULL DEFAULT 'none'
        CHECK (due_kind IN ('none', 'date', 'month', 'immediately', 'urgent')),
    due_date TEXT,                                 -- YYYY-MM-DD for 'date', YYYY-MM for 'month'
    measure TEXT NOT NULL DEFAULT '',
    board_response TEXT NOT NULL DEFAULT 'pending'
        CHECK (board_response IN ('pending', 'accepted', 'rejected')),
    response_reason TEXT NOT NULL DEFAULT ''
);

CREATE TABLE recommendation_finding (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    recommendation_id TEXT NOT NULL REFERENCES recommendation(id),
    finding_id TEXT NOT NULL REFERENCES finding(id),
    UNIQUE (recommendation_id, finding_id)
);
CREATE INDEX recommendation_finding_finding ON recommendation_finding(finding_id);

CREATE TABLE action (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    recommendation_id TEXT NOT NULL REFERENCES recommendation(id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    lead TEXT NOT NULL DEFAULT '',
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'not_started'
        CHECK (status IN ('not_started', 'on_track', 'at_risk', 'overdue', 'complete')),
    completion_evidence TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_recommendation ON action(recommendation_id);

CREATE TABLE action_update (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    action_id TEXT NOT NULL REFERENCES action(id),
    date TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX action_update_action ON action_update(action_id);

CREATE TABLE section (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    document TEXT NOT NULL CHECK (document IN ('overview', 'summary')),
    position INTEGER NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''                  -- Markdown with [[kind:uuid]] citations
);

CREATE TABLE comment (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    parent_id TEXT REFERENCES comment(id),
    author TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    anchor TEXT,                                   -- JSON text-quote selector, or NULL
    body TEXT NOT NULL,
    resolved INTEGER NOT NULL DEFAULT 0 CHECK (resolved IN (0, 1))
);
CREATE INDEX comment_target ON comment(target_kind, target_id);

-- The audit log. One `change` per user action (one transaction); one `change_row` per record it
-- touched, holding the whole row before and after as JSON. Undo and redo replay these.
CREATE TABLE change (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('edit', 'undo', 'redo', 'import', 'load')),
    summary TEXT NOT NULL,
    target_seq INTEGER REFERENCES change(seq),     -- for undo / redo: the change replayed
    state TEXT NOT NULL DEFAULT 'done' CHECK (state IN ('done', 'undone', 'dropped', 'fixed'))
);

CREATE TABLE change_row (
    change_seq INTEGER NOT NULL REFERENCES change(seq),
    ord INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    before TEXT,                                   -- JSON object, NULL when the row was created
    after TEXT,                                    -- JSON object, NULL when the row was deleted
    PRIMARY KEY (change_seq, ord)
);

-- Full-text search over everything a user reads or writes. Kept by triggers, so every path
-- that writes (edits, imports, undo, load) keeps it current.
CREATE VIRTUAL TABLE search_index USING fts5(
    kind UNINDEXED,
    object_id UNINDEXED,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'                                 -- short prefix searches (saf*) stay fast
);

-- Index rowid = kind code * 2^40 + the row's rid, so a row's entry is found without a scan.

CREATE TRIGGER paragraph_search_insert AFTER INSERT ON paragraph BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (1 * 1099511627776 + new.rid, 'paragraph', new.id, new.text);
END;
CREATE TRIGGER paragraph_search_delete AFTER DELETE ON paragraph BEGIN
    DELETE FROM search_index WHERE rowid = 1 * 1099511627776 + old.rid;
END;
CREATE TRIGGER paragraph_search_update AFTER UPDATE ON paragraph BEGIN
    DELETE FROM search_index WHERE rowid = 1 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (1 * 1099511627776 + new.rid, 'paragraph', new.id, new.text);
END;

CREATE TRIGGER excerpt_search_insert AFTER INSERT ON excerpt BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (2 * 1099511627776 + new.rid, 'excerpt', new.id, new.quote || ' ' || new.note);
END;
CREATE TRIGGER excerpt_search_delete AFTER DELETE ON excerpt BEGIN
    DELETE FROM search_index WHERE rowid = 2 * 1099511627776 + old.rid;
END;
CREATE TRIGGER excerpt_search_update AFTER UPDATE ON excerpt BEGIN
    DELETE FROM search_index WHERE rowid = 2 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (2 * 1099511627776 + new.rid, 'excerpt', new.id, new.quote || ' ' || new.note);
END;

CREATE TRIGGER chronology_entry_search_insert AFTER INSERT ON chronology_entry BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (3 * 1099511627776 + new.rid, 'chronology_entry', new.id, new.date_text || ' ' || new.event || ' ' || new.source_locator || ' ' || new.missed_rationale);
END;
CREATE TRIGGER chronology_entry_search_delete AFTER DELETE ON chronology_entry BEGIN
    DELETE FROM search_index WHERE rowid = 3 * 1099511627776 + old.rid;
END;
CREATE TRIGGER chronology_entry_search_update AFTER UPDATE ON chronology_entry BEGIN
    DELETE FROM search_index WHERE rowid = 3 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (3 * 1099511627776 + new.rid, 'chronology_entry', new.id, new.date_text || ' ' || new.event || ' ' || new.source_locator || ' ' || new.missed_rationale);
END;

CREATE TRIGGER finding_search_insert AFTER INSERT ON finding BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (4 * 1099511627776 + new.rid, 'finding', new.id, new.statement || ' ' || new.analysis);
END;
CREATE TRIGGER finding_search_delete AFTER DELETE ON finding BEGIN
    DELETE FROM search_index WHERE rowid = 4 * 1099511627776 + old.rid;
END;
CREATE TRIGGER finding_search_update AFTER UPDATE ON finding BEGIN
    DELETE FROM search_index WHERE rowid = 4 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (4 * 1099511627776 + new.rid, 'finding', new.id, new.statement || ' ' || new.analysis);
END;

CREATE TRIGGER recommendation_search_insert AFTER INSERT ON recommendation BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (5 * 1099511627776 + new.rid, 'recommendation', new.id, new.text || ' ' || new.owner_role || ' ' || new.measure);
END;
CREATE TRIGGER recommendation_search_delete AFTER DELETE ON recommendation BEGIN
    DELETE FROM search_index WHERE rowid = 5 * 1099511627776 + old.rid;
END;
CREATE TRIGGER recommendation_search_update AFTER UPDATE ON recommendation BEGIN
    DELETE FROM search_index WHERE rowid = 5 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (5 * 1099511627776 + new.rid, 'recommendation', new.id, new.text || ' ' || new.owner_role || ' ' || new.measure);
END;

CREATE TRIGGER action_search_insert AFTER INSERT ON action BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (6 * 1099511627776 + new.rid, 'action', new.id, new.text || ' ' || new.lead || ' ' || new.completion_evidence);
END;
CREATE TRIGGER action_search_delete AFTER DELETE ON action BEGIN
    DELETE FROM search_index WHERE rowid = 6 * 1099511627776 + old.rid;
END;
CREATE TRIGGER action_search_update AFTER UPDATE ON action BEGIN
    DELETE FROM search_index WHERE rowid = 6 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (6 * 1099511627776 + new.rid, 'action', new.id, new.text || ' ' || new.lead || ' ' || new.completion_evidence);
END;

CREATE TRIGGER section_search_insert AFTER INSERT ON section BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (7 * 1099511627776 + new.rid, 'section', new.id, new.heading || ' ' || new.body);
END;
CREATE TRIGGER section_search_delete AFTER DELETE ON section BEGIN
    DELETE FROM search_index WHERE rowid = 7 * 1099511627776 + old.rid;
END;
CREATE TRIGGER section_search_update AFTER UPDATE ON section BEGIN
    DELETE FROM search_index WHERE rowid = 7 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (7 * 1099511627776 + new.rid, 'section', new.id, new.heading || ' ' || new.body);
END;

CREATE TRIGGER theme_search_insert AFTER INSERT ON theme BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (8 * 1099511627776 + new.rid, 'theme', new.id, new.title || ' ' || new.summary);
END;
CREATE TRIGGER theme_search_delete AFTER DELETE ON theme BEGIN
    DELETE FROM search_index WHERE rowid = 8 * 1099511627776 + old.rid;
END;
CREATE TRIGGER theme_search_update AFTER UPDATE ON theme BEGIN
    DELETE FROM search_index WHERE rowid = 8 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (8 * 1099511627776 + new.rid, 'theme', new.id, new.title || ' ' || new.summary);
END;

CREATE TRIGGER tor_item_search_insert AFTER INSERT ON tor_item BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (9 * 1099511627776 + new.rid, 'tor_item', new.id, new.text || ' ' || coalesce(new.out_of_scope_reason, ''));
END;
CREATE TRIGGER tor_item_search_delete AFTER DELETE ON tor_item BEGIN
    DELETE FROM search_index WHERE rowid = 9 * 1099511627776 + old.rid;
END;
CREATE TRIGGER tor_item_search_update AFTER UPDATE ON tor_item BEGIN
    DELETE FROM search_index WHERE rowid = 9 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (9 * 1099511627776 + new.rid, 'tor_item', new.id, new.text || ' ' || coalesce(new.out_of_scope_reason, ''));
END;

CREATE TRIGGER source_search_insert AFTER INSERT ON source BEGIN
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (10 * 1099511627776 + new.rid, 'source', new.id, new.title || ' ' || new.author || ' ' || new.summary);
END;
CREATE TRIGGER source_search_delete AFTER DELETE ON source BEGIN
    DELETE FROM search_index WHERE rowid = 10 * 1099511627776 + old.rid;
END;
CREATE TRIGGER source_search_update AFTER UPDATE ON source BEGIN
    DELETE FROM search_index WHERE rowid = 10 * 1099511627776 + old.rid;
    INSERT INTO search_index(rowid, kind, object_id, body)
    VALUES (10 * 1099511627776 + new.rid, 'source', new.id, new.title || ' ' || new.author || ' ' || new.summary);
END;
