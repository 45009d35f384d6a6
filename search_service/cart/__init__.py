"""Carts, coupons and checkout: the purchase path, written back to PostgreSQL."""
