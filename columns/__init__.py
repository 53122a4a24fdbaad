"""栏目体系与平台内核 — the bottom app: the platform's structure and the kernel every app
above builds on.

The structure: sites (网站) and their hosts, units (单位), staff roles, the column tree
(栏目) and who owns which column, update rules, objections and special-topic requests
(models/, services, selectors, workflow, column_admin, tree_io).

The kernel, one module per concern: notifications (the one notification service), audit (the
operation log, 操作日志), uploads and media (what may be uploaded, who may read a file),
passwords and second_factor (password age, 双因素认证), offline (临时下线 windows),
client_address, site_urls, xlsx (every spreadsheet export), actions (which actions a user may
take on an object), and the admin's shared parts (admin_scoping, admin_cells, admin_links,
admin_pages, pickers, personal_data_admin).

The kernel stays here, under a name that says so, rather than in an app of its own: moving
its models would move their tables for no change of behaviour. Like everything in columns it
imports no app above (tests/test_layers.py).
"""
