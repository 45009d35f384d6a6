"""Merchandising above the engine port: rules that pin and hide courses for a query or a
category, and co-purchase recommendations. Both engines get the same behaviour."""
