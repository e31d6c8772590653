"""HR's reports: grundlag coverage and MUS completion, as figures only, never content."""
