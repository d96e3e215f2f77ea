"""The names of the customer table's columns, in the original data set's order.

Their own module so that the schema and the column mapping (which the schema imports) name
them once.
"""

from __future__ import annotations

ID = "ID"
TARGET = "Segmentation"
FEATURES: tuple[str, ...] = (
    "Gender",
    "Ever_Married",
    "Age",
    "Graduated",
    "Profession",
    "Work_Experience",
    "Spending_Score",
    "Family_Size",
    "Var_1",
)
