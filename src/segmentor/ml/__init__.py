"""The segment model: features, members, blend, persistence of trained model
directories, evaluation.
"""
