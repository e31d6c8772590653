"""The access log: who read, changed or exported whose data."""
