from app.ws_manager.manager import ConnectionManager

__all__ = ["ConnectionManager"]
