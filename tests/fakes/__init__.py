"""Protocol-faithful local stand-ins for outside services (Telegram Bot API, WeChat APIs)."""
