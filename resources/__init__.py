"""Data files shipped with Packbench (fonts, demo data), read through importlib.resources."""
