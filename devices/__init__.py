"""Scanners, label printers and scales, and their simulators: no Qt widgets here.

Filled by the scanning and packing issues."""
