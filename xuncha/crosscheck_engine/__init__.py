"""数据比对引擎 (data cross-check engine): a plain library, no Django."""
