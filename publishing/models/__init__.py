"""Publishing's models, one module per aggregate; re-exported here for Django and callers.

Depends on columns only; interaction, monitoring and portal build on these.
"""
