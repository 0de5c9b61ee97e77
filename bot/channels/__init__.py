"""Front ends over the one answer core: Telegram, WeChat/WeCom, HTTP API and the web page.

Each channel only parses its input, calls ``engine.answer(question, session)`` and renders the
``Answer`` with the shared helpers in ``bot.channels.render``.
"""
