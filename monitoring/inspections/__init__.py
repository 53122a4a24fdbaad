"""Inspections (监管): spot-check campaigns and rectification, special supervision, monthly
scoring and the annual reports — SPEC §5, the inspector's side of monitoring."""
