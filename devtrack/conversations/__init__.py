"""The MUS conversation: rounds, preparation, the conversation, the agreed plan, follow-up."""
