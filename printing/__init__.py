"""Documents from plain data (ZPL labels, PDF slips and invoices) and the print-job queue.

No Qt here. Filled by the packing and invoicing issues."""
