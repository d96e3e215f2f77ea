"""Fast scoring paths for the members, built at load time from the model's own safe form."""
