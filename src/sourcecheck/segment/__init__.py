"""Segmenters: plain text into lines, HTML into blocks."""
