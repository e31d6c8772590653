"""Rate limits kept in the database, so every worker on every host counts the same hits."""
