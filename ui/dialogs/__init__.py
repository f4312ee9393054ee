"""Dialogs a workspace opens for one action, kept apart from the workspaces themselves."""
