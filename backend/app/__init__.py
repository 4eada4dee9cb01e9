"""The Todo Chatbot API: the one first-party package, run with `python -m app.core.serve`."""
