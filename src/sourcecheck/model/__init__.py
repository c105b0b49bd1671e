"""The segment classifier and its persistence."""
