"""Documents from plain data: ZPL and PDF, with no Qt and no database.

``documents`` holds what the application fills (``ShippingLabel``, ``PackingSlip``,
``InvoiceDocument``); ``zpl`` turns a label into ZPL II for a Zebra-compatible printer (and
reads ZPL back, for tests and the printer simulator); ``pdf`` draws the label and the
packing slip with reportlab, ``invoice_pdf`` the invoice and the credit note;
``commands_sheet`` prints the bench's command barcodes. ``barcodes`` and ``fonts`` are their
drawing helpers: Code 128 / GS1-128 and QR as filled paths, and the bundled Noto Sans and
Droid Sans Fallback chosen per run of text.
"""
