"""PyCharm's own files: where its configurations live, which Python SDKs they list, and which
interpreter a project runs in. Everything here only reads files (safely) and never runs an SDK;
problems are returned as plain issue records for the check stage to judge."""
