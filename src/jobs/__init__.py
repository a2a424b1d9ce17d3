"""The periodic jobs' last runs, for the operators' health page."""
