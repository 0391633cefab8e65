// Monitor layer.
