"""The Telegram bot: a thin door onto the practice services (see README, "Telegram bot and dars chat")."""
