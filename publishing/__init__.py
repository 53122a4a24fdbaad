"""Articles, the 三审 review chain, scheduling, revisions and content checks."""
