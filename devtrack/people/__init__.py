"""The organisation: units, people, roles, and the admin pages that manage them."""
