"""One person's year: goals, progress, feedback and conversations, newest first."""
