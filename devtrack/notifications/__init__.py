"""In-app notifications, and an e-mail outbox that `flask devtrack send-mail` empties."""
