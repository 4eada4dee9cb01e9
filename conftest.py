pytest_plugins = ["deploykit.plugin"]
