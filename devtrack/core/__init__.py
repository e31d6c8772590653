"""The front page, health check, language switch, accessibility statement and DKFDS assets."""
