"""Rate limits and attempt counts kept in the database: every worker on every host counts alike."""
