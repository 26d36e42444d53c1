"""Running an installation (运行维护): backup and restore, the key file, the installation self-check.

Plain modules called by the ``xuncha backup`` / ``restore`` / ``doctor`` commands; no models.
"""
