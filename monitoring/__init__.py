"""Freshness, links, availability, indicators, inspections, scores, reports and the dashboard."""
