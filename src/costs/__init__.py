"""Costs: what each paid API call cost, the per-student monthly budget, and the monthly report."""
