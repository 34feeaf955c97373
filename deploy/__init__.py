"""Publish the built static site to S3 and CloudFront.

Pelican rewrites every file on each build, so modification times say nothing:
this package compares content hashes with what the bucket already holds,
uploads only what changed, removes what disappeared and invalidates exactly
those paths in CloudFront. Run it with ``python -m deploy``.
"""

from deploy.sync import Plan, SyncResult, plan_sync, run_sync

__all__ = ["Plan", "SyncResult", "plan_sync", "run_sync"]
