"""The foundation every phase shares: units, exact values, dates, statistics.

Nothing here imports another eduint package, so the language, data, checking,
engine and reporting phases can all build on it.
"""
