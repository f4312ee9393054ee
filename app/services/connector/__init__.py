"""The connector: orders pulled from the stores' APIs, and news sent back (docs/connector.md).

``run.run_connector`` is the headless process behind ``packbench connector run``; ``stores``
speaks each store's API through ``http.StoreApi``; the central store keeps each account's
cursor and claim (``channel_accounts``) and the news to send (``channel_events``).
"""
