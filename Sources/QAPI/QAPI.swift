// QAPI layer.
