"""Renderers of the one result model (``auditor.model.SiteReport``)."""
