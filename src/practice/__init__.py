"""Practice: daily sessions, problem selection, answers, hints and completion."""
