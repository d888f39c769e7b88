"""`model`: will a model file saved elsewhere (a notebook, another machine) load in the target?

metadata: what the file says about itself, read without TensorFlow (run by `reading` in a child of
tfenvcheck's own Python, under a timeout: libhdf5 may crash on a hostile file); judge: whether the
target's Keras can read that format and config; load_payload (in the target) and loading: what
really happens when the target loads it with `tf.keras.models.load_model` and predicts once.
"""
