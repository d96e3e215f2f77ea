"""Batch scoring: one table (scoring), a file in chunks (local), many files on a Dask cluster."""
