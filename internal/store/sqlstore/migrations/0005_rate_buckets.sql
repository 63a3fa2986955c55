-- Why: the per-address limit of the token endpoint and the login pages must
-- hold for all nodes together, so its token buckets live in the database:
-- one row per client address, the tokens left at updated_at (unix ms).

CREATE TABLE rate_buckets (
    bucket     TEXT PRIMARY KEY,
    tokens     DOUBLE PRECISION NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Idle buckets are swept by age.
CREATE INDEX rate_buckets_by_age ON rate_buckets (updated_at);
