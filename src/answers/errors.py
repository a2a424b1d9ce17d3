"""Why a text could not be read; the checker turns these into verdicts instead of letting them escape."""


class ReadError(ValueError):
    """The text is not something the restricted grammar reads (an attempt the AI step may judge)."""


class TooLargeError(ReadError):
    """A number or a computation beyond anything a grade 6-8 answer means (10**100, 9^9^9^9)."""
