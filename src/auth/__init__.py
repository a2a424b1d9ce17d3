"""Who is calling: Telegram Mini App students (signed initData) and operators (a bearer token)."""
