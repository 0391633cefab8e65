// Console layer.
