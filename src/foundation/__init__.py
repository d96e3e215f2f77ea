"""What both products stand on: one user-error family, one atomic writer, one CLI exit rule.

``segmentor`` and ``sereadipity`` import from here; this package imports neither.
"""
