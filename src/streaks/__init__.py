"""Streaks: consecutive local practice days, and milestones."""
