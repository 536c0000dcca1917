"""Pure domain core: dates, money, tariffs and the lifecycle rules as functions of state.

Nothing in this package performs I/O or reads the clock; the business date is always passed in.
"""
