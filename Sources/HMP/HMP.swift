// HMP layer.
