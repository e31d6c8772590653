"""'Mine data': everything devtrack stores about a person, to read and to download."""
