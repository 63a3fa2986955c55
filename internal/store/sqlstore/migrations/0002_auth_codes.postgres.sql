-- Why: the authorization server keeps authorization codes (hashed, used once)
-- and shared server secrets that every node must agree on. PostgreSQL's own
-- copy of 0002_auth_codes.sql, because a secret is raw bytes, which a TEXT
-- column of PostgreSQL refuses (SQLite keeps them as given).

CREATE TABLE auth_codes (
    hash             TEXT PRIMARY KEY,
    school_id        INTEGER NOT NULL,
    account_id       INTEGER NOT NULL,
    client_id        TEXT NOT NULL,
    redirect_uri     TEXT NOT NULL,
    scope            TEXT NOT NULL,
    challenge        TEXT NOT NULL,
    challenge_method TEXT NOT NULL,
    nonce            TEXT NOT NULL,
    claims           TEXT NOT NULL,
    family_id        TEXT NOT NULL,
    auth_time        INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    used_at          INTEGER
);

-- DeleteAuthCodes sweeps by expiry.
CREATE INDEX auth_codes_by_expiry ON auth_codes (expires_at);

CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
