"""Scripted role-play personas: YAML library, schema, loader and the deterministic engine."""
