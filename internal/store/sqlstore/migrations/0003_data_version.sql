-- Why: answers built from school data may be cached; one counter that every
-- write of school data moves lets any node tell a cached answer is stale.

CREATE TABLE data_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);

INSERT INTO data_version (id, version) VALUES (1, 0);
