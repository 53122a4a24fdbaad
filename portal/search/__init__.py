"""站内搜索 — Chinese full-text search over everything a site publishes.

segmentation (jieba) → indexing (SearchEntry rows, kept current by portal.receivers) →
backends (PostgreSQL tsvector + GIN, or SQLite FTS5) → selectors (what the public may find)
→ views and highlighting (the /search/ page).
"""
