"""Personal development goals, tied to the grundlag, with their progress and history."""
