"""The customer domain: the customer table's schema, parsing and row notes,
known customers, the output contract.
"""
