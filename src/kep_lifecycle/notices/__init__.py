"""Rendering notices into Turkish e-mail messages."""
