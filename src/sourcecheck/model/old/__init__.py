"""Loaders for model directories of older formats, kept apart from what scoring imports."""
