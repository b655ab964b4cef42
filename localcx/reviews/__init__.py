"""Reviews: incremental sync into SQLite, search, alerts, and reply drafts a person approves."""
