"""Wishlists: named lists of courses a student may buy later."""
