"""Time-driven work: every job due at an instant (``schedule.tick``, run every 15 minutes and by
``python -m chalicelib.admin tick``) and its dead-man switch (``health``)."""
