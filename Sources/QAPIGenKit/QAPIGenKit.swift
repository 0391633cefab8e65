// QAPIGenKit layer.
