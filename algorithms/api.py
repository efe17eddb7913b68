"""The algorithms app's API: `register` adds its viewsets to the project's one router."""


def register(router) -> None:
    """Add this app's viewsets to the router (called by bacuda_portal.api)."""
