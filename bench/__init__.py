"""The shipped benchmark (``make bench``, docs/PERFORMANCE.md).

Only the bench server (``bench.settings``) loads this package's middleware and URLs; the app's
own settings never do.
"""
