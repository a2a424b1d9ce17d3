"""The HTTP door onto Dars' services."""
