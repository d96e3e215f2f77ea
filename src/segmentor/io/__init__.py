"""Files and the database: readers, writers, the store of scored batches and its migrations."""
