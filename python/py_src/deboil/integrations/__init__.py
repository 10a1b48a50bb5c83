"""Adapters of deboil to data-processing frameworks.

Each lives in its own module and imports its framework only when that module is imported, so
``import deboil`` never needs them:

- ``deboil.integrations.datatrove``: ``DeboilCleaner``, a datatrove pipeline step (needs
  ``pip install datatrove``).

- ``deboil.integrations.hf_datasets``: ``BatchCleaner``, a picklable function for Hugging Face
  ``datasets``' ``Dataset.map(..., batched=True)`` (imports nothing; a plain function calling
  ``Cleaner.clean_batch`` works too, see ``examples/hf_datasets.py``).
"""
