"""Parsing and checking of math answers: canonical answers from the library and students' text."""
