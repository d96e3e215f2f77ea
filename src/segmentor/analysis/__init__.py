"""Numbers about customers and models: market drift, segment profiles, explanations."""
