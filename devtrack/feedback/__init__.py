"""Feedback anchored in the grundlag: from leaders and colleagues, own reflections, requests."""
