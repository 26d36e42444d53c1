"""巡察工作平台 (xuncha): software an inspection office runs on its intranet."""

__version__ = "0.1.0"
