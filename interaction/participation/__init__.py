"""Public participation: 意见征集 consultations, 征集调查 surveys and 在线访谈 interviews.

A package inside the interaction app, beside the citizen mailbox: its models are loaded through
one import line in interaction's models module, its URLs through one include in interaction.urls.
"""
